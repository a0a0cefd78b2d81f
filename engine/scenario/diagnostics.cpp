#include "scenario/diagnostics.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace geosim::scenario {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

/// Position of `file` among the sources; unknown files sort last.
std::size_t file_rank(const std::string& file, std::span<const SourceFile> sources) {
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].path == file) return i;
  }
  return sources.size();
}

const SourceFile* find_source(const std::string& file, std::span<const SourceFile> sources) {
  const std::size_t rank = file_rank(file, sources);
  return rank < sources.size() ? &sources[rank] : nullptr;
}

/// Length of the valid UTF-8 sequence at `text[i]`, or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return length;
}

/// Replaces control characters and bytes that are not valid UTF-8 by '?', one per byte so
/// that the caret stays aligned, so that binary input cannot garble a terminal.
void replace_unprintable(std::string& line) {
  for (std::size_t i = 0; i < line.size();) {
    const auto u = static_cast<unsigned char>(line[i]);
    if (u < 0x80) {
      if ((u < 0x20 && line[i] != '\t') || u == 0x7f) line[i] = '?';
      ++i;
    } else if (const std::size_t length = utf8_length(line, i)) {
      i += length;
    } else {
      line[i++] = '?';
    }
  }
}

}  // namespace

void Diagnostics::error(const SourceLocation& where, std::string message) {
  items_.push_back(Diagnostic{where, std::move(message), {}});
}

std::vector<Diagnostic> Diagnostics::finish(std::span<const SourceFile> sources) const {
  std::vector<Diagnostic> out = items_;
  // Validation visits sections in dependency order (run before policies); sorting puts the
  // report in reading order instead.
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const auto ra = file_rank(a.where.file, sources);
    const auto rb = file_rank(b.where.file, sources);
    if (ra != rb) return ra < rb;
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
  for (auto& d : out) {
    if (const SourceFile* source = find_source(d.where.file, sources)) {
      d.source_line = source_line(source->text, d.where.line);
    }
  }
  return out;
}

void Diagnostics::throw_if_any(std::span<const SourceFile> sources) const {
  if (!empty()) throw InputError(finish(sources));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  auto at = [m, &d](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(n, m);
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates) {
  // Allow one edit for short words and two for longer ones: more would suggest unrelated
  // keys ("at" -> "id").
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 2);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  if (word.size() > 64) return best;  // keeps the quadratic distance cheap on garbage keys
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  const auto best = closest_match(word, candidates);
  return best ? fmt::format("; did you mean '{}'?", *best) : std::string();
}

std::string source_line(std::string_view text, int line) {
  if (line < 1) return {};
  std::size_t begin = 0;
  for (int i = 1; i < line; ++i) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  std::string out(text.substr(begin, end - begin));
  if (!out.empty() && out.back() == '\r') out.pop_back();
  replace_unprintable(out);
  return out;
}

}  // namespace geosim::scenario
