#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "geosim/error.h"
#include "scenario/diagnostics.h"

namespace geosim::scenario {

struct Node;
/// Nodes are shared, not copied: a YAML alias and an overlay's unchanged subtrees point at
/// the same node, which keeps alias-heavy input cheap.
using NodePtr = std::shared_ptr<const Node>;

enum class NodeKind { kNull, kScalar, kList, kMap };

/// One map entry; the key is a scalar node so that it keeps its own location.
struct Entry {
  NodePtr key;
  NodePtr value;
};

/// A YAML node that remembers where it was written (every node, map keys included).
struct Node {
  NodeKind kind = NodeKind::kNull;
  SourceLocation where;
  std::string text;             ///< scalar text
  bool quoted = false;          ///< a quoted (or explicitly tagged "!") scalar is a string
  std::vector<NodePtr> items;   ///< list items
  std::vector<Entry> entries;   ///< map entries in file order, duplicate keys dropped
  std::size_t expanded_size = 1;  ///< nodes in this subtree with every alias expanded

  bool is_map() const { return kind == NodeKind::kMap; }
  bool is_list() const { return kind == NodeKind::kList; }
  bool is_scalar() const { return kind == NodeKind::kScalar; }
  bool is_null() const { return kind == NodeKind::kNull; }
  /// The entry with key `key` in a map, or nullptr.
  const Entry* find_entry(std::string_view key) const;
  /// The value for `key` in a map, or nullptr.
  const Node* find(std::string_view key) const;
};

/// Limits that keep hostile input (alias bombs, deep nesting) from exhausting the machine.
inline constexpr std::size_t kMaxNodes = 1'000'000;
inline constexpr std::size_t kMaxDepth = 64;

/// Parses one YAML document from `text`; `file` is the path shown in locations. Every
/// problem (syntax error, duplicate key, empty file, more than one document, size limits)
/// is recorded in `diags`; returns nullptr when no usable tree could be built.
NodePtr parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags);

/// "a map", "a list", "nothing" or the quoted scalar text, for "expected X, got Y" messages.
std::string describe(const Node& node);

}  // namespace geosim::scenario
