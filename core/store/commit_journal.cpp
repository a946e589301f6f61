// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/commit_journal.hpp"

#include "core/util/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace mailgroup {

namespace {

// A journal lives in the store and names files in it; one that names
// anything else was not written by mailgroup and is not obeyed.
std::string relative_path(const nlohmann::json& value) {
  auto text = value.get<std::string>();
  fs::path path(text);
  if (text.empty() || path.is_absolute()) {
    throw Error(ErrorKind::data,
                fmt::format("path {} is not inside the store", text));
  }
  for (const auto& part : path) {
    if (part == ".." || part == ".") {
      throw Error(ErrorKind::data,
                  fmt::format("path {} is not inside the store", text));
    }
  }
  return text;
}

// Appends `lines` meant for `offset` of `log`, after a crash: what lies
// there now decides. Our own lines, whole or cut short, are completed; lines
// someone else added since (a git pull, a hand edit) are kept, and ours go
// after them.
void finish_log_append(const fs::path& log,
                       std::uint64_t offset,
                       const std::string& lines) {
  std::ifstream in(log, std::ios::binary | std::ios::ate);
  std::uint64_t size = in ? static_cast<std::uint64_t>(in.tellg()) : 0;
  std::string tail;
  if (size > offset) {
    tail.resize(static_cast<std::size_t>(
        std::min<std::uint64_t>(size - offset, lines.size() + 1)));
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<std::size_t>(in.gcount()));
  }
  if (size > offset && std::string_view(tail).starts_with(lines)) {
    return; // written whole before the crash
  }
  if (size > offset && size - offset < lines.size() &&
      std::string_view(lines).starts_with(tail)) {
    write_at_durable(log, offset, lines); // cut short: written again
    return;
  }
  if (size == offset) {
    write_at_durable(log, offset, lines);
    return;
  }
  // Others' lines (or a shorter file): ours go at the end, on a line of
  // their own.
  std::string last(1, '\n');
  if (size > 0) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(size - 1));
    in.read(last.data(), 1);
  }
  auto text = lines.starts_with('\n') ? lines.substr(1) : lines;
  write_at_durable(log, size, last == "\n" ? text : "\n" + text);
}

} // namespace

fs::path journal_path(const fs::path& root) { return root / ".commit"; }

std::string format_journal(const CommitJournal& journal) {
  nlohmann::json renames = nlohmann::json::array();
  for (const auto& [aside, final_path] : journal.renames) {
    renames.push_back({aside, final_path});
  }
  nlohmann::json object = {{"renames", renames},
                           {"removals", journal.removals},
                           {"log_offset", journal.log_offset},
                           {"log", journal.log_lines}};
  return object.dump() + "\n";
}

CommitJournal parse_journal(std::string_view text, const std::string& source) {
  try {
    auto object = nlohmann::json::parse(text);
    CommitJournal journal;
    for (const auto& pair : object.at("renames")) {
      journal.renames.emplace_back(relative_path(pair.at(0)),
                                   relative_path(pair.at(1)));
    }
    for (const auto& path : object.at("removals")) {
      journal.removals.push_back(relative_path(path));
    }
    journal.log_offset = object.at("log_offset").get<std::uint64_t>();
    journal.log_lines = object.at("log").get<std::string>();
    return journal;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::data,
                {Diagnostic{Location{source},
                            fmt::format("not a commit journal ({}); it was "
                                        "not written by mailgroup: move it "
                                        "away and run 'mailgroup check'",
                                        e.what())}});
  }
}

void roll_forward(const fs::path& root,
                  const CommitJournal& journal,
                  const fs::path& log) {
  AtomicBatch batch(root);
  for (const auto& [aside, final_path] : journal.renames) {
    // Renamed already when the crash came after it.
    if (fs::exists(fs::symlink_status(root / aside))) {
      batch.adopt(root / aside, root / final_path);
    }
  }
  for (const auto& path : journal.removals) {
    batch.remove(root / path);
  }
  batch.apply();
  if (!journal.log_lines.empty()) {
    finish_log_append(log, journal.log_offset, journal.log_lines);
  }
  remove_file_durable(journal_path(root));
}

bool recover_commit(const fs::path& root, const fs::path& log) {
  auto path = journal_path(root);
  auto text = read_store_file_if_exists(path);
  if (!text) {
    return false;
  }
  roll_forward(root, parse_journal(*text, path.string()), log);
  return true;
}

} // namespace mailgroup
