#include "scenario/yaml_tree.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <unordered_map>

namespace geosim::scenario {
namespace {

/// Aborts parsing from inside the event handler; yaml-cpp unwinds cleanly through it.
struct LimitExceeded {
  SourceLocation where;
  std::string message;
};

/// yaml-cpp marks are 0-based; ours are 1-based like every compiler's.
SourceLocation locate(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

/// A node being built: the node itself, plus for maps the key waiting for its value and
/// the keys seen so far (to report duplicates).
struct Frame {
  std::shared_ptr<Node> node;
  NodePtr pending_key;
  std::unordered_map<std::string, int> key_lines;
};

/// Builds the located tree from yaml-cpp's parse events. Using events instead of
/// YAML::Load keeps duplicate keys visible and lets the size and depth limits stop the
/// parse early instead of after an alias bomb has been expanded.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  NodePtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto node = make(NodeKind::kNull, mark);
    finish(std::move(node), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(NodeKind::kList, mark), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(NodeKind::kMap, mark), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  std::shared_ptr<Node> make(NodeKind kind, const YAML::Mark& mark);
  void open(std::shared_ptr<Node> node, YAML::anchor_t anchor);
  void close();
  void finish(NodePtr node, YAML::anchor_t anchor);
  void attach(NodePtr node);
  void count(std::size_t nodes, const SourceLocation& where);

  const std::string& file_;
  Diagnostics& diags_;
  NodePtr root_;
  std::vector<Frame> stack_;
  std::vector<YAML::anchor_t> open_anchors_;  ///< anchors of the frames on stack_
  std::unordered_map<YAML::anchor_t, NodePtr> anchors_;
  std::size_t total_ = 0;
};

std::shared_ptr<Node> TreeBuilder::make(NodeKind kind, const YAML::Mark& mark) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->where = locate(file_, mark);
  return node;
}

void TreeBuilder::count(std::size_t nodes, const SourceLocation& where) {
  total_ += nodes;
  if (total_ > kMaxNodes) {
    throw LimitExceeded{where, fmt::format("scenario is too large: more than {} nodes after "
                                           "expanding aliases", kMaxNodes)};
  }
}

void TreeBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag,
                           YAML::anchor_t anchor, const std::string& value) {
  auto node = make(NodeKind::kScalar, mark);
  node->text = value;
  // yaml-cpp tags plain scalars "?" and quoted ones "!".
  node->quoted = tag == "!";
  finish(std::move(node), anchor);
}

void TreeBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  const auto found = anchors_.find(anchor);
  if (found == anchors_.end()) {
    // The anchor is still open: the alias points into its own ancestor.
    throw LimitExceeded{locate(file_, mark), "alias refers to a node that contains it"};
  }
  // Counted with every node below it, so that aliases of aliases cannot multiply unseen.
  count(found->second->expanded_size, locate(file_, mark));
  attach(found->second);
}

void TreeBuilder::open(std::shared_ptr<Node> node, YAML::anchor_t anchor) {
  if (stack_.size() >= kMaxDepth) {
    throw LimitExceeded{node->where, fmt::format("nesting is too deep (more than {} levels)",
                                                 kMaxDepth)};
  }
  count(1, node->where);
  stack_.push_back(Frame{std::move(node), nullptr, {}});
  open_anchors_.push_back(anchor);
}

void TreeBuilder::close() {
  Frame frame = std::move(stack_.back());
  const YAML::anchor_t anchor = open_anchors_.back();
  stack_.pop_back();
  open_anchors_.pop_back();
  if (frame.pending_key) {
    // Cannot happen with yaml-cpp (a key without value gets a null), but stay safe.
    auto null = std::make_shared<Node>();
    null->where = frame.pending_key->where;
    frame.node->entries.push_back(Entry{frame.pending_key, std::move(null)});
  }
  std::size_t size = 1;
  for (const auto& item : frame.node->items) size += item->expanded_size;
  for (const auto& entry : frame.node->entries) size += 1 + entry.value->expanded_size;
  frame.node->expanded_size = size;
  if (anchor != YAML::NullAnchor) anchors_[anchor] = frame.node;
  attach(frame.node);
}

void TreeBuilder::finish(NodePtr node, YAML::anchor_t anchor) {
  count(1, node->where);
  if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
  attach(std::move(node));
}

void TreeBuilder::attach(NodePtr node) {
  if (stack_.empty()) {
    root_ = std::move(node);
    return;
  }
  Frame& top = stack_.back();
  if (top.node->is_list()) {
    top.node->items.push_back(std::move(node));
    return;
  }
  if (!top.pending_key) {
    top.pending_key = std::move(node);
    return;
  }
  NodePtr key = std::move(top.pending_key);
  top.pending_key = nullptr;
  if (node->is_null()) {
    // yaml-cpp marks an empty value at the next token, often on a later line; the key is
    // where the user will look.
    auto located = std::make_shared<Node>(*node);
    located->where = key->where;
    node = std::move(located);
  }
  if (!key->is_scalar()) {
    diags_.error(key->where, "map keys must be plain names, got " + describe(*key));
    return;
  }
  const auto [seen, inserted] = top.key_lines.emplace(key->text, key->where.line);
  if (!inserted) {
    // yaml-cpp would keep both; the first one wins here and the second is reported.
    diags_.error(key->where, fmt::format("duplicate key '{}' (first defined at line {})",
                                         key->text, seen->second));
    return;
  }
  top.node->entries.push_back(Entry{std::move(key), std::move(node)});
}

/// `text` with control characters written as \xNN: yaml-cpp quotes offending input bytes,
/// NUL included, in its messages.
std::string printable(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f ? fmt::format("\\x{:02x}", u) : std::string(1, c);
  }
  return out;
}

}  // namespace

const Entry* Node::find_entry(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key->text == key) return &entry;
  }
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const Entry* entry = find_entry(key);
  return entry ? entry->value.get() : nullptr;
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::kNull: return "nothing";
    case NodeKind::kList: return "a list";
    case NodeKind::kMap: return "a map";
    case NodeKind::kScalar: break;
  }
  constexpr std::size_t kShown = 40;
  if (node.text.size() > kShown) return fmt::format("'{}...'", node.text.substr(0, kShown));
  return fmt::format("'{}'", node.text);
}

NodePtr parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags) {
  std::istringstream stream(text);
  TreeBuilder builder(file, diags);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder) || !builder.root()) {
      diags.error(SourceLocation{file, 1, 1}, "the scenario file is empty");
      return nullptr;
    }
    TreeBuilder extra(file, diags);
    if (parser.HandleNextDocument(extra) && extra.root()) {
      diags.error(extra.root()->where,
                  "a scenario file must hold one YAML document, found a second one");
    }
  } catch (const YAML::Exception& e) {
    diags.error(locate(file, e.mark), "invalid YAML: " + printable(e.msg));
    return nullptr;
  } catch (const LimitExceeded& e) {
    diags.error(e.where, e.message);
    return nullptr;
  }
  return builder.root();
}

}  // namespace geosim::scenario
