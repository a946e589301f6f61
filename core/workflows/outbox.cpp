// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/outbox.hpp"

#include "core/model/address.hpp"
#include "core/util/json_lines.hpp"
#include "core/util/process.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include <unistd.h>

namespace mailgroup {

std::string format_notices(const std::vector<Notice>& notices) {
  std::string text;
  for (const auto& notice : notices) {
    nlohmann::ordered_json line = {{"time", notice.time},
                                   {"group", notice.group},
                                   {"member", notice.member},
                                   {"source", notice.source}};
    if (notice.attempts > 0) {
      line["attempts"] = notice.attempts;
    }
    if (!notice.error.empty()) {
      line["error"] = notice.error;
    }
    if (notice.request) {
      line["request"] = notice.request;
      line["recipient"] = notice.recipient;
    }
    text += json_line(line);
  }
  return text;
}

std::vector<Notice> parse_notices(std::string_view text,
                                  const std::string& source) {
  std::vector<Notice> notices;
  read_json_lines(text, source, "a queued notice",
                  [&](const nlohmann::json& object) {
                    Notice notice;
                    notice.time = object.value("time", "");
                    notice.group =
                        require_address(object.at("group").get<std::string>());
                    notice.member =
                        require_address(object.at("member").get<std::string>());
                    notice.source = object.value("source", "");
                    auto attempts = whole_number(object, "attempts");
                    if (attempts < 0 || attempts > 1000000) {
                      throw Error(ErrorKind::data,
                                  "'attempts' is out of range");
                    }
                    notice.attempts = static_cast<unsigned>(attempts);
                    notice.error = object.value("error", "");
                    auto request = whole_number(object, "request");
                    if (request < 0) {
                      throw Error(ErrorKind::data, "'request' is negative");
                    }
                    notice.request = static_cast<std::uint64_t>(request);
                    if (notice.request) {
                      notice.recipient = require_address(
                          object.at("recipient").get<std::string>());
                    }
                    notices.push_back(std::move(notice));
                  });
  return notices;
}

Outbox::Outbox(const Store& store)
    : m_store(store), m_dir(store.outbox_dir()) {}

std::vector<fs::path> Outbox::files() const {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_dir, ec)) {
    auto name = entry.path().filename().string();
    if (!name.starts_with('.') && name.ends_with(".jsonl")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void Outbox::add(const std::vector<Notice>& notices) const {
  if (notices.empty()) {
    return;
  }
  make_directory(m_dir, 0700);
  // Unique without a lock: the time sorts the files, the pid tells apart
  // runs of the same second.
  std::string stamp;
  for (char c : now_rfc3339()) {
    if (c != '-' && c != ':') {
      stamp += c;
    }
  }
  static unsigned count = 0;
  write_file_atomic(
      m_dir / fmt::format("{}-{}-{}.jsonl", stamp, ::getpid(), count++),
      format_notices(notices), 0600);
}

std::vector<Notice> Outbox::list() const {
  std::vector<Notice> all;
  for (const auto& file : files()) {
    auto notices = parse_notices(read_file(file), file.string());
    all.insert(all.end(), notices.begin(), notices.end());
  }
  return all;
}

namespace {

// Whether `notice` still applies: the group exists, still notifies, and
// the person is still a member (the resolved members are read from disk
// once per group, as sync's snapshot does not hold them).
class StillDue {
public:
  StillDue(const Store& store, const Snapshot& snapshot)
      : m_store(store), m_snapshot(snapshot) {}

  const Group* group_for(const Notice& notice) {
    const auto* group = m_snapshot.find(notice.group);
    if (!group) {
      return nullptr;
    }
    if (notice.request) {
      // Still pending, and still theirs to decide.
      const auto* request = m_snapshot.requests.find(notice.request);
      bool administrator = std::binary_search(group->administrators.begin(),
                                              group->administrators.end(),
                                              notice.recipient);
      return request && request->group == group->address && administrator
                 ? group
                 : nullptr;
    }
    if (!group->notify_members) {
      return nullptr;
    }
    const auto& member = notice.member;
    if (std::binary_search(group->members.begin(), group->members.end(),
                           member)) {
      return group;
    }
    if (!group->dynamic ||
        std::binary_search(group->dynamic->exclude.begin(),
                           group->dynamic->exclude.end(), member)) {
      return nullptr;
    }
    auto [it, fresh] = m_resolved.try_emplace(group->address);
    if (fresh) {
      it->second = "\n" + m_store.read_resolved_text(group->address);
    }
    return it->second.find(fmt::format("\n{}\n", member)) != std::string::npos
               ? group
               : nullptr;
  }

private:
  const Store& m_store;
  const Snapshot& m_snapshot;
  std::map<std::string, std::string, std::less<>> m_resolved;
};

// Sends one message; the reason it failed, or empty.
std::string send(const std::vector<std::string>& command,
                 const std::string& message) {
  try {
    auto result = run_process(command, {message, false});
    if (result.status == 0) {
      return {};
    }
    auto output = trim(result.output);
    auto first_line = output.substr(0, output.find('\n'));
    return fmt::format("{} exited with status {}{}{}", command.front(),
                       result.status, first_line.empty() ? "" : ": ",
                       first_line);
  } catch (const Error& e) {
    return e.what();
  }
}

} // namespace

// How many sendmail processes run at once.
constexpr std::size_t k_parallel_sends = 4;

DeliveryReport Outbox::deliver(const Snapshot& snapshot) const {
  DeliveryReport report;
  auto queued = files();
  if (queued.empty()) {
    return report;
  }
  std::optional<FileLock> lock;
  try {
    lock.emplace(m_dir / ".lock", std::chrono::milliseconds(0));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::locked) {
      throw;
    }
    report.busy = true;
    return report;
  }
  StillDue still_due(m_store, snapshot);
  // Each file is rewritten (or removed) once its notices were tried, so a
  // crash repeats at most one file's worth.
  for (const auto& file : files()) {
    auto text = read_file_if_exists(file);
    if (!text) {
      continue;
    }
    // Compose first (one thread), then send a few at a time: each sendmail
    // waits mostly on postdrop's fsync, so overlapping them pays.
    std::vector<Notice> due;
    std::vector<std::string> messages;
    for (auto& notice : parse_notices(*text, file.string())) {
      const Group* group = still_due.group_for(notice);
      if (!group) {
        ++report.dropped;
        continue;
      }
      messages.push_back(compose_notice(snapshot, *group, notice));
      due.push_back(std::move(notice));
    }
    std::vector<std::string> errors(due.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t i = next++; i < due.size(); i = next++) {
        errors[i] = send(snapshot.config.notify.sendmail, messages[i]);
      }
    };
    {
      std::vector<std::jthread> workers;
      for (std::size_t n = 1; n < std::min<std::size_t>(k_parallel_sends, due.size()); ++n) {
        workers.emplace_back(worker);
      }
      worker();
    }
    std::vector<Notice> failed;
    for (std::size_t i = 0; i < due.size(); ++i) {
      if (errors[i].empty()) {
        ++report.sent;
        continue;
      }
      ++due[i].attempts;
      due[i].error = std::move(errors[i]);
      failed.push_back(std::move(due[i]));
    }
    if (failed.empty()) {
      remove_file_durable(file);
    } else {
      write_file_atomic(file, format_notices(failed), 0600);
    }
    report.kept.insert(report.kept.end(), failed.begin(), failed.end());
  }
  return report;
}

} // namespace mailgroup
