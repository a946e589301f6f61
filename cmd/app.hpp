// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace mailgroup::cli {

// Parses the command line, runs the command, and returns the exit status;
// everything main() does.
int run(int argc, char** argv);

} // namespace mailgroup::cli
