// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/process.hpp"

#include "core/util/error.hpp"
#include "core/util/text.hpp"

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

namespace {

bool is_executable(const std::string& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

} // namespace

PostfixTools::PostfixTools(std::string config_directory)
    : m_config_directory(std::move(config_directory)) {
  for (const char* candidate :
       {"/usr/sbin/postconf", "/usr/local/sbin/postconf"}) {
    if (is_executable(candidate)) {
      m_postconf = candidate;
      break;
    }
  }
}

const std::string& PostfixTools::command_directory() const {
  if (m_command_directory) {
    return *m_command_directory;
  }
  std::string directory = "/usr/sbin";
  if (!m_postconf.empty()) {
    directory = m_postconf.substr(0, m_postconf.rfind('/'));
    std::vector<std::string> argv{m_postconf};
    if (!m_config_directory.empty()) {
      argv.insert(argv.end(), {"-c", m_config_directory});
    }
    argv.insert(argv.end(), {"-h", "command_directory"});
    auto result = run_process(argv, {std::nullopt, true});
    auto answer = trim(result.output);
    // A broken configuration is for the tool itself to report, in its
    // own words.
    if (result.status == 0 && answer.starts_with('/') &&
        answer.find_first_of("\n\r\t ") == std::string_view::npos) {
      directory = std::string(answer);
    }
  }
  return m_command_directory.emplace(std::move(directory));
}

std::vector<std::string> PostfixTools::command(std::string_view tool) const {
  std::string program = tool == "postconf" && !m_postconf.empty()
                            ? m_postconf
                            : fmt::format("{}/{}", command_directory(), tool);
  if (!is_executable(program)) {
    throw Error(ErrorKind::io,
                fmt::format("{} not found: Postfix's tools are looked for in "
                            "its command_directory ({}), never in PATH; is "
                            "Postfix installed?",
                            program, command_directory()));
  }
  std::vector<std::string> argv{program};
  if (!m_config_directory.empty()) {
    argv.insert(argv.end(), {"-c", m_config_directory});
  }
  return argv;
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
  if (argv.empty() || !argv.front().starts_with('/')) {
    throw Error(ErrorKind::internal,
                fmt::format("refusing to run {}: not an absolute path, and "
                            "PATH is not searched",
                            quote(argv.empty() ? "" : argv.front())));
  }
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
  int error = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(),
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
