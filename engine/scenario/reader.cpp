#include "scenario/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cmath>

namespace geosim::scenario {
namespace {

/// A bound as written in messages ("0", "1", "-1"); infinite bounds never get here.
std::string bound(double value) { return fmt::format("{}", value); }

/// The text after an optional leading '+', which std::from_chars does not accept.
std::string_view without_plus(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return text;
}

bool is_any_of(std::string_view text, std::initializer_list<std::string_view> spellings) {
  for (auto spelling : spellings) {
    if (text == spelling) return true;
  }
  return false;
}

/// The scalar as shown after "got": plain text in quotes, quoted strings marked as such.
std::string shown(const Node& node) {
  return node.quoted ? "the quoted string " + describe(node) : describe(node);
}

}  // namespace

Path child_path(const Path& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

Path item_path(const Path& list, std::string_view label) {
  return fmt::format("{}[{}]", list, label);
}

bool Range::contains(double value) const {
  const bool above = min_exclusive ? value > min : value >= min;
  const bool below = max_exclusive ? value < max : value <= max;
  return above && below;
}

std::string Range::describe() const {
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  if (has_min && has_max) {
    return fmt::format("in {}{}, {}{}", min_exclusive ? '(' : '[', bound(min), bound(max),
                       max_exclusive ? ')' : ']');
  }
  if (has_min) return fmt::format("{} {}", min_exclusive ? ">" : ">=", bound(min));
  if (has_max) return fmt::format("{} {}", max_exclusive ? "<" : "<=", bound(max));
  return {};
}

bool is_identifier(std::string_view text) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.empty() || !alpha(text.front())) return false;
  for (char c : text) {
    if (!alpha(c) && !digit(c)) return false;
  }
  return true;
}

std::optional<double> parse_double(std::string_view text) {
  if (is_any_of(text, {".nan", ".NaN", ".NAN"})) return std::nan("");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (is_any_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return kInf;
  if (is_any_of(text, {"-.inf", "-.Inf", "-.INF"})) return -kInf;
  const std::string_view digits = without_plus(text);
  // from_chars would also take "inf" and "nan", which YAML does not call numbers.
  if (digits.empty() || digits.find_first_of("iInN") != std::string_view::npos) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return std::nullopt;
  // Out of range is overflow (caught later as "not finite") or harmless underflow; strtod
  // gives the saturated value that from_chars leaves unset.
  if (ec == std::errc::result_out_of_range) return std::strtod(std::string(digits).c_str(), nullptr);
  if (ec != std::errc()) return std::nullopt;
  return value;
}

void Reader::wrong_type(const Node& node, const Path& path, std::string_view expected) {
  error(node.where, fmt::format("{}: expected {}, got {}", path, expected,
                                node.is_scalar() ? shown(node) : describe(node)));
}

bool Reader::plain_scalar(const Node& node, const Path& path, std::string_view expected) {
  if (node.is_scalar() && !node.quoted) return true;
  wrong_type(node, path, expected);
  return false;
}

bool Reader::map(const Node& node, const Path& path, std::span<const std::string> known) {
  if (!any_map(node, path)) return false;
  for (const auto& entry : node.entries) {
    const std::string& key = entry.key->text;
    if (key.starts_with("x-")) continue;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string owner = path.empty() ? "the scenario" : path;
    error(entry.key->where,
          fmt::format("{} has unknown key '{}'{}", owner, key, did_you_mean(key, known)));
  }
  return true;
}

bool Reader::any_map(const Node& node, const Path& path) {
  if (node.is_map()) return true;
  wrong_type(node, path, "a map");
  return false;
}

bool Reader::list(const Node& node, const Path& path) {
  if (node.is_list()) return true;
  wrong_type(node, path, "a list");
  return false;
}

const Node* Reader::require(const Node& map, const Path& path, std::string_view key) {
  if (const Node* value = map.find(key)) return value;
  const std::string owner = path.empty() ? "the scenario" : path;
  error(map.where, fmt::format("{} is missing required key '{}'", owner, key));
  return nullptr;
}

std::optional<double> Reader::number(const Node& node, const Path& path, const Range& range) {
  if (!plain_scalar(node, path, "a number")) return std::nullopt;
  const auto value = parse_double(node.text);
  if (!value) {
    wrong_type(node, path, "a number");
    return std::nullopt;
  }
  if (!std::isfinite(*value)) {
    error(node.where, fmt::format("{} must be a finite number, got {}", path, node.text));
    return std::nullopt;
  }
  if (!range.contains(*value)) {
    error(node.where, fmt::format("{} must be {}, got {}", path, range.describe(), node.text));
    return std::nullopt;
  }
  return value;
}

std::optional<long long> Reader::integer(const Node& node, const Path& path, long long min,
                                         long long max) {
  if (!plain_scalar(node, path, "an integer")) return std::nullopt;
  const std::string_view digits = without_plus(node.text);
  long long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool consumed = !digits.empty() && end == digits.data() + digits.size();
  if (!consumed || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    wrong_type(node, path, "an integer");
    return std::nullopt;
  }
  // Bounds at the type's limit are only what the type can hold: not worth printing as a range.
  const bool unbounded = max >= std::numeric_limits<int>::max();
  const bool too_large = ec == std::errc::result_out_of_range ? !digits.starts_with('-') : value > max;
  const bool too_small = ec == std::errc::result_out_of_range ? digits.starts_with('-') : value < min;
  if (too_small || too_large) {
    std::string range = fmt::format("in [{}, {}]", min, max);
    if (unbounded) range = too_small ? fmt::format(">= {}", min) : fmt::format("at most {}", max);
    error(node.where, fmt::format("{} must be {}, got {}", path, range, node.text));
    return std::nullopt;
  }
  return value;
}

std::optional<int> Reader::int_value(const Node& node, const Path& path, int min) {
  const auto value = integer(node, path, min, std::numeric_limits<int>::max());
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

std::optional<std::uint64_t> Reader::unsigned64(const Node& node, const Path& path) {
  if (!plain_scalar(node, path, "an integer")) return std::nullopt;
  const std::string_view digits = without_plus(node.text);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool consumed = !digits.empty() && end == digits.data() + digits.size();
  if (consumed && ec == std::errc()) return value;
  if (consumed && ec == std::errc::result_out_of_range) {
    error(node.where, fmt::format("{} must fit in 64 bits, got {}", path, node.text));
  } else if (digits.starts_with('-')) {
    integer(node, path, 0, std::numeric_limits<long long>::max());  // reports "must be >= 0"
  } else {
    wrong_type(node, path, "an integer");
  }
  return std::nullopt;
}

std::optional<bool> Reader::boolean(const Node& node, const Path& path) {
  if (!plain_scalar(node, path, "true or false")) return std::nullopt;
  if (is_any_of(node.text, {"true", "True", "TRUE"})) return true;
  if (is_any_of(node.text, {"false", "False", "FALSE"})) return false;
  wrong_type(node, path, "true or false");
  return std::nullopt;
}

std::optional<std::string> Reader::string(const Node& node, const Path& path) {
  if (node.is_scalar()) return node.text;
  wrong_type(node, path, "a string");
  return std::nullopt;
}

std::optional<std::string> Reader::identifier(const Node& node, const Path& path) {
  auto text = string(node, path);
  if (!text) return std::nullopt;
  if (is_identifier(*text)) return text;
  error(node.where, fmt::format("{} must be an id matching [A-Za-z_][A-Za-z0-9_]*, got {}", path,
                                describe(node)));
  return std::nullopt;
}

std::optional<double> Reader::optional_number(const Node& map, const Path& path,
                                              std::string_view key, const Range& range) {
  const Node* value = map.find(key);
  return value ? number(*value, child_path(path, key), range) : std::nullopt;
}

std::optional<double> Reader::required_number(const Node& map, const Path& path,
                                              std::string_view key, const Range& range) {
  const Node* value = require(map, path, key);
  return value ? number(*value, child_path(path, key), range) : std::nullopt;
}

}  // namespace geosim::scenario
