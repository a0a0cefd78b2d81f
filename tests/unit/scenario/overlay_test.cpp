// The `extends` overlay rules, on trees parsed from inline YAML.
#include <gtest/gtest.h>

#include "scenario/overlay.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {
namespace {

NodePtr parse(const std::string& text, const std::string& file = "child.yaml") {
  Diagnostics diags;
  NodePtr tree = parse_yaml(text, file, diags);
  EXPECT_TRUE(diags.empty());
  return tree;
}

NodePtr merged(const std::string& parent, const std::string& child) {
  return overlay(parse(parent, "parent.yaml"), parse(child, "child.yaml"));
}

/// The scalar texts of a list's items, or of one key of each item.
std::vector<std::string> texts(const Node& list, const std::string& key = "") {
  std::vector<std::string> out;
  for (const auto& item : list.items) out.push_back(key.empty() ? item->text : item->find(key)->text);
  return out;
}

TEST(Overlay, MergesMapsKeyByKeyRecursively) {
  const NodePtr tree = merged("run: {ticks: 80, record_every: 4}\nname: a\n", "run: {ticks: 40}\n");
  EXPECT_EQ(tree->find("run")->find("ticks")->text, "40");
  EXPECT_EQ(tree->find("run")->find("record_every")->text, "4");
  EXPECT_EQ(tree->find("name")->text, "a");
}

TEST(Overlay, ReplacesScalarsAndValuesOfADifferentKind) {
  const NodePtr tree = merged("name: a\nrun: {ticks: 1}\n", "name: b\nrun: 3\n");
  EXPECT_EQ(tree->find("name")->text, "b");
  EXPECT_EQ(tree->find("run")->text, "3");
}

TEST(Overlay, MergesListItemsByIdAndAppendsNewOnesInOrder) {
  const NodePtr tree = merged("agents:\n  - {id: A, capability: 1, name: x}\n  - {id: B}\n",
                              "agents:\n  - {id: C}\n  - {id: A, capability: 2}\n  - {id: D}\n");
  const Node& agents = *tree->find("agents");
  EXPECT_EQ(texts(agents, "id"), (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_EQ(agents.items[0]->find("capability")->text, "2");
  EXPECT_EQ(agents.items[0]->find("name")->text, "x");
}

TEST(Overlay, MergesRelationsByUnorderedDyadAndReplacesTheirPair) {
  const NodePtr tree = merged("relations:\n  - {between: [A, B], affinity: 0.1, trade: 5}\n",
                              "relations:\n  - {between: [B, A], affinity: 0.2}\n"
                              "  - {between: [A, C], affinity: 0.3}\n");
  const Node& relations = *tree->find("relations");
  ASSERT_EQ(relations.items.size(), 2u);
  EXPECT_EQ(relations.items[0]->find("affinity")->text, "0.2");
  EXPECT_EQ(relations.items[0]->find("trade")->text, "5");
  EXPECT_EQ(texts(*relations.items[0]->find("between")), (std::vector<std::string>{"B", "A"}));
}

TEST(Overlay, MergesDirectedRelationsByOrderedPair) {
  const NodePtr tree = merged("relations:\n  - {from: A, to: B, affinity: 0.1}\n",
                              "relations:\n  - {from: B, to: A, affinity: 0.2}\n"
                              "  - {from: A, to: B, affinity: 0.3}\n");
  const Node& relations = *tree->find("relations");
  ASSERT_EQ(relations.items.size(), 2u);
  EXPECT_EQ(relations.items[0]->find("affinity")->text, "0.3");
  EXPECT_EQ(relations.items[1]->find("from")->text, "B");
}

TEST(Overlay, AppendsListsWithoutIds) {
  const NodePtr tree = merged("policies: [{at: 1}, {at: 2}]\nevents: [{at: 5}]\n",
                              "policies: [{at: 3}]\nevents: [{at: 6}]\n");
  EXPECT_EQ(texts(*tree->find("policies"), "at"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(texts(*tree->find("events"), "at"), (std::vector<std::string>{"5", "6"}));
}

TEST(Overlay, KeepsTheLocationOfTheFileEachNodeCameFrom) {
  const NodePtr tree = merged("name: a\npolicies: [{at: 1}]\n", "policies: [{at: 3}]\n");
  EXPECT_EQ(tree->find("name")->where.file, "parent.yaml");
  const Node& policies = *tree->find("policies");
  EXPECT_EQ(policies.items[0]->where.file, "parent.yaml");
  EXPECT_EQ(policies.items[1]->where.file, "child.yaml");
}

TEST(Overlay, KeysRelationsByTheirDyad) {
  EXPECT_EQ(relation_key(*parse("{between: [USA, JPN]}")), "JPN-USA");
  EXPECT_EQ(relation_key(*parse("{from: RUS, to: CHN}")), "RUS->CHN");
  EXPECT_EQ(relation_key(*parse("{between: [USA]}")), std::nullopt);
  EXPECT_EQ(relation_key(*parse("{affinity: 1}")), std::nullopt);
}

TEST(Overlay, ReportsIdsAndRelationsThatOneFileListsTwice) {
  Diagnostics diags;
  const NodePtr tree = parse("agents: [{id: A}, {id: B}, {id: A}]\n"
                             "relations: [{between: [A, B]}, {between: [B, A]}]\n");
  check_duplicates(*tree, diags);
  const auto errors = diags.finish({});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "duplicate id 'A' in agents (first at line 1)");
  EXPECT_EQ(errors[1].message, "duplicate relation A-B (first at line 2)");
}

TEST(Overlay, MergesAnUncertainItemWithoutDistIntoTheParentsItemWithItsId) {
  const NodePtr tree = merged("uncertain: [{id: t, path: params.x, dist: uniform, min: 0, max: 1}]\n",
                              "uncertain: [{id: t, max: 2}]\n");
  const Node& item = *tree->find("uncertain")->items.at(0);
  EXPECT_EQ(item.find("min")->text, "0");
  EXPECT_EQ(item.find("max")->text, "2");
}

TEST(Overlay, KeepsOnlyIdAndPathOfAnUncertainItemWhenTheChildGivesADist) {
  const NodePtr tree = merged("uncertain: [{id: t, path: params.x, dist: uniform, min: 0, max: 1}]\n",
                              "uncertain: [{id: t, dist: normal, mean: 0, sd: 1}]\n");
  const Node& item = *tree->find("uncertain")->items.at(0);
  EXPECT_EQ(item.find("path")->text, "params.x");
  EXPECT_EQ(item.find("dist")->text, "normal");
  EXPECT_EQ(item.find("min"), nullptr);
  EXPECT_EQ(item.find("max"), nullptr);
  EXPECT_EQ(item.find("sd")->text, "1");
}

}  // namespace
}  // namespace geosim::scenario
