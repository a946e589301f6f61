// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/files.hpp"

#include "core/postfix/apply.hpp"
#include "core/postfix/live_config.hpp"
#include "core/postfix/output_stamp.hpp"
#include "core/util/error.hpp"
#include "core/util/process.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

namespace mailgroup {

namespace {

constexpr std::string_view k_lock_file = ".mailgroup.lock";
constexpr std::string_view k_manifest_file = ".mailgroup-manifest";

// Map lines by key, comments and blank lines left out: views into `text`,
// which copies of would double a virtual map of hundreds of megabytes.
std::map<std::string_view, std::string_view> entries_of(std::string_view text) {
  std::map<std::string_view, std::string_view> entries;
  for (auto line : split(text, '\n')) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto tab = line.find('\t');
    entries.emplace(line.substr(0, tab), line);
  }
  return entries;
}

std::size_t changed_entries(std::string_view before, std::string_view after) {
  auto a = entries_of(before);
  auto b = entries_of(after);
  std::size_t changed = 0;
  for (const auto& [key, line] : a) {
    auto it = b.find(key);
    if (it == b.end() || it->second != line) {
      ++changed;
    }
  }
  for (const auto& [key, line] : b) {
    if (!a.count(key)) {
      ++changed;
    }
  }
  return changed;
}

std::string plural(std::size_t n, std::string_view word) {
  if (n == 1) {
    return fmt::format("1 {}", word);
  }
  // "entry" -> "entries", "table" -> "tables".
  return word.ends_with('y')
             ? fmt::format("{} {}ies", n, word.substr(0, word.size() - 1))
             : fmt::format("{} {}s", n, word);
}

// What each database in the output directory was built from, so that a
// run compares what Postfix reads, not only the text sources: a crash
// between renaming a new database into place and renaming its source
// leaves a database no source comparison would notice. Written after the
// builds; a database counts as current only if its entry names the source
// content wanted now and the very file there (inode, size, modification
// time), so a crash before the manifest is written, a database replaced by
// hand or a lost manifest all mean: rebuild.
struct Built {
  std::string type;   // hash, lmdb, cdb
  std::string source; // FNV-1a and length of the source text
  std::string file;   // inode, size and mtime of the database

  bool operator==(const Built&) const = default;
};
using Manifest = std::map<std::string, Built>;

std::string source_id(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}-{}", hash, text.size());
}

// Empty if `path` is not a regular file (missing, or a planted symlink).
std::string file_id(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return {};
  }
  return fmt::format("{}-{}-{}.{:09}", info.st_ino, info.st_size,
                     info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
}

// A line that does not parse is left out: its database is rebuilt.
Manifest parse_manifest(std::string_view text) {
  Manifest manifest;
  for (auto line : split(text, '\n')) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto fields = split(line, '\t');
    if (fields.size() == 4) {
      manifest[std::string(fields[0])] = {std::string(fields[1]),
                                          std::string(fields[2]),
                                          std::string(fields[3])};
    }
  }
  return manifest;
}

std::string format_manifest(const Manifest& manifest) {
  std::string out =
      "# Written by mailgroup generate postfix --postmap: what each database "
      "here was\n# built from. Do not edit; remove it to have every database "
      "rebuilt.\n";
  for (const auto& [name, built] : manifest) {
    out += fmt::format("{}\t{}\t{}\t{}\n", name, built.type, built.source,
                       built.file);
  }
  return out;
}

// Builds the database for `text` aside and renames it over the live one.
// The aside name is unique (O_EXCL), so no other run builds into it.
void build_table(const fs::path& dir,
                 const std::string& name,
                 const std::string& text,
                 const WriteOptions& options,
                 const PostfixTools& tools) {
  auto target = dir / name;
  auto aside = write_temporary(target, text);
  auto built = database_name(aside.string(), options.table_type);
  auto discard = [&] {
    ::unlink(aside.c_str());
    ::unlink(built.c_str());
  };
  // postmap creates its database from the source's name: remove whatever
  // is there (unlink does not follow a planted symlink) before it runs.
  ::unlink(built.c_str());
  auto argv = tools.command("postmap");
  argv.push_back(fmt::format("{}:{}", options.table_type, aside.string()));
  ProcessResult result;
  try {
    result = run_process(argv);
  } catch (...) {
    discard();
    throw;
  }
  if (result.status != 0) {
    discard();
    throw Error(ErrorKind::io,
                fmt::format("postmap failed on {}: {}", target.string(),
                            trim(result.output)));
  }
  auto live = database_name(target.string(), options.table_type);
  if (::rename(built.c_str(), live.c_str()) != 0) {
    discard();
    throw Error(ErrorKind::io, fmt::format("cannot rename {} to {}", built,
                                           live));
  }
  if (::rename(aside.c_str(), target.c_str()) != 0) {
    discard();
    throw Error(ErrorKind::io, fmt::format("cannot rename {} to {}",
                                           aside.string(), target.string()));
  }
}

// Work files a run that died left in `dir` (we hold the output lock, so no
// live run owns one), and those of versions that used fixed names.
void remove_leftovers(const fs::path& dir,
                      const std::set<std::string>& names) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    bool legacy = false;
    if (name.starts_with('.')) {
      auto dot = name.find(".new");
      legacy = dot != std::string::npos &&
               names.count(name.substr(1, dot - 1)) &&
               (name.size() == dot + 4 || name[dot + 4] == '.');
    }
    if (legacy || is_temporary_name(name)) {
      ::unlink(entry.path().c_str());
    }
  }
}

// The order that keeps Postfix consistent at every moment: first the tables
// restriction classes read (so a new group's sender table exists before
// anything names it), then recipient_access, which names the classes, then
// virtual, then the fragment.
std::vector<const GeneratedFile*> in_write_order(
    const std::vector<GeneratedFile>& files) {
  auto rank = [](const GeneratedFile& file) {
    if (file.name == "recipient_access") {
      return 1;
    }
    if (file.name == "virtual") {
      return 2;
    }
    return file.is_table ? 0 : 3;
  };
  std::vector<const GeneratedFile*> order;
  for (const auto& file : files) {
    order.push_back(&file);
  }
  std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) {
    return rank(*a) < rank(*b);
  });
  return order;
}

// A table only restriction classes read (written before main.cf declares
// a class that names it).
bool is_class_table(const GeneratedFile& file) {
  return file.is_table && file.name != "recipient_access" &&
         file.name != "virtual";
}

bool is_sender_table_stem(std::string_view stem) {
  return stem.size() == 16 &&
         stem.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

} // namespace

// Postfix strips an extension at any recipient_delimiter character, but
// what mailgroup writes (the access tables, the policy index, the nesting
// checks) knows only '+': with '-' too, team-x@ would reach team@'s
// members past every check made for team@. Unknown (no postconf, no
// main.cf, as on a machine that only builds the maps): not checked here;
// mailgroup(1) says so.
void require_plus_delimiter(const std::optional<MainCf>& main_cf) {
  if (!main_cf) {
    return;
  }
  auto setting = main_cf->find("recipient_delimiter");
  if (setting == main_cf->end() ||
      setting->second.find_first_not_of('+') == std::string::npos) {
    return;
  }
  throw Error(ErrorKind::config,
              fmt::format("main.cf sets recipient_delimiter = {}, but "
                          "mailgroup's checks know only '+' as the extension "
                          "delimiter: Postfix would deliver a group's address "
                          "with another delimiter past them; set "
                          "recipient_delimiter = + (or leave it empty) with "
                          "postconf -e, then generate again",
                          setting->second));
}

WriteReport write_postfix_output(const PostfixOutput& output,
                                 const fs::path& dir,
                                 const WriteOptions& options) {
  WriteReport report;
  // Read once for the checks made before anything is written.
  auto live_main_cf = read_main_cf(PostfixTools(options.postfix_config_dir));
  require_plus_delimiter(live_main_cf);
  // One run at a time: two would build into and rename over each other's
  // tables. A check reads under a shared lock, and writes no lock file.
  std::optional<FileLock> lock;
  auto what = fmt::format("the output directory {}", dir.string());
  std::set<std::string> wanted;
  std::set<std::string> basenames;
  for (const auto& file : output.files) {
    wanted.insert(file.name);
    basenames.insert(fs::path(file.name).filename().string());
  }
  if (options.check_only) {
    if (fs::is_directory(dir)) {
      lock.emplace(dir / k_lock_file, options.lock_timeout, what,
                   LockMode::shared);
    }
  } else {
    make_directory(dir);
    lock.emplace(dir / k_lock_file, options.lock_timeout, what);
    // Tables are written and stale ones deleted in senders/: followed as a
    // link, that would happen in whatever directory it points to.
    if (fs::is_symlink(dir / "senders")) {
      throw Error(ErrorKind::cant_create,
                  fmt::format("{} is a symbolic link; mailgroup writes sender "
                              "tables only into a real directory: remove the "
                              "link",
                              (dir / "senders").string()));
    }
    make_directory(dir / "senders");
    // Whatever this run does, the old stamp no longer describes the files.
    remove_stamp(dir);
    remove_leftovers(dir, basenames);
    remove_leftovers(dir / "senders", basenames);
  }
  // Databases are compared when they are built here, and by a check of
  // a directory where they were.
  auto manifest_text = read_file_if_exists(dir / k_manifest_file);
  auto manifest = parse_manifest(manifest_text.value_or(""));
  bool databases = options.postmap || (options.check_only && manifest_text);
  bool manifest_changed = false;
  std::size_t senders_created = 0;
  std::size_t senders_changed = 0;
  std::size_t senders_stale = 0;
  PostfixTools tools(options.postfix_config_dir);
  // Lines by file name, so the report reads in name order whatever the
  // order of the writes.
  std::map<std::string, std::string> changes;
  std::optional<MainCfUpdate> update;
  if (options.apply && !options.check_only) {
    for (const auto& file : output.files) {
      if (file.name == "main.cf.fragment") {
        update.emplace(tools, file.content, options.map_dir);
        update->keep_site_restrictions(live_main_cf);
      }
    }
  }
  bool declared = false;
  // Written aside, made durable by one syncfs and renamed in together: an
  // fsync and a directory fsync a file made the first run at 8,000 sender
  // tables mostly waiting (bench/README.md). --apply builds every table
  // with postmap at once (build_table); what waits here then is only the
  // fragment, still in place before main.cf changes.
  AtomicBatch pending(dir);
  for (const GeneratedFile* file_ptr : in_write_order(output.files)) {
    const auto& file = *file_ptr;
    if (update && !declared && !is_class_table(file)) {
      pending.commit();
      update->declare_classes();
      declared = true;
    }
    auto path = dir / file.name;
    auto before = read_file_if_exists(path);
    bool same = before && *before == file.content;
    auto database = database_name(path.string(), options.table_type);
    std::string_view stale; // why the database is not what Postfix should read
    if (file.is_table && databases) {
      auto id = file_id(database);
      auto it = manifest.find(file.name);
      if (id.empty()) {
        stale = "missing";
      } else if (it == manifest.end() ||
                 it->second != Built{options.table_type,
                                     source_id(file.content), id}) {
        stale = "out of date";
      }
    }
    if (same && stale.empty()) {
      continue;
    }
    // Only --postmap brings a database here up to date.
    report.stale_databases |= file.is_table && databases;
    bool is_sender_table = file.name.starts_with("senders/");
    if (!same) {
      if (is_sender_table) {
        ++(before ? senders_changed : senders_created);
      } else if (!before) {
        changes[file.name] = (
            file.is_table
                ? fmt::format("{}: created ({})", file.name,
                              plural(entries_of(file.content).size(), "entry"))
                : fmt::format("{}: created", file.name));
      } else {
        changes[file.name] = (
            file.is_table
                ? fmt::format("{}: {} changed", file.name,
                              plural(changed_entries(*before, file.content),
                                     "entry"))
                : fmt::format("{}: changed", file.name));
      }
    } else {
      // The source is as wanted but its database is not: silent before.
      if (is_sender_table) {
        ++senders_stale;
      } else {
        changes[file.name] = (fmt::format(
            "{}: {}{}", fs::path(database).filename().string(), stale,
            options.check_only ? ""
            : stale == "missing" ? ", built"
                                 : ", rebuilt"));
      }
    }
    if (options.check_only) {
      continue;
    }
    if (file.is_table && options.postmap) {
      build_table(dir, file.name, file.content, options, tools);
      manifest[file.name] = {options.table_type, source_id(file.content),
                             file_id(database)};
      manifest_changed = true;
    } else if (!same) {
      pending.write(path, file.content);
    }
  }
  pending.commit();
  for (auto& [name, line] : changes) {
    report.changes.push_back(std::move(line));
  }
  if (!options.check_only) {
    manifest_changed |= std::erase_if(manifest, [&](const auto& entry) {
                          return !wanted.count(entry.first);
                        }) > 0;
    if (manifest_changed) {
      write_file_atomic(dir / k_manifest_file, format_manifest(manifest));
    }
  }
  // Every table is in place: main.cf can drop the classes no longer named,
  // and after that the tables only they used can go (below).
  if (update) {
    if (!declared) {
      update->declare_classes();
    }
    update->finish();
    auto done = update->changes();
    report.changes.insert(report.changes.end(), done.begin(), done.end());
  }
  if (senders_stale > 0) {
    report.changes.push_back(fmt::format(
        "senders: {} {}", plural(senders_stale, "database"),
        options.check_only ? "out of date or missing" : "rebuilt"));
  }

  // Sender tables no group uses any more. One whose database is there may
  // still be named by the live main.cf (its class is declared until the
  // fragment that drops it is applied): it stays until main.cf stops naming
  // it, and a later run removes it then.
  std::map<std::string, std::vector<fs::path>> obsolete;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "senders", ec)) {
    auto name = entry.path().filename().string();
    // Only names we make: 16 hex digits, plus a database suffix.
    auto stem = name.substr(0, name.find('.'));
    if (is_sender_table_stem(stem) && !wanted.count("senders/" + stem)) {
      obsolete[stem].push_back(entry.path());
    }
  }
  std::optional<std::optional<MainCf>> live; // asked once, when needed
  std::size_t senders_removed = 0;
  std::size_t senders_kept = 0;
  for (const auto& [stem, paths] : obsolete) {
    auto source = dir / "senders" / stem;
    bool has_database = std::any_of(paths.begin(), paths.end(), [&](auto& p) {
      return p != source;
    });
    if (has_database) {
      if (!live) {
        live = read_main_cf(tools);
      }
      auto named = fmt::format("{}/senders/{}", options.map_dir, stem);
      if (!*live || main_cf_uses_table(**live, named)) {
        ++senders_kept;
        continue;
      }
    }
    if (std::find(paths.begin(), paths.end(), source) != paths.end()) {
      ++senders_removed;
    }
    if (!options.check_only) {
      for (const auto& path : paths) {
        remove_file_durable(path);
      }
    }
  }
  if (senders_created + senders_changed + senders_removed > 0) {
    report.changes.push_back(fmt::format(
        "senders: {} created, {} changed, {} removed",
        plural(senders_created, "table"), senders_changed, senders_removed));
  }
  if (senders_kept > 0) {
    report.changes.push_back(fmt::format(
        "senders: {} no longer used, kept while main.cf may still name {} "
        "(apply main.cf.fragment, or use --apply)",
        plural(senders_kept, "table"), senders_kept == 1 ? "it" : "them"));
  }
  // Tables kept for the live main.cf are work left for a later run: it must
  // not be skipped as unchanged.
  if (!options.check_only && !options.stamp_inputs.empty() &&
      senders_kept == 0) {
    write_stamp(dir, options.stamp_inputs);
  }
  return report;
}

} // namespace mailgroup
