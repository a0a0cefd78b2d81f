// The located YAML tree, the number parser and the did-you-mean helper.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "scenario/diagnostics.h"
#include "scenario/reader.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {
namespace {

/// The messages of everything parse_yaml reported for `text`.
std::vector<std::string> parse_errors(const std::string& text) {
  Diagnostics diags;
  parse_yaml(text, "f.yaml", diags);
  std::vector<std::string> out;
  for (const auto& d : diags.finish({})) out.push_back(d.message);
  return out;
}

TEST(YamlTree, LocatesEveryNodeAndKeyOneBased) {
  Diagnostics diags;
  const NodePtr root = parse_yaml("a:\n  b: [1, x]\n", "f.yaml", diags);
  ASSERT_TRUE(root && root->is_map());
  const Entry& a = root->entries[0];
  EXPECT_EQ(a.key->where.file, "f.yaml");
  EXPECT_EQ(a.key->where.line, 1);
  EXPECT_EQ(a.key->where.column, 1);
  const Entry& b = a.value->entries[0];
  EXPECT_EQ(b.key->where.line, 2);
  EXPECT_EQ(b.key->where.column, 3);
  const Node& x = *b.value->items[1];
  EXPECT_EQ(x.text, "x");
  EXPECT_EQ(x.where.line, 2);
  EXPECT_EQ(x.where.column, 10);
}

TEST(YamlTree, ReportsADuplicateKeyAtTheSecondAndKeepsTheFirst) {
  Diagnostics diags;
  const NodePtr root = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml", diags);
  ASSERT_EQ(root->entries.size(), 2u);
  EXPECT_EQ(root->find("a")->text, "1");
  const auto errors = diags.finish({});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "duplicate key 'a' (first defined at line 1)");
  EXPECT_EQ(errors[0].where.line, 3);
}

TEST(YamlTree, MarksQuotedScalarsAndLocatesEmptyValuesAtTheirKey) {
  Diagnostics diags;
  const NodePtr root = parse_yaml("a: '1'\nb: 1\nc:\nd: 2\n", "f.yaml", diags);
  EXPECT_TRUE(root->find("a")->quoted);
  EXPECT_FALSE(root->find("b")->quoted);
  EXPECT_TRUE(root->find("c")->is_null());
  EXPECT_EQ(root->find("c")->where.line, 3);
}

TEST(YamlTree, SharesAliasedNodesInsteadOfCopyingThem) {
  Diagnostics diags;
  const NodePtr root = parse_yaml("a: &x {k: 1}\nb: *x\n", "f.yaml", diags);
  EXPECT_EQ(root->find("a"), root->find("b"));
  EXPECT_TRUE(diags.empty());
}

TEST(YamlTree, RejectsAnAliasBombBeforeExpandingIt) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 12; ++level) {
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *a" : "*a") + std::to_string(level - 1);
    text += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto errors = parse_errors(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "scenario is too large: more than 1000000 nodes after expanding aliases");
}

TEST(YamlTree, RejectsNestingDeeperThanTheLimit) {
  const auto errors = parse_errors(std::string(200, '[') + std::string(200, ']'));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "nesting is too deep (more than 64 levels)");
}

TEST(YamlTree, TurnsSyntaxErrorsAndEmptyInputIntoDiagnostics) {
  EXPECT_EQ(parse_errors("a: {b: 1\n"), (std::vector<std::string>{"invalid YAML: end of map flow not found"}));
  EXPECT_EQ(parse_errors(""), (std::vector<std::string>{"the scenario file is empty"}));
  // Binary input may even parse (as a scalar); the loader then rejects the top level.
  EXPECT_NO_THROW(parse_errors(std::string("\0\x01\xff\x80[{", 6)));
}

TEST(ParseDouble, AcceptsYamlNumberForms) {
  EXPECT_EQ(parse_double("1e-3"), 1e-3);
  EXPECT_EQ(parse_double(".5"), 0.5);
  EXPECT_EQ(parse_double("-0.2"), -0.2);
  EXPECT_EQ(parse_double("+1"), 1.0);
  EXPECT_EQ(parse_double("7"), 7.0);
  EXPECT_TRUE(std::isinf(*parse_double(".inf")));
  EXPECT_LT(*parse_double("-.Inf"), 0);
  EXPECT_TRUE(std::isnan(*parse_double(".NaN")));
  EXPECT_TRUE(std::isinf(*parse_double("1e999")));
}

TEST(ParseDouble, RejectsTextThatIsNotEntirelyANumber) {
  for (const char* text : {"", "abc", "1.5x", "nan", "inf", "0x10", "1,5", " 1", "+", "--1"}) {
    EXPECT_EQ(parse_double(text), std::nullopt) << text;
  }
}

TEST(DidYouMean, SuggestsTheClosestCandidateWithinTwoEdits) {
  const std::vector<std::string> keys{"capability", "susceptibility", "growth", "interests"};
  EXPECT_EQ(did_you_mean("capabilty", keys), "; did you mean 'capability'?");
  EXPECT_EQ(did_you_mean("grwoth", keys), "; did you mean 'growth'?");  // a transposition
  EXPECT_EQ(did_you_mean("colour", keys), "");
  const std::vector<std::string> ids{"RUS", "JPN"};
  EXPECT_EQ(did_you_mean("rus", ids), "; did you mean 'RUS'?");
  EXPECT_EQ(edit_distance("abcd", "acbd"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(SourceLine, ReturnsOneLineWithoutItsBreakAndMasksControlCharacters) {
  EXPECT_EQ(source_line("a\r\nb\x01\tc\n", 2), "b?\tc");
  EXPECT_EQ(source_line("a\n", 3), "");
  EXPECT_EQ(source_line("caf\xc3\xa9 \xff", 1), "caf\xc3\xa9 ?");
}

TEST(Range, DescribesItselfTheWayMessagesPrintIt) {
  EXPECT_EQ(kUnit.describe(), "in [0, 1]");
  EXPECT_EQ((Range{0, 1, false, true}.describe()), "in [0, 1)");
  EXPECT_EQ(kNonNegative.describe(), ">= 0");
  EXPECT_EQ((Range{-1, std::numeric_limits<double>::infinity(), true, false}.describe()), "> -1");
  EXPECT_TRUE((Range{0, 1, false, true}.contains(0.999)));
  EXPECT_FALSE((Range{0, 1, false, true}.contains(1)));
}

}  // namespace
}  // namespace geosim::scenario
