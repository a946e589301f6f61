// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/output_stamp.hpp"

namespace mailgroup {

namespace {

constexpr std::string_view k_stamp_file = ".mailgroup-stamp";
constexpr std::string_view k_lock_file = ".mailgroup.lock";

// The files a run left in `dir` and its senders/, but the lock and the
// stamp itself.
std::string output_listing(const fs::path& dir) {
  std::string text = "outputs\n";
  for (const auto& name : sorted_names(dir)) {
    if (name != k_stamp_file && name != k_lock_file) {
      text += file_metadata_line(dir / name, name);
    }
  }
  for (const auto& name : sorted_names(dir / "senders")) {
    text += file_metadata_line(dir / "senders" / name, "senders/" + name);
  }
  return text;
}

} // namespace

bool stamp_is_current(const fs::path& dir, std::string_view inputs) {
  auto stamp = read_stamp(dir / k_stamp_file);
  if (!stamp || !std::string_view(*stamp).starts_with(inputs)) {
    return false;
  }
  return std::string_view(*stamp).substr(inputs.size()) == output_listing(dir);
}

void remove_stamp(const fs::path& dir) {
  auto path = dir / k_stamp_file;
  std::error_code ec;
  if (fs::symlink_status(path, ec).type() != fs::file_type::not_found) {
    remove_file_durable(path);
  }
}

void write_stamp(const fs::path& dir, std::string_view inputs) {
  // Its own metadata is not in the listing, so it can be written last.
  write_file_atomic(dir / k_stamp_file,
                    std::string(inputs) + output_listing(dir));
}

} // namespace mailgroup
