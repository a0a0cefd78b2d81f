#pragma once
#include <optional>
#include <string>

#include "scenario/diagnostics.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {

/// The identity of a relation for merging and duplicate checks: "A-B" with the ids sorted
/// for an unordered `between: [A, B]`, "A->B" for `from: A, to: B`; nullopt when the item
/// names its dyad in neither form.
std::optional<std::string> relation_key(const Node& item);

/// Reports what one file lists twice: ids in the top-level lists and dyads in `relations`.
/// Must run on each file before overlaying, because merging would silently fold the
/// duplicates together.
void check_duplicates(const Node& root, Diagnostics& diags);

/// `child` overlaid on `parent` (the `extends` rule): maps merge by key, lists of maps with
/// an `id` merge by id, `relations` merge by dyad, other lists are appended, and everything
/// else in the child replaces the parent's value. An `uncertain` item that gives `dist`
/// keeps only the `id` and `path` of the parent's item and takes everything else from the
/// child (a new distribution). Unchanged subtrees are shared.
NodePtr overlay(const NodePtr& parent, const NodePtr& child);

}  // namespace geosim::scenario
