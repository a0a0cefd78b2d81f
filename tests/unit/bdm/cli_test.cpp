// `geosim bdm` and `geosim bdm import` as a user runs them: outputs, exit codes, pinned messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "registry.h"
#include "support/cli.h"

namespace geosim {
namespace {

using test::run_cli;
const std::string kEc = "tests/data/bdm/ec_emission_standards.csv";
const std::string kBase = "tests/data/bdm/import_base.yaml";

class BdmCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("geosim_bdm_cli_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

// The line of `text` that starts with `start` and contains `also`.
std::string line_with(const std::string& text, const std::string& start, const std::string& also) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(start) && line.find(also) != std::string::npos) return line;
  }
  return "";
}

TEST_F(BdmCli, PrintsTheRoundOneOffersOfTheEcExample) {
  const auto result = run_cli("bdm " + kEc + " --rounds 1", "bdm");
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
  EXPECT_NE(result.out.find("round 0 (the table): median 7.000000, mean 7.389956"), std::string::npos);
  EXPECT_NE(result.out.find("round 1: median 8.415932, mean 7.461314"), std::string::npos);
  const std::string belgium = line_with(result.out, "  Belgium ", "compromise");
  for (const char* part : {"France", "-0.114831", "0.243297", "8.415932"}) EXPECT_NE(belgium.find(part), std::string::npos) << belgium;
  const std::string luxembourg = line_with(result.out, "  Luxembourg ", "confrontation");
  for (const char* part : {"Belgium", "0.245509", "0.542246", "7.000000"}) EXPECT_NE(luxembourg.find(part), std::string::npos) << luxembourg;
  const std::string ireland = line_with(result.out, "  Ireland ", "confrontation");
  for (const char* part : {"Luxembourg", "0.538238", "0.682478", "4.000000"}) EXPECT_NE(ireland.find(part), std::string::npos) << ireland;
  EXPECT_NE(result.out.find("offers taken (3 of 18 made)"), std::string::npos);
}

TEST_F(BdmCli, JsonHasTheExactNumbers) {
  const auto result = run_cli("bdm " + kEc + " --rounds 3 --json", "bdm");
  ASSERT_EQ(result.code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["actors"], 10);
  ASSERT_EQ(json["history"].size(), 4u);
  EXPECT_NEAR(json["history"][0]["mean"].get<double>(), 7.389955686853767, 1e-12);
  EXPECT_NEAR(json["history"][1]["security"]["Ireland"].get<double>(), 5.607083908901, 1e-12);
  EXPECT_NEAR(json["history"][3]["mean"].get<double>(), 7.590144997451547, 1e-12);
  const auto& offers = json["history"][1]["offers"];
  const auto taken = std::find_if(offers.begin(), offers.end(),
                                  [](const auto& o) { return o["actor"] == "Belgium" && o["accepted"] == true; });
  ASSERT_NE(taken, offers.end());
  EXPECT_EQ((*taken)["proposer"], "France");
  EXPECT_EQ((*taken)["kind"], "compromise");
  EXPECT_NEAR((*taken)["e_ij"].get<double>(), -0.11483050347300794, 1e-12);
  EXPECT_NEAR((*taken)["position"].get<double>(), 8.415932315426764, 1e-12);
}

TEST_F(BdmCli, OutWritesRoundsOffersAndSummary) {
  const auto result = run_cli("bdm " + kEc + " --out " + path("ec"), "bdm");
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("wrote " + path("ec") + "/rounds.csv"), std::string::npos) << result.err;
  const std::string rounds = test::read_text(dir_ / "ec/rounds.csv");
  EXPECT_TRUE(rounds.starts_with("round,actor,position\n0,Netherlands,4\n")) << rounds;
  EXPECT_NE(rounds.find("\n1,Belgium,8.415932315426764\n"), std::string::npos);
  EXPECT_EQ(std::count(rounds.begin(), rounds.end(), '\n'), 1 + 4 * 10);
  const std::string offers = test::read_text(dir_ / "ec/offers.csv");
  EXPECT_TRUE(offers.starts_with("round,actor,proposer,kind,e_ij,e_ji,position,accepted\n"));
  EXPECT_NE(offers.find("1,Belgium,France,compromise,-0.11483050347300794,0.2432965945234421,8.415932315426764,1\n"),
            std::string::npos)
      << offers;
  const auto json = run_cli("bdm " + kEc + " --json", "bdm");
  EXPECT_EQ(test::read_text(dir_ / "ec/summary.json"), json.out);
}

TEST_F(BdmCli, ReadsTheHundredScaleOfKtabFiles) {
  const auto unit = run_cli("bdm " + kEc + " --json", "bdm");
  const auto percent = run_cli("bdm tests/data/bdm/ec_percent.csv --json", "bdm");
  const auto forced = run_cli("bdm tests/data/bdm/ec_percent.csv --json --scale percent", "bdm");
  ASSERT_EQ(percent.code, 0) << percent.err;
  const auto a = nlohmann::json::parse(unit.out), b = nlohmann::json::parse(percent.out);
  EXPECT_EQ(b["salience_scale"], "percent");
  EXPECT_EQ(a["history"], b["history"]);  // 80 / 100 is the double 0.8: bit-identical
  EXPECT_EQ(percent.out, forced.out);
  EXPECT_EQ(run_cli("bdm tests/data/bdm/ec_percent.csv --scale unit", "bdm").code, 2);
}

std::vector<std::string> bad_tables() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "tests/data/bdm/bad")) {
    if (entry.path().extension() == ".csv") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(BdmCli, BadTablesExitTwoWithThePinnedMessage) {
  ASSERT_GE(bad_tables().size(), 10u);
  for (const std::string& name : bad_tables()) {
    SCOPED_TRACE(name);
    const std::string expected = test::read_text(test::source_dir() / "tests/data/bdm/bad" / (name + ".err"));
    const auto result = run_cli("bdm tests/data/bdm/bad/" + name + ".csv", name);
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(result.err, expected);
    EXPECT_TRUE(result.out.empty());
  }
}

TEST_F(BdmCli, UnreadableFilesExitOneAndUsageErrorsTwo) {
  const auto missing = run_cli("bdm tests/data/bdm/no_such_table.csv", "bdm");
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "tests/data/bdm/no_such_table.csv: error: cannot read: no such file\n");
  EXPECT_EQ(run_cli("bdm tests/data/bdm", "bdm").code, 1);
  EXPECT_EQ(run_cli("bdm", "bdm").code, 2);
  EXPECT_EQ(run_cli("bdm " + kEc + " --rounds 0", "bdm").code, 2);
  EXPECT_EQ(run_cli("bdm " + kEc + " --scale tenths", "bdm").code, 2);
  EXPECT_EQ(run_cli("bdm --help", "bdm").code, 0);
}

ScenarioSpec load_overlay(const std::string& file) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return load_scenario(file, options);
}

double interest(const ScenarioSpec& spec, const std::string& agent, const std::string& issue, bool salience) {
  const InterestSpec& i = spec.agents[static_cast<std::size_t>(*spec.find_agent(agent))]
                              .interests[static_cast<std::size_t>(*spec.find_issue(issue))];
  return salience ? i.salience : i.position;
}

TEST_F(BdmCli, ImportReplaceWritesAValidOverlayWithRescaledValues) {
  const auto result = run_cli("bdm import " + kEc + " --scenario " + kBase + " --issue emissions --salience replace --out " +
                                  path("overlay.yaml"), "bdm");
  ASSERT_EQ(result.code, 0) << result.err;
  const std::string overlay = test::read_text(dir_ / "overlay.yaml");
  EXPECT_NE(overlay.find("(x - min) / (max - min)"), std::string::npos);
  EXPECT_NE(overlay.find("min = 4 and max = 10"), std::string::npos);
  const auto validate = run_cli("validate " + path("overlay.yaml"), "bdm");
  EXPECT_EQ(validate.code, 0) << validate.err;
  const ScenarioSpec spec = load_overlay(path("overlay.yaml"));
  // Positions (x - 4) / 6; the table's salience on emissions, the rest rescaled from 0.5 : 0.3.
  EXPECT_EQ(interest(spec, "Netherlands", "emissions", false), 0.0);
  EXPECT_EQ(interest(spec, "Belgium", "emissions", false), 0.5);
  EXPECT_EQ(interest(spec, "UK", "emissions", false), 1.0);
  EXPECT_NEAR(interest(spec, "UK", "emissions", true), 0.9, 1e-15);
  EXPECT_NEAR(interest(spec, "UK", "budget", true), 0.1 * 0.5 / 0.8, 1e-15);
  EXPECT_NEAR(interest(spec, "UK", "trade", true), 0.1 * 0.3 / 0.8, 1e-15);
  EXPECT_NEAR(interest(spec, "Denmark", "budget", true), 0.0, 1e-15);
  // Agents missing from the table keep everything.
  EXPECT_EQ(interest(spec, "Spain", "emissions", false), 0.5);
  EXPECT_EQ(interest(spec, "Spain", "emissions", true), 0.2);
}

TEST_F(BdmCli, ImportKeepSetsOnlyPositions) {
  const auto result = run_cli("bdm import " + kEc + " --scenario " + kBase + " --issue emissions --out " +
                                  path("keep.yaml"), "bdm");
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(run_cli("validate " + path("keep.yaml"), "bdm").code, 0);
  const ScenarioSpec spec = load_overlay(path("keep.yaml"));
  EXPECT_EQ(interest(spec, "Greece", "emissions", false), 0.5);
  EXPECT_EQ(interest(spec, "Greece", "emissions", true), 0.2);
  EXPECT_EQ(interest(spec, "Greece", "budget", true), 0.5);
  EXPECT_EQ(test::read_text(dir_ / "keep.yaml").find("salience:"), std::string::npos);
  // Without --out the overlay goes to stdout, its extends path relative to the current folder.
  const auto printed = run_cli("bdm import " + kEc + " --scenario " + kBase + " --issue emissions", "bdm");
  EXPECT_NE(printed.out.find("extends: \"tests/data/bdm/import_base.yaml\"\n"), std::string::npos) << printed.out;
}

TEST_F(BdmCli, ImportListsUnmatchedActorsAndUnknownIssues) {
  const auto unmatched = run_cli("bdm import tests/data/bdm/import_unmatched.csv --scenario " + kBase + " --issue emissions", "bdm");
  EXPECT_EQ(unmatched.code, 2);
  EXPECT_TRUE(unmatched.out.empty());
  EXPECT_NE(unmatched.err.find("tests/data/bdm/import_unmatched.csv:3:1: error: actor 'belgium' is not an agent of "
                               "tests/data/bdm/import_base.yaml (ids are matched case-sensitively; agents: "),
            std::string::npos)
      << unmatched.err;
  EXPECT_NE(unmatched.err.find("did you mean 'Belgium'?"), std::string::npos);
  EXPECT_NE(unmatched.err.find("import_unmatched.csv:4:1: error: actor 'Portugal' is not an agent"), std::string::npos);
  const auto issue = run_cli("bdm import " + kEc + " --scenario " + kBase + " --issue emission", "bdm");
  EXPECT_EQ(issue.code, 2);
  EXPECT_EQ(issue.err, "tests/data/bdm/import_base.yaml: error: --issue: no issue 'emission' in the scenario; its "
                       "issues: emissions, budget, trade\n");
  EXPECT_EQ(run_cli("bdm import " + kEc + " --scenario " + kBase + " --issue emissions --salience swap", "bdm").code, 2);
}

}  // namespace
}  // namespace geosim
