// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fs.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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

std::optional<std::string> read_file_if_exists(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    throw Error(ErrorKind::io,
                fmt::format("cannot open {}: {}", path.string(),
                            errno_text(errno)));
  }
  std::string content;
  char buffer[65536];
  while (true) {
    auto n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(ErrorKind::io,
                  fmt::format("cannot read {}: {}", path.string(),
                              errno_text(errno)));
    }
    if (n == 0) {
      return content;
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string read_file(const fs::path& path) {
  auto content = read_file_if_exists(path);
  if (!content) {
    throw Error(ErrorKind::no_input,
                fmt::format("{}: no such file", path.string()));
  }
  return std::move(*content);
}

void write_file_atomic(const fs::path& path,
                       std::string_view content,
                       unsigned mode) {
  auto directory = parent_of(path);
  auto temporary = directory / fmt::format(".{}.tmp-{}",
                                           path.filename().string(),
                                           random_suffix());
  Fd fd(::open(temporary.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               static_cast<mode_t>(mode)));
  if (fd.get() < 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot create {}: {}", temporary.string(),
                            errno_text(errno)));
  }
  auto fail = [&](const char* what) {
    int error = errno;
    ::unlink(temporary.c_str());
    throw Error(ErrorKind::io,
                fmt::format("cannot {} {}: {}", what, path.string(),
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
  if (::fsync(fd.get()) != 0) {
    fail("sync");
  }
  if (::close(fd.release()) != 0) {
    fail("close");
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    fail("rename into place");
  }
  fsync_directory(directory);
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
  if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0 &&
      errno != EEXIST) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot create directory {}: {}", path.string(),
                            errno_text(errno)));
  }
}

FileLock::FileLock(const fs::path& path, std::chrono::milliseconds timeout) {
  m_fd = ::open(path.c_str(),
                O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                0644);
  if (m_fd < 0) {
    throw Error(ErrorKind::io,
                fmt::format("cannot open lock file {}: {}", path.string(),
                            errno_text(errno)));
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(2);
  while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
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
                  fmt::format("the store is locked by another mailgroup "
                              "process ({}); gave up after {} s (raise it "
                              "with --wait SECONDS)",
                              path.string(),
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
