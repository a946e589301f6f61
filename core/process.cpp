// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/process.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace mailgroup {

std::string find_program(const std::string& name) {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin";
  for (auto dir : split(path, ':')) {
    if (dir.empty()) {
      continue;
    }
    auto candidate = fmt::format("{}/{}", dir, name);
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

namespace {

struct Pipe {
  int read = -1;
  int write = -1;

  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      throw Error(ErrorKind::io, fmt::format("cannot create a pipe: {}",
                                             std::strerror(errno)));
    }
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() {
    if (read >= 0) {
      ::close(read);
      read = -1;
    }
  }
  void close_write() {
    if (write >= 0) {
      ::close(write);
      write = -1;
    }
  }
};

// A program that exits without reading all its input must not kill us with
// SIGPIPE: block it while we write, and discard one that came.
class SigpipeBlocked {
public:
  SigpipeBlocked() {
    sigemptyset(&m_pipe);
    sigaddset(&m_pipe, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
  }
  ~SigpipeBlocked() {
    timespec zero{};
    while (::sigtimedwait(&m_pipe, nullptr, &zero) > 0) {
    }
    ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
  sigset_t m_pipe;
  sigset_t m_old;
};

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const ProcessOptions& options) {
  Pipe out;
  std::optional<Pipe> err;
  std::optional<Pipe> in;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.input) {
    in.emplace();
    posix_spawn_file_actions_adddup2(&actions, in->read, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  if (options.separate_errors) {
    err.emplace();
    posix_spawn_file_actions_adddup2(&actions, err->write, 2);
  } else {
    posix_spawn_file_actions_adddup2(&actions, out.write, 2);
  }

  std::vector<char*> args;
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  int error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(),
                             environ);
  posix_spawn_file_actions_destroy(&actions);
  out.close_write();
  if (err) {
    err->close_write();
  }
  if (in) {
    in->close_read();
  }
  if (error != 0) {
    throw Error(ErrorKind::io, fmt::format("cannot run {}: {}", argv[0],
                                           std::strerror(error)));
  }

  // Feed stdin and drain stdout/stderr together, so that neither side
  // blocks the other on a full pipe.
  SigpipeBlocked no_sigpipe;
  ProcessResult result;
  std::string_view input = options.input.value_or("");
  if (in) {
    ::fcntl(in->write, F_SETFL, O_NONBLOCK);
    if (input.empty()) {
      in->close_write();
    }
  }
  char buffer[4096];
  while (out.read >= 0 || (err && err->read >= 0) || (in && in->write >= 0)) {
    std::vector<pollfd> fds;
    if (out.read >= 0) {
      fds.push_back({out.read, POLLIN, 0});
    }
    if (err && err->read >= 0) {
      fds.push_back({err->read, POLLIN, 0});
    }
    if (in && in->write >= 0) {
      fds.push_back({in->write, POLLOUT, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    for (const auto& fd : fds) {
      if (fd.revents == 0) {
        continue;
      }
      if (in && fd.fd == in->write) {
        auto n = ::write(in->write, input.data(), input.size());
        if (n > 0) {
          input.remove_prefix(static_cast<std::size_t>(n));
        }
        if (input.empty() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          in->close_write(); // done, or the program stopped reading
        }
        continue;
      }
      Pipe& from = fd.fd == out.read ? out : *err;
      auto& into = fd.fd == out.read ? result.output : result.errors;
      auto n = ::read(from.read, buffer, sizeof buffer);
      if (n > 0) {
        into.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        from.close_read();
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status)
                                    : 128 + WTERMSIG(status);
  return result;
}

} // namespace mailgroup
