#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/error.h"
#include "geosim/scenario.h"

namespace geosim::scenario {

/// Collects every problem found while loading, so that all of them are reported at once
/// instead of making the user fix one error per run.
class Diagnostics {
 public:
  /// Records an error at `where`; `message` starts lowercase and has no "error:" prefix.
  void error(const SourceLocation& where, std::string message);

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  /// The collected diagnostics in file order (the order of `sources`, then line and column),
  /// each with its source line filled from the file text.
  std::vector<Diagnostic> finish(std::span<const SourceFile> sources) const;

  /// Throws InputError with finish(sources) when anything was recorded.
  void throw_if_any(std::span<const SourceFile> sources) const;

 private:
  std::vector<Diagnostic> items_;
};

/// Optimal-string-alignment (Damerau-Levenshtein) distance, compared case-insensitively so
/// that "rus" finds "RUS".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a plausible typo.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

/// "; did you mean 'x'?" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

/// The text of 1-based line `line` of `text`, without its line break; control characters
/// become '?' so that binary input cannot garble a terminal.
std::string source_line(std::string_view text, int line);

}  // namespace geosim::scenario
