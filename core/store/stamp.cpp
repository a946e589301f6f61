// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/stamp.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <ctime>

namespace mailgroup {

namespace {

struct Metadata {
  std::string line;
  std::time_t changed = 0; // the later of mtime and ctime, in seconds
};

std::string metadata_text(const struct stat& info) {
  return fmt::format("{:o} {}:{} {} {}.{:09} {}.{:09}", info.st_mode,
                     info.st_dev, info.st_ino, info.st_size,
                     info.st_mtim.tv_sec, info.st_mtim.tv_nsec,
                     info.st_ctim.tv_sec, info.st_ctim.tv_nsec);
}

// A name on one line, whatever bytes it holds.
std::string escaped(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '\\' || c == ' ' || static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

// The entry itself and, for a symbolic link, what it points to: a file read
// through a link changes without the link changing.
Metadata metadata_of(const fs::path& path, std::string_view name) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    return {fmt::format("{} missing\n", escaped(name)), 0};
  }
  Metadata metadata{fmt::format("{} {}", escaped(name), metadata_text(info)),
                    std::max(info.st_mtim.tv_sec, info.st_ctim.tv_sec)};
  if (S_ISLNK(info.st_mode)) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) {
      metadata.line += " -> missing";
    } else {
      metadata.line += " -> " + metadata_text(target);
      metadata.changed = std::max({metadata.changed, target.st_mtim.tv_sec,
                                   target.st_ctim.tv_sec});
    }
  }
  metadata.line += '\n';
  return metadata;
}

} // namespace

std::vector<std::string> sorted_names(const fs::path& dir) {
  auto names = names_in(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string file_metadata_line(const fs::path& path) {
  return metadata_of(path, path.string()).line;
}

std::string file_metadata_line(const fs::path& path, std::string_view name) {
  return metadata_of(path, name).line;
}

StampInputs stamp_inputs(const Store& store, std::string_view settings) {
  StampInputs inputs;
  auto now = std::time(nullptr);
  inputs.text = settings;
  if (!inputs.text.ends_with('\n')) {
    inputs.text += '\n';
  }
  auto add = [&](const fs::path& path, std::string_view name) {
    auto metadata = metadata_of(path, name);
    inputs.text += metadata.line;
    if (metadata.changed + k_racy_seconds > now) {
      inputs.trusted = false;
    }
  };
  add(store.config_path(), "mailgroup.toml");
  add(store.requests_path(), "requests.toml");
  for (const fs::path& dir : {store.groups_dir(), store.resolved_dir()}) {
    auto folder = dir.filename().string();
    add(dir, folder);
    for (const auto& name : sorted_names(dir)) {
      add(dir / name, folder + "/" + name);
    }
  }
  return inputs;
}

std::optional<std::string> read_stamp(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  return read_file_if_exists(path);
}

} // namespace mailgroup
