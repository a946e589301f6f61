// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace mailgroup {

// SHA-256 of `bytes` in lower-case hex (Nettle's, which uses the CPU's
// SHA instructions: about 1.4 GB/s here). For stamps whose input someone
// else writes (the employee directory): a digest that cannot be steered
// into a collision, so no crafted export can pass for the last one.
std::string sha256_hex(std::string_view bytes);

} // namespace mailgroup
