// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/digest.hpp"

#include <nettle/sha2.h>

#include <cstdint>

namespace mailgroup {

std::string sha256_hex(std::string_view bytes) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, bytes.size(),
                reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, SHA256_DIGEST_SIZE, digest);
  constexpr std::string_view k_hex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_SIZE);
  for (auto byte : digest) {
    hex += k_hex[static_cast<std::size_t>(byte >> 4)];
    hex += k_hex[static_cast<std::size_t>(byte & 0xf)];
  }
  return hex;
}

} // namespace mailgroup
