// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/digest.hpp"

#include "core/util/error.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace mailgroup {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    throw Error(ErrorKind::internal, "SHA-256 failed (OpenSSL)");
  }
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

} // namespace mailgroup
