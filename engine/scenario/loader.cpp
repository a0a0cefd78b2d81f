// load_scenario: reads a scenario file and its `extends` chain, overlays them, validates the
// result and returns the spec (see include/geosim/scenario.h for the format's contract).
//
// Unknown keys are errors everywhere, with one exception: keys starting with "x-" are
// ignored in every map with fixed keys (the top level, agents, run, ...), so that
// researchers can keep metadata such as `x-sources:` or `x-notes:` next to the data.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/fnv.h"
#include "geosim/scenario.h"
#include "scenario/diagnostics.h"
#include "scenario/loader.h"
#include "scenario/overlay.h"
#include "scenario/spec_builder.h"
#include "scenario/yaml_tree.h"

namespace geosim {
namespace scenario {
namespace {

namespace fs = std::filesystem;

/// Larger files are surely not scenarios; refusing them early bounds memory and time.
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;
/// More ancestors than this are surely a mistake (a cycle is caught separately).
constexpr std::size_t kMaxExtendsDepth = 32;

/// Why `path` cannot be read as a scenario, or nullopt when it can.
std::optional<std::string> unreadable(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return "no such file";
  if (!fs::is_regular_file(status)) return "not a regular file";
  const auto size = fs::file_size(path, ec);
  if (ec) return ec.message();
  if (size > kMaxFileBytes) return fmt::format("larger than {} bytes", kMaxFileBytes);
  return std::nullopt;
}

/// The whole content of `path`, or nullopt with `why` set.
std::optional<std::string> read_text(const fs::path& path, std::string& why) {
  if (auto reason = unreadable(path)) {
    why = *reason;
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  return text.str();
}

/// FNV-1a 64 over each source's path and text, each followed by a NUL byte (so that moving
/// text between the path and the content changes the hash).
std::string inputs_hash(const std::vector<SourceFile>& sources) {
  std::uint64_t hash = kFnvOffsetBasis;
  auto add = [&hash](std::string_view bytes) { hash = fnv1a(fnv1a(hash, bytes), std::string_view("\0", 1)); };
  for (const auto& source : sources) {
    add(source.path);
    add(source.text);
  }
  return fmt::format("{:016x}", hash);
}

/// Loads a file with its ancestors and overlays them, recording every source read.
class ChainLoader {
 public:
  explicit ChainLoader(Diagnostics& diags) : diags_(diags) {}

  /// The merged tree of the root file, or nullptr when a file could not be parsed.
  NodePtr load_root(const fs::path& file);
  const std::vector<SourceFile>& sources() const { return sources_; }

 private:
  NodePtr load(const std::string& path, std::string text);
  NodePtr load_parent(const Entry& extends, const std::string& child_path);

  Diagnostics& diags_;
  std::vector<SourceFile> sources_;
  std::vector<std::string> chain_;      ///< paths as shown, root first
  std::vector<fs::path> canonical_;     ///< the same files, canonical, for cycle checks
};

NodePtr ChainLoader::load_root(const fs::path& file) {
  std::string why;
  auto text = read_text(file, why);
  if (!text) throw IoError(fmt::format("cannot read scenario file '{}': {}", file.string(), why));
  std::error_code ec;
  canonical_.push_back(fs::weakly_canonical(file, ec));
  return load(file.string(), std::move(*text));
}

NodePtr ChainLoader::load(const std::string& path, std::string text) {
  chain_.push_back(path);
  sources_.push_back(SourceFile{path, std::move(text)});
  NodePtr tree = parse_yaml(sources_.back().text, path, diags_);
  if (!tree) return nullptr;
  check_duplicates(*tree, diags_);
  const Entry* extends = tree->is_map() ? tree->find_entry("extends") : nullptr;
  if (!extends) return tree;
  NodePtr parent = load_parent(*extends, path);
  return parent ? overlay(parent, tree) : nullptr;
}

NodePtr ChainLoader::load_parent(const Entry& extends, const std::string& child_path) {
  const Node& value = *extends.value;
  if (!value.is_scalar() || value.text.empty()) {
    diags_.error(value.where, "extends: expected a file path, got " + describe(value));
    return nullptr;
  }
  const fs::path parent = (fs::path(child_path).parent_path() / value.text).lexically_normal();
  const std::string shown = parent.string();
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(parent, ec);
  if (std::find(canonical_.begin(), canonical_.end(), canonical) != canonical_.end()) {
    diags_.error(value.where, fmt::format("extends cycle: {} -> {}", fmt::join(chain_, " -> "), shown));
    return nullptr;
  }
  if (chain_.size() > kMaxExtendsDepth) {
    diags_.error(value.where, fmt::format("extends chain is longer than {} files", kMaxExtendsDepth));
    return nullptr;
  }
  std::string why;
  auto text = read_text(parent, why);
  if (!text) {
    diags_.error(value.where, fmt::format("extends: cannot read '{}': {}", shown, why));
    return nullptr;
  }
  canonical_.push_back(canonical);
  return load(shown, std::move(*text));
}

ScenarioSpec load(const fs::path& file, const LoadOptions& options) {
  Diagnostics diags;
  ChainLoader loader(diags);
  const NodePtr tree = loader.load_root(file);
  if (!tree) {
    diags.throw_if_any(loader.sources());
    throw InputError({Diagnostic{{file.string(), 0, 0}, "the scenario could not be read", {}}});
  }
  ScenarioSpec spec = build_spec(*tree, options, diags);
  diags.throw_if_any(loader.sources());
  spec.sources = loader.sources();
  spec.inputs_hash = inputs_hash(spec.sources);
  return spec;
}

}  // namespace

ScenarioSpec load_overlaid(const fs::path& base, const NodePtr& child, const SourceFile& child_source,
                           const LoadOptions& options) {
  Diagnostics diags;
  ChainLoader loader(diags);
  const NodePtr parent = loader.load_root(base);
  std::vector<SourceFile> sources{child_source};
  sources.insert(sources.end(), loader.sources().begin(), loader.sources().end());
  if (!parent) {
    diags.throw_if_any(sources);
    throw InputError({Diagnostic{{base.string(), 0, 0}, "the scenario could not be read", {}}});
  }
  ScenarioSpec spec = build_spec(*overlay(parent, child), options, diags);
  diags.throw_if_any(sources);
  spec.sources = std::move(sources);
  spec.inputs_hash = inputs_hash(spec.sources);
  return spec;
}

}  // namespace scenario

ScenarioSpec load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
  try {
    return scenario::load(file, options);
  } catch (const Error&) {
    throw;  // InputError and IoError already say what went wrong
  } catch (const std::exception& e) {
    // Only a bug or memory exhaustion gets here; the caller is still promised an InputError.
    throw InputError({Diagnostic{{file.string(), 0, 0},
                                 fmt::format("the scenario could not be loaded: {}", e.what()),
                                 {}}});
  }
}

std::optional<AgentIndex> ScenarioSpec::find_agent(std::string_view id) const {
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (agents[i].id == id) return static_cast<AgentIndex>(i);
  }
  return std::nullopt;
}

std::optional<IssueIndex> ScenarioSpec::find_issue(std::string_view id) const {
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (issues[i].id == id) return static_cast<IssueIndex>(i);
  }
  return std::nullopt;
}

}  // namespace geosim
