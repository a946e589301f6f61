// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/fs.hpp"

#include "core/util/error.hpp"

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <utility>
#include <thread>

namespace mailgroup {

namespace {

std::string errno_text(int error) { return std::strerror(error); }

// A file descriptor closed on scope exit.
class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }

private:
  int m_fd;
};

void fsync_directory(const fs::path& directory) {
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    throw Error(ErrorKind::io,
                fmt::format("cannot sync directory {}: {}",
                            directory.string(),
                            errno_text(errno)));
  }
}

fs::path parent_of(const fs::path& path) {
  auto parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return fmt::format("{:016x}", engine());
}

} // namespace

namespace {

std::optional<std::string> read_with_flags(const fs::path& path, int flags) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    if (errno == ELOOP && (flags & O_NOFOLLOW) != 0) {
      throw Error(ErrorKind::data,
                  fmt::format("{}: is a symbolic link; the store's files must "
                              "be regular files (replace the link with the "
                              "file it points to)",
                              path.string()));
    }
    throw Error(ErrorKind::io,
                fmt::format("cannot open {}: {}", path.string(),
                            errno_text(errno)));
  }
  // Sized from fstat so a large file is read with no regrowth; the loop
  // still copes with a file that grows or shrinks meanwhile.
  struct stat info {};
  std::size_t expected = 0;
  if (::fstat(fd.get(), &info) == 0 && info.st_size > 0) {
    expected = static_cast<std::size_t>(info.st_size);
  }
  std::string content(expected + 1, '\0');
  std::size_t used = 0;
  while (true) {
    if (used == content.size()) {
      content.resize(content.size() * 2 + 4096);
    }
    auto n = ::read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(ErrorKind::io,
                  fmt::format("cannot read {}: {}", path.string(),
                              errno_text(errno)));
    }
    if (n == 0) {
      content.resize(used);
      return content;
    }
    used += static_cast<std::size_t>(n);
  }
}

} // namespace

std::optional<std::string> read_file_if_exists(const fs::path& path) {
  return read_with_flags(path, 0);
}

std::optional<std::string> read_store_file_if_exists(const fs::path& path) {
  return read_with_flags(path, O_NOFOLLOW);
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  DIR* stream = ::opendir(dir.c_str());
  if (!stream) {
    if (errno == ENOENT) {
      return names;
    }
    throw Error(ErrorKind::io, fmt::format("cannot read {}: {}", dir.string(),
                                           errno_text(errno)));
  }
  while (const auto* entry = ::readdir(stream)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      names.emplace_back(name);
    }
  }
  ::closedir(stream);
  return names;
}

std::string read_file(const fs::path& path) {
  auto content = read_file_if_exists(path);
  if (!content) {
    throw Error(ErrorKind::no_input,
                fmt::format("{}: no such file", path.string()));
  }
  return std::move(*content);
}

namespace {

// A name beside `path` no other process picks: `.NAME.tmp-RANDOM`.
fs::path temporary_name(const fs::path& path) {
  return parent_of(path) / fmt::format(".{}.tmp-{}", path.filename().string(),
                                       random_suffix());
}

// write_new_file; a failure after the file is created names `shown` (the
// file a temporary one stands in for).
void write_new(const fs::path& path,
               const fs::path& shown,
               std::string_view content,
               unsigned mode,
               bool durable) {
  Fd fd(::open(path.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               static_cast<mode_t>(mode)));
  if (fd.get() < 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot create {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto fail = [&](const char* what) {
    int error = errno;
    ::unlink(path.c_str());
    throw Error(ErrorKind::io,
                fmt::format("cannot {} {}: {}", what, shown.string(),
                            errno_text(error)));
  };
  // The umask must not loosen or tighten what the store promises.
  if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) {
    fail("set the mode of");
  }
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    auto n = ::write(fd.get(), data, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("write");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (durable && ::fsync(fd.get()) != 0) {
    fail("sync");
  }
  if (::close(fd.release()) != 0) {
    fail("close");
  }
}

// Writes `content` to a new temporary file beside `path`; returns its name.
fs::path write_aside(const fs::path& path,
                     std::string_view content,
                     unsigned mode,
                     bool durable) {
  auto temporary = temporary_name(path);
  write_new(temporary, path, content, mode, durable);
  return temporary;
}

void rename_into_place(const fs::path& temporary, const fs::path& path) {
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    throw Error(ErrorKind::io,
                fmt::format("cannot rename {} into place: {}", path.string(),
                            errno_text(error)));
  }
}

} // namespace

void write_new_file(const fs::path& path,
                    std::string_view content,
                    unsigned mode,
                    bool durable) {
  write_new(path, path, content, mode, durable);
}

fs::path write_temporary(const fs::path& path,
                         std::string_view content,
                         unsigned mode) {
  return write_aside(path, content, mode, true);
}

bool is_temporary_name(std::string_view name) {
  // `.NAME.tmp-` and 16 hex digits, then perhaps a suffix a tool added.
  constexpr std::string_view marker = ".tmp-";
  if (!name.starts_with('.')) {
    return false;
  }
  for (auto at = name.find(marker, 1); at != std::string_view::npos;
       at = name.find(marker, at + 1)) {
    auto digits = name.substr(at + marker.size(), 16);
    auto rest = name.substr(std::min(name.size(), at + marker.size() + 16));
    if (at > 1 && digits.size() == 16 &&
        digits.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
        (rest.empty() || rest.front() == '.')) {
      return true;
    }
  }
  return false;
}

void write_file_atomic(const fs::path& path,
                       std::string_view content,
                       unsigned mode) {
  auto temporary = write_aside(path, content, mode, true);
  rename_into_place(temporary, path);
  fsync_directory(parent_of(path));
}

AtomicBatch::~AtomicBatch() {
  for (const auto& [temporary, path] : m_renames) {
    ::unlink(temporary.c_str());
  }
}

void AtomicBatch::write(const fs::path& path,
                        std::string_view content,
                        unsigned mode) {
  m_renames.emplace_back(write_aside(path, content, mode, false), path);
  ++m_written;
}

void AtomicBatch::remove(const fs::path& path) { m_removals.push_back(path); }

void AtomicBatch::prepare() {
  // Up to this many files, an fsync each costs less than a syncfs on a
  // busy filesystem (measured: bench/README.md, 50 concurrent member add).
  constexpr std::size_t k_fsync_each = 16;
  if (m_written == 0) {
    return; // adopted files only: durable already
  }
  if (m_written <= k_fsync_each) {
    for (const auto& [temporary, path] : m_renames) {
      Fd fd(::open(temporary.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        throw Error(ErrorKind::io,
                    fmt::format("cannot sync {}: {}", temporary.string(),
                                errno_text(errno)));
      }
    }
    return;
  }
  {
    Fd root(::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0 || ::syncfs(root.get()) != 0) {
      throw Error(ErrorKind::io,
                  fmt::format("cannot sync {}: {}", m_root.string(),
                              errno_text(errno)));
    }
  }
}

void AtomicBatch::apply() {
  std::vector<fs::path> directories;
  auto touched = [&](const fs::path& path) {
    auto directory = parent_of(path);
    if (std::find(directories.begin(), directories.end(), directory) ==
        directories.end()) {
      directories.push_back(directory);
    }
  };
  auto renames = std::move(m_renames);
  m_renames.clear();
  m_written = 0;
  for (std::size_t i = 0; i < renames.size(); ++i) {
    try {
      rename_into_place(renames[i].first, renames[i].second);
    } catch (...) {
      for (std::size_t j = i + 1; j < renames.size(); ++j) {
        ::unlink(renames[j].first.c_str());
      }
      throw;
    }
    touched(renames[i].second);
  }
  for (const auto& path : m_removals) {
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) {
        continue;
      }
      throw Error(ErrorKind::io,
                  fmt::format("cannot remove {}: {}", path.string(),
                              errno_text(errno)));
    }
    touched(path);
  }
  m_removals.clear();
  for (const auto& directory : directories) {
    fsync_directory(directory);
  }
}

void append_file_durable(const fs::path& path, std::string_view content) {
  Fd fd(::open(path.c_str(),
               O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot open {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto n = ::write(fd.get(), content.data(), content.size());
  if (n < 0 || static_cast<std::size_t>(n) != content.size() ||
      ::fsync(fd.get()) != 0) {
    throw Error(ErrorKind::io, fmt::format("cannot append to {}: {}",
                                           path.string(), errno_text(errno)));
  }
}

std::uint64_t reserve_append(const fs::path& path,
                             std::size_t length,
                             bool* ends_with_newline) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
  struct stat info {};
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot open {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto size = static_cast<std::uint64_t>(info.st_size);
  *ends_with_newline = true;
  if (size > 0) {
    char last = '\n';
    if (::pread(fd.get(), &last, 1, static_cast<off_t>(size - 1)) != 1) {
      throw Error(ErrorKind::io, fmt::format("cannot read {}: {}",
                                             path.string(), errno_text(errno)));
    }
    *ends_with_newline = last == '\n';
  }
  if (length > 0 &&
      ::fallocate(fd.get(), FALLOC_FL_KEEP_SIZE, static_cast<off_t>(size),
                  static_cast<off_t>(length)) != 0 &&
      errno != EOPNOTSUPP && errno != ENOSYS) {
    throw Error(ErrorKind::io,
                fmt::format("cannot make room for {} bytes in {}: {}", length,
                            path.string(), errno_text(errno)));
  }
  return size;
}

void write_at_durable(const fs::path& path,
                      std::uint64_t offset,
                      std::string_view content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot open {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto fail = [&] {
    throw Error(ErrorKind::io, fmt::format("cannot write to {}: {}",
                                           path.string(), errno_text(errno)));
  };
  // A shorter file is fine (truncating up would add zeros, not cut).
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    fail();
  }
  if (static_cast<std::uint64_t>(info.st_size) > offset &&
      ::ftruncate(fd.get(), static_cast<off_t>(offset)) != 0) {
    fail();
  }
  const char* data = content.data();
  std::size_t left = content.size();
  auto at = static_cast<off_t>(offset);
  while (left > 0) {
    auto n = ::pwrite(fd.get(), data, left, at);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail();
    }
    data += n;
    at += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    fail();
  }
}

void remove_file_durable(const fs::path& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) {
      return;
    }
    throw Error(ErrorKind::io,
                fmt::format("cannot remove {}: {}", path.string(),
                            errno_text(errno)));
  }
  fsync_directory(parent_of(path));
}

void make_directory(const fs::path& path, unsigned mode) {
  if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    if (errno == EEXIST) {
      return; // an existing directory keeps the mode its owner gave it
    }
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot create directory {}: {}", path.string(),
                            errno_text(errno)));
  }
  // Like the files, whatever the umask: a new directory gets `mode`.
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot set the mode of {}: {}", path.string(),
                            errno_text(errno)));
  }
}

FileLock::FileLock(const fs::path& path, std::chrono::milliseconds timeout,
                   std::string_view what, LockMode mode) {
  bool shared = mode == LockMode::shared;
  m_fd = shared ? ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                : ::open(path.c_str(),
                         O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (m_fd < 0 && shared && errno == ENOENT) {
    return; // never taken, so nobody holds it
  }
  if (m_fd < 0) {
    throw Error(ErrorKind::io,
                fmt::format("cannot open lock file {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(2);
  while (::flock(m_fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int error = errno;
      ::close(m_fd);
      throw Error(ErrorKind::io,
                  fmt::format("cannot lock {}: {}", path.string(),
                              errno_text(error)));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(m_fd);
      throw Error(ErrorKind::locked,
                  fmt::format("{} is locked by another mailgroup "
                              "process ({}); gave up after {} s (raise it "
                              "with --wait SECONDS)",
                              what, path.string(),
                              static_cast<double>(timeout.count()) / 1000.0));
    }
    // Short first, so 50 quick writers queue up fast; capped so a long wait
    // costs no CPU.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

FileLock::~FileLock() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

} // namespace mailgroup
