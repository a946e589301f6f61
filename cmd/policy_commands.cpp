// SPDX-License-Identifier: GPL-3.0-or-later
// policy: the Postfix policy service, on standard input and output (as
// spawn(8) runs it) or on a UNIX socket of its own.
#include "cmd/context.hpp"
#include "cmd/exit_codes.hpp"

#include "core/postfix/policy.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <list>
#include <memory>

namespace mailgroup::cli {

namespace {

struct PolicyOptions {
  std::string index;
  std::string socket;
  std::string log = "syslog";
  int idle_seconds = 300;
};

// spawn(8) connects the command's standard error to the client too, so
// messages go to syslog (the mail log) unless asked otherwise.
class Log {
public:
  explicit Log(bool to_syslog) : m_syslog(to_syslog) {
    if (m_syslog) {
      ::openlog("mailgroup-policy", LOG_PID, LOG_MAIL);
    }
  }
  void write(int priority, const std::string& text) const {
    if (m_syslog) {
      ::syslog(priority, "%s", text.c_str());
    } else {
      fmt::print(stderr, "mailgroup: policy: {}\n", text);
      std::fflush(stderr);
    }
  }

private:
  bool m_syslog;
};

// One client: its requests in, its answers out.
class Conversation {
public:
  Conversation(PolicyIndexFile& file, const Log& log)
      : m_file(file), m_log(log) {}

  // Answers every complete request in `input`, appending to `out`; false
  // on a protocol error (logged): the connection is to be closed.
  bool take(std::string_view input, std::string& out) {
    while (!input.empty()) {
      auto status = m_reader.read(input);
      if (status == PolicyRequestReader::Status::error) {
        m_log.write(LOG_WARNING, fmt::format("closing the connection: {}",
                                             m_reader.error()));
        m_broken = true;
        return false;
      }
      if (status == PolicyRequestReader::Status::request) {
        out += "action=";
        out += answer();
        out += "\n\n";
      }
    }
    return true;
  }
  bool broken() const { return m_broken; }

private:
  std::string_view answer() {
    if (m_file.refresh()) {
      if (const auto* index = m_file.index()) {
        auto groups = index->group_count();
        m_log.write(LOG_INFO, fmt::format("loaded the policy index: {} group{}",
                                          groups, groups == 1 ? "" : "s"));
      } else {
        m_log.write(LOG_ERR, fmt::format("{}; answering {} until it is "
                                         "regenerated",
                                         m_file.problem(),
                                         k_policy_unavailable));
      }
    }
    const auto* index = m_file.index();
    return index ? decide_policy(*index, m_reader.request())
                 : k_policy_unavailable;
  }

  PolicyIndexFile& m_file;
  const Log& m_log;
  PolicyRequestReader m_reader;
  bool m_broken = false;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    auto done = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (done < 0 && errno == ENOTSOCK) {
      done = ::write(fd, data.data(), data.size());
    }
    if (done < 0 && errno == EINTR) {
      continue;
    }
    if (done <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(done));
  }
  return true;
}

// Reads what is there on `fd` and answers it; false when the client is
// gone or broke the protocol.
bool serve_once(int in, int out, Conversation& conversation) {
  std::array<char, 65536> buffer{};
  auto got = ::read(in, buffer.data(), buffer.size());
  if (got < 0 && errno == EINTR) {
    return true;
  }
  if (got <= 0) {
    return false;
  }
  std::string answers;
  bool open = conversation.take(
      std::string_view(buffer.data(), static_cast<std::size_t>(got)), answers);
  return write_all(out, answers) && open;
}

// As spawn(8) runs it: one client on stdin/stdout, until it hangs up or is
// idle for `idle_seconds` (Postfix closes idle policy connections itself
// after smtpd_policy_service_max_idle, 300 s by default).
int serve_stdio(PolicyIndexFile& file, const Log& log, int idle_seconds) {
  Conversation conversation(file, log);
  while (true) {
    pollfd in{0, POLLIN, 0};
    int ready = ::poll(&in, 1, idle_seconds * 1000);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return exit_ok; // idle: Postfix reconnects when it needs to
    }
    if (!serve_once(0, 1, conversation)) {
      return conversation.broken() ? exit_data : exit_ok;
    }
  }
}

int listen_on(const std::string& path) {
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) {
    throw Error(ErrorKind::usage,
                fmt::format("socket path {} is longer than {} bytes",
                            quote(path), sizeof(address.sun_path) - 1));
  }
  struct stat info {};
  // A socket left by an earlier run is replaced; anything else is kept.
  if (::lstat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode)) {
    ::unlink(path.c_str());
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (fd < 0 ||
      ::bind(fd, reinterpret_cast<const sockaddr*>(&address),
             sizeof(address)) != 0 ||
      ::listen(fd, 128) != 0) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot listen on {}: {}", path,
                            std::strerror(errno)));
  }
  return fd;
}

// Many clients on one UNIX socket, one thread: each request is answered
// in microseconds, so nobody waits behind anybody for long.
[[noreturn]] void serve_socket(PolicyIndexFile& file,
                               const Log& log,
                               const std::string& path) {
  constexpr std::size_t k_max_clients = 1024;
  int listener = listen_on(path);
  std::vector<pollfd> fds{{listener, POLLIN, 0}};
  std::vector<std::unique_ptr<Conversation>> conversations(1);
  while (true) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      continue;
    }
    for (std::size_t i = fds.size(); i-- > 1;) {
      if (fds[i].revents != 0 &&
          !serve_once(fds[i].fd, fds[i].fd, *conversations[i])) {
        ::close(fds[i].fd);
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
        conversations.erase(conversations.begin() +
                            static_cast<std::ptrdiff_t>(i));
      }
    }
    if (fds[0].revents & POLLIN) {
      int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0 && fds.size() > k_max_clients) {
        log.write(LOG_WARNING, "too many clients; refusing one");
        ::close(client);
      } else if (client >= 0) {
        fds.push_back({client, POLLIN, 0});
        conversations.push_back(std::make_unique<Conversation>(file, log));
      }
    }
  }
}

} // namespace

void add_policy_commands(CLI::App& app, Context& context) {
  auto opt = std::make_shared<PolicyOptions>();
  auto* policy = app.add_subcommand(
      "policy",
      "Answer Postfix's policy requests from the index generate writes");
  policy->add_option("--index", opt->index,
                     "The policy index (policy.index in generate's output)")
      ->required()
      ->type_name("FILE");
  policy->add_option("--socket", opt->socket,
                     "Listen on this UNIX socket (default: one client on "
                     "standard input and output, as spawn(8) runs it)")
      ->type_name("PATH");
  policy->add_option("--log", opt->log,
                     "Where messages go: syslog (default) or stderr")
      ->check(CLI::IsMember({"syslog", "stderr"}));
  policy->add_option("--idle", opt->idle_seconds,
                     "Exit after this many seconds without a request "
                     "(standard input only; default 300)")
      ->check(CLI::Range(1, 86400))
      ->type_name("SECONDS");
  policy->callback([opt, &context] {
    require_not_elevated(context, "run the policy service");
    std::signal(SIGPIPE, SIG_IGN);
    Log log(opt->log == "syslog");
    PolicyIndexFile file(opt->index);
    if (!opt->socket.empty()) {
      serve_socket(file, log, opt->socket);
    }
    context.exit_status = serve_stdio(file, log, opt->idle_seconds);
  });
}

} // namespace mailgroup::cli
