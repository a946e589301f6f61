// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

namespace mailgroup {

std::string Location::to_string() const {
  if (line == 0) {
    return path;
  }
  if (column == 0) {
    return fmt::format("{}:{}", path, line);
  }
  return fmt::format("{}:{}:{}", path, line, column);
}

std::string Diagnostic::to_string() const {
  if (where.path.empty()) {
    return message;
  }
  return fmt::format("{}: {}", where.to_string(), message);
}

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (!text.empty()) {
      text += '\n';
    }
    text += d.to_string();
  }
  return text;
}
} // namespace

Error::Error(ErrorKind kind, const std::string& message)
    : std::runtime_error(message), m_kind(kind) {}

Error::Error(ErrorKind kind, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)),
      m_kind(kind),
      m_diagnostics(std::move(diagnostics)) {}

std::vector<std::string> Error::lines() const {
  if (m_diagnostics.empty()) {
    return {what()};
  }
  std::vector<std::string> out;
  for (const auto& diagnostic : m_diagnostics) {
    out.push_back(diagnostic.to_string());
  }
  return out;
}

void to_json(nlohmann::ordered_json& json, const Diagnostic& diagnostic) {
  json = {{"file", diagnostic.where.path},
          {"line", diagnostic.where.line},
          {"column", diagnostic.where.column},
          {"message", diagnostic.message}};
}

} // namespace mailgroup
