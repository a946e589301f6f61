// SPDX-License-Identifier: GPL-3.0-or-later
#include "cmd/app.hpp"

int main(int argc, char** argv) { return mailgroup::cli::run(argc, argv); }
