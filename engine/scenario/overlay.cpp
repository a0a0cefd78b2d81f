#include "scenario/overlay.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <unordered_map>

namespace geosim::scenario {
namespace {

/// The scalar text of `map[key]`, or nullopt.
std::optional<std::string> scalar_at(const Node& map, std::string_view key) {
  const Node* value = map.is_map() ? map.find(key) : nullptr;
  if (!value || !value->is_scalar()) return std::nullopt;
  return value->text;
}

/// The id an item merges by: its `id` for maps, its dyad inside `relations`.
std::optional<std::string> merge_id(std::string_view list_key, const Node& item) {
  if (list_key == "relations") return relation_key(item);
  return scalar_at(item, "id");
}

NodePtr merge_value(std::string_view key, const NodePtr& parent, const NodePtr& child);

/// Whether a child item restarts the distribution of the parent's item with the same id
/// instead of merging into it: an `uncertain` item that gives `dist` states a whole
/// distribution, and merging would leave the parent's parameters of another kind behind
/// (`sd` on a uniform).
bool restarts(std::string_view list_key, const Node& item) {
  return list_key == "uncertain" && item.is_map() && item.find("dist") != nullptr;
}

/// An uncertain item with only its `id` and `path`: what a restarted item keeps.
NodePtr identity_of(const NodePtr& item) {
  auto out = std::make_shared<Node>(*item);
  std::erase_if(out->entries, [](const Entry& entry) {
    return entry.key->text != "id" && entry.key->text != "path";
  });
  return out;
}

NodePtr merge_maps(const NodePtr& parent, const NodePtr& child) {
  auto out = std::make_shared<Node>(*child);
  out->entries = parent->entries;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out->entries.size(); ++i) index.emplace(out->entries[i].key->text, i);
  for (const auto& entry : child->entries) {
    const auto found = index.find(entry.key->text);
    if (found == index.end()) {
      out->entries.push_back(entry);
    } else {
      Entry& same = out->entries[found->second];
      same = Entry{entry.key, merge_value(entry.key->text, same.value, entry.value)};
    }
  }
  return out;
}

NodePtr merge_lists(std::string_view key, const NodePtr& parent, const NodePtr& child) {
  auto out = std::make_shared<Node>(*child);
  out->items = parent->items;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out->items.size(); ++i) {
    if (auto id = merge_id(key, *out->items[i])) index.emplace(*id, i);
  }
  for (const auto& item : child->items) {
    const auto id = merge_id(key, *item);
    const auto found = id ? index.find(*id) : index.end();
    if (found == index.end()) {
      out->items.push_back(item);
    } else if (restarts(key, *item)) {
      auto& target = out->items[found->second];
      target = merge_maps(identity_of(target), item);
    } else {
      auto& target = out->items[found->second];
      target = merge_maps(target, item);
    }
  }
  return out;
}

NodePtr merge_value(std::string_view key, const NodePtr& parent, const NodePtr& child) {
  if (parent->is_map() && child->is_map()) return merge_maps(parent, child);
  // A dyad is one value, not a collection: overriding a relation must not append its ids.
  const bool is_pair = key == "between" || key == "dyad";
  if (parent->is_list() && child->is_list() && !is_pair) return merge_lists(key, parent, child);
  return child;
}

/// Reports the second and later items of `list` that share an id with an earlier item.
void check_list(std::string_view key, const Node& list, Diagnostics& diags) {
  std::unordered_map<std::string, int> first_line;
  for (const auto& item : list.items) {
    const auto id = merge_id(key, *item);
    if (!id) continue;
    const auto [seen, inserted] = first_line.emplace(*id, item->where.line);
    if (inserted) continue;
    if (key == "relations") {
      diags.error(item->where,
                  fmt::format("duplicate relation {} (first at line {})", *id, seen->second));
    } else {
      diags.error(item->find("id")->where, fmt::format("duplicate id '{}' in {} (first at line {})",
                                                       *id, key, seen->second));
    }
  }
}

}  // namespace

std::optional<std::string> relation_key(const Node& item) {
  if (!item.is_map()) return std::nullopt;
  if (const Node* between = item.find("between")) {
    if (!between->is_list() || between->items.size() != 2) return std::nullopt;
    const Node& a = *between->items[0];
    const Node& b = *between->items[1];
    if (!a.is_scalar() || !b.is_scalar()) return std::nullopt;
    return std::min(a.text, b.text) + "-" + std::max(a.text, b.text);
  }
  const auto from = scalar_at(item, "from");
  const auto to = scalar_at(item, "to");
  if (!from || !to) return std::nullopt;
  return *from + "->" + *to;
}

void check_duplicates(const Node& root, Diagnostics& diags) {
  if (!root.is_map()) return;
  for (const auto& entry : root.entries) {
    if (entry.value->is_list()) check_list(entry.key->text, *entry.value, diags);
  }
}

NodePtr overlay(const NodePtr& parent, const NodePtr& child) {
  return merge_value("", parent, child);
}

}  // namespace geosim::scenario
