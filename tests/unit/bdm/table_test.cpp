// Reading tables of actors: forgiving about form (header case, column order, quotes, line ends),
// strict about content, every problem located.
#include <gtest/gtest.h>

#include "bdm_table.h"
#include "geosim/error.h"
#include "support/files.h"

namespace geosim {
namespace {

using agents::bdm::parse_table;
using agents::bdm::Scale;

std::vector<std::string> messages(std::string_view text, Scale scale = Scale::kAuto) {
  try {
    parse_table(text, "t.csv", scale);
  } catch (const InputError& error) {
    std::vector<std::string> out;
    for (const Diagnostic& d : error.diagnostics()) out.push_back(format_diagnostic(d));
    return out;
  }
  return {};
}

TEST(BdmTable, MatchesHeadersCaseInsensitivelyInAnyOrderWithExtraColumns) {
  const auto table = parse_table("\xEF\xBB\xBFsalience, NOTE ,position,CAPABILITY,actor\r\n"
                                 "0.5,\"a, b\",3,0.2,\"The \"\"A\"\" team\"\r\n\r\n"
                                 "1,,-2.5,+1e-1,B\r\n",
                                 "t.csv", Scale::kAuto);
  ASSERT_EQ(table.names.size(), 2u);
  EXPECT_EQ(table.names[0], "The \"A\" team");
  EXPECT_EQ(table.lines, (std::vector<int>{2, 4}));
  EXPECT_EQ(table.actors.capability, (std::vector<double>{0.2, 0.1}));
  EXPECT_EQ(table.actors.position, (std::vector<double>{3, -2.5}));
  EXPECT_EQ(table.actors.salience, (std::vector<double>{0.5, 1}));
}

TEST(BdmTable, ReadsEachColumnOnTheHundredScaleWhenAValueIsAboveOne) {
  const auto table = parse_table("Actor,Capability,Position,Salience\nA,1.05,13,0.9\nB,0.5,12,0.7\n", "t.csv", Scale::kAuto);
  EXPECT_TRUE(table.capability_percent);
  EXPECT_FALSE(table.salience_percent);
  EXPECT_DOUBLE_EQ(table.actors.capability[0], 0.0105);
  EXPECT_EQ(table.actors.salience[0], 0.9);
  const auto ktab = parse_table("Actor,Capability,Position,Salience\nA,100,40,80\nB,30,60,100\n", "t.csv", Scale::kAuto);
  EXPECT_TRUE(ktab.salience_percent);
  EXPECT_EQ(ktab.actors.salience, (std::vector<double>{0.8, 1.0}));
  const auto forced = parse_table("Actor,Capability,Position,Salience\nA,1,40,1\nB,0.5,60,0.5\n", "t.csv", Scale::kPercent);
  EXPECT_EQ(forced.actors.salience, (std::vector<double>{0.01, 0.005}));
}

TEST(BdmTable, SalienceAboveOneIsAnErrorOnTheUnitScale) {
  EXPECT_EQ(messages("Actor,Capability,Position,Salience\nA,1,40,80\nB,1,60,0.5\n", Scale::kUnit),
            (std::vector<std::string>{"t.csv:2:8: error: Salience: must be in [0, 1], got 80\n"
                                      "  A,1,40,80\n"
                                      "         ^"}));
}

TEST(BdmTable, ReportsEveryBadCellAtOnce) {
  const auto errors = messages("Actor,Capability,Position,Salience\nA,x,1,0.5\nB,1,nan,0.5\nC,-1,2,0.5\n,1,2,0.5\n");
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].substr(0, errors[0].find('\n')), "t.csv:2:3: error: Capability: expected a number, got 'x'");
  EXPECT_EQ(errors[1].substr(0, errors[1].find('\n')), "t.csv:3:5: error: Position: expected a finite number, got 'nan'");
  EXPECT_EQ(errors[2].substr(0, errors[2].find('\n')), "t.csv:4:3: error: Capability: must be >= 0, got -1");
  EXPECT_EQ(errors[3].substr(0, errors[3].find('\n')), "t.csv:5:1: error: Actor: empty name");
}

TEST(BdmTable, NeedsTwoActorsWithSomeVote) {
  const std::string one = messages("Actor,Capability,Position,Salience\nA,1,1,1\n").at(0);
  EXPECT_EQ(one.substr(0, one.find('\n')), "t.csv:1:1: error: the table has 1 actor; the model needs at least 2");
  EXPECT_NE(messages("Actor,Capability,Position,Salience\nA,0,1,1\nB,1,2,0\n").at(0).find("nobody has a vote"),
            std::string::npos);
}

TEST(BdmTable, ReadsTheSultanExample) {
  const auto table = agents::bdm::read_table(test::source_dir() / "tests/data/bdm/sultan_oil_price.csv", Scale::kAuto);
  EXPECT_EQ(table.names.size(), 17u);
  EXPECT_EQ(table.names[8], "RELIGIOUS LEADERS");
  EXPECT_TRUE(table.capability_percent);  // FAHD's 1.05
}

TEST(BdmTable, AMissingFileIsAnIoError) {
  EXPECT_THROW(agents::bdm::read_table("tests/data/bdm/no_such_table.csv", Scale::kAuto), IoError);
}

}  // namespace
}  // namespace geosim
