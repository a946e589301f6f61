// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/identity.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <vector>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailgroup {

namespace {

std::optional<unsigned> parse_uid(const char* text) {
  if (!text || !*text) {
    return std::nullopt;
  }
  std::string_view digits(text);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  unsigned uid = 0;
  auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), uid);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return uid;
}

} // namespace

ProcessCaller caller_from(unsigned real_uid,
                          unsigned effective_uid,
                          const char* sudo_uid,
                          std::string (*login_of)(unsigned uid)) {
  ProcessCaller caller;
  caller.uid = real_uid;
  if (real_uid == 0 && effective_uid == 0) {
    if (auto uid = parse_uid(sudo_uid); uid && *uid != 0) {
      caller.uid = *uid;
      caller.through_sudo = true;
    }
  }
  caller.elevated = caller.through_sudo || real_uid != effective_uid;
  caller.login = login_of(caller.uid);
  return caller;
}

std::string login_of_uid(unsigned uid) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
  struct passwd entry {};
  struct passwd* found = nullptr;
  if (::getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(),
                   buffer.size(), &found) == 0 &&
      found && found->pw_name && *found->pw_name) {
    return found->pw_name;
  }
  return fmt::format("uid {}", uid);
}

ProcessCaller process_caller() {
  return caller_from(static_cast<unsigned>(::getuid()),
                     static_cast<unsigned>(::geteuid()),
                     std::getenv("SUDO_UID"), login_of_uid);
}

std::optional<unsigned> owner_uid(std::string_view path) {
  struct stat info {};
  if (::stat(std::string(path).c_str(), &info) != 0) {
    return std::nullopt;
  }
  return static_cast<unsigned>(info.st_uid);
}

std::optional<std::string> untrusted_path_reason(std::string_view path,
                                                 unsigned trusted_uid,
                                                 std::string* resolved) {
  std::error_code error;
  auto real = std::filesystem::canonical(std::filesystem::path(path), error);
  if (error) {
    return fmt::format("{}: {}", path, error.message());
  }
  if (resolved) {
    *resolved = real.string();
  }
  std::filesystem::path walked;
  for (const auto& part : real) {
    walked /= part;
    struct stat info {};
    if (::lstat(walked.c_str(), &info) != 0) {
      return fmt::format("{}: cannot be examined", walked.string());
    }
    bool owned = info.st_uid == 0 || info.st_uid == trusted_uid;
    if (!owned) {
      return fmt::format("{} belongs to uid {}, not to root", walked.string(),
                         info.st_uid);
    }
    bool others_write = (info.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    bool sticky = (info.st_mode & S_ISVTX) != 0;
    // Others may add names to a sticky directory but not replace ours,
    // and the next step is checked in turn.
    bool last = walked == real;
    if (others_write && (last || !sticky)) {
      return fmt::format("{} is writable by others than its owner (mode {:o})",
                         walked.string(), info.st_mode & 07777);
    }
  }
  return std::nullopt;
}

} // namespace mailgroup
