#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostics.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {

/// The path of an element in messages: "agents[RUS].interests.korea.salience". The empty
/// path is the top level.
using Path = std::string;

/// `parent.key` (or `key` at the top level).
Path child_path(const Path& parent, std::string_view key);
/// `list[label]`, where the label is an item's id or its 0-based index.
Path item_path(const Path& list, std::string_view label);

/// An allowed interval for a number; bounds may be infinite.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool contains(double value) const;
  /// "in [0, 1)", ">= 0", "> -1", "<= 1"; empty when unbounded.
  std::string describe() const;
};

inline constexpr Range kUnit{0, 1};                                   ///< [0, 1]
inline constexpr Range kSigned{-1, 1};                                ///< [-1, 1]
inline constexpr Range kNonNegative{0, std::numeric_limits<double>::infinity()};  ///< [0, inf)

/// Whether `text` is an id: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view text);

/// Parses a YAML float: decimal forms such as `1e-3`, `.5`, `-0.2`, `+1`, and the special
/// `.inf`/`.nan` spellings (so that they can be rejected by name). The whole text must be
/// consumed.
std::optional<double> parse_double(std::string_view text);

/// Typed, checked access to tree nodes. Every failure is reported with the element's path
/// and location, and yields nullopt / false so that the caller can go on checking the rest.
class Reader {
 public:
  explicit Reader(Diagnostics& diags) : diags_(diags) {}

  /// Records an error at `where`; the message should start with the element's path.
  void error(const SourceLocation& where, std::string message) {
    diags_.error(where, std::move(message));
  }

  /// Checks that `node` is a map with only `known` keys (keys starting with "x-" are
  /// metadata and are skipped); unknown keys are reported with the closest known key.
  bool map(const Node& node, const Path& path, std::span<const std::string> known);
  /// Checks that `node` is a map (keys are checked by the caller, e.g. ids).
  bool any_map(const Node& node, const Path& path);
  bool list(const Node& node, const Path& path);

  /// `map[key]`, reporting "is missing required key" at the map when absent.
  const Node* require(const Node& map, const Path& path, std::string_view key);

  std::optional<double> number(const Node& node, const Path& path, const Range& range = {});
  /// An integer in [min, max]; `2.5` and `1e3` are rejected.
  std::optional<long long> integer(const Node& node, const Path& path, long long min,
                                   long long max);
  std::optional<int> int_value(const Node& node, const Path& path, int min);
  std::optional<std::uint64_t> unsigned64(const Node& node, const Path& path);
  std::optional<bool> boolean(const Node& node, const Path& path);
  std::optional<std::string> string(const Node& node, const Path& path);
  /// A string that is_identifier() accepts.
  std::optional<std::string> identifier(const Node& node, const Path& path);

  /// Optional number at `map[key]`, checked against `range`; nullopt when absent or bad.
  std::optional<double> optional_number(const Node& map, const Path& path, std::string_view key,
                                        const Range& range);
  /// Required number at `map[key]`.
  std::optional<double> required_number(const Node& map, const Path& path, std::string_view key,
                                         const Range& range);

 private:
  /// Reports "expected X, got Y" for a scalar of the wrong form or a non-scalar.
  void wrong_type(const Node& node, const Path& path, std::string_view expected);
  /// Whether `node` is a plain scalar; reports "expected X" otherwise.
  bool plain_scalar(const Node& node, const Path& path, std::string_view expected);

  Diagnostics& diags_;
};

}  // namespace geosim::scenario
