// The calibrated inputs of scenarios/baseline_2013.yaml (capability, capital, A0, trade)
// reproduce scenarios/data/*.csv through the mapping stated at the top of that file. This test
// recomputes every value from the CSV files, independently of scenarios/tools/calibrate.py, and
// compares it with the loaded ScenarioSpec to the rounding the YAML uses (0.01).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "geosim/scenario.h"
#include "registry.h"
#include "support/files.h"

namespace geosim {
namespace {

using Row = std::map<std::string, std::string>;

// The data files have no quoted fields (checked: no '"' in any of them); missing values are
// empty fields.
std::vector<Row> read_csv(const std::string& name) {
  std::ifstream in(test::source_dir() / "scenarios/data" / name);
  EXPECT_TRUE(in) << name;
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream stream(line);
    while (std::getline(stream, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto fields = split(line);
    EXPECT_EQ(fields.size(), header.size()) << name << ": " << line;
    Row row;
    for (std::size_t c = 0; c < header.size() && c < fields.size(); ++c) row[header[c]] = fields[c];
    rows.push_back(row);
  }
  return rows;
}

double number(const Row& row, const std::string& column) { return std::stod(row.at(column)); }

using Dyad = std::pair<std::string, std::string>;
Dyad dyad(const std::string& a, const std::string& b) { return a < b ? Dyad{a, b} : Dyad{b, a}; }

// The mapping's constants, as stated in baseline_2013.yaml.
constexpr double kPhiK = 50.0;
constexpr double kDefence = 0.40;
constexpr double kConsultation = 0.15;
constexpr double kRounding = 0.005 + 1e-9;  // values are written to 0.01
const std::set<std::string> kNeighbours{"CHN", "JPN", "KOR"};

class Calibration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.rules = agents::rule_catalog();
    spec_ = new ScenarioSpec(load_scenario(test::source_dir() / "scenarios/baseline_2013.yaml", options));
  }
  static void TearDownTestSuite() {
    delete spec_;
    spec_ = nullptr;
  }
  static const ScenarioSpec& spec() { return *spec_; }
  static int index(const std::string& id) {
    const auto i = spec_->find_agent(id);
    EXPECT_TRUE(i.has_value()) << id;
    return i.value_or(0);
  }
  static double at(const std::vector<double>& matrix, const std::string& a, const std::string& b) {
    const auto n = static_cast<std::size_t>(spec_->agent_count());
    return matrix[static_cast<std::size_t>(index(a)) * n + static_cast<std::size_t>(index(b))];
  }
  static std::vector<std::string> ids() {
    std::vector<std::string> out;
    for (const auto& agent : spec_->agents) out.push_back(agent.id);
    return out;
  }

 private:
  static inline ScenarioSpec* spec_ = nullptr;
};

TEST_F(Calibration, EveryStateOfTheDataIsAnAgentAndNoOther) {
  const auto caps = read_csv("capabilities_2012.csv");
  ASSERT_EQ(caps.size(), 20u);
  std::set<std::string> data_ids;
  for (const auto& row : caps) data_ids.insert(row.at("iso3"));
  const auto agent_ids = ids();
  EXPECT_EQ(std::set<std::string>(agent_ids.begin(), agent_ids.end()), data_ids);
}

TEST_F(Calibration, CapabilityIsCinc2012) {
  for (const auto& row : read_csv("capabilities_2012.csv")) {
    const auto& agent = spec().agents[static_cast<std::size_t>(index(row.at("iso3")))];
    EXPECT_DOUBLE_EQ(agent.capability, number(row, "cinc")) << agent.id;
    EXPECT_EQ(agent.growth, 0.0) << agent.id;
  }
}

TEST_F(Calibration, CapitalIsPhiKTimesGdpShareTimesDistance) {
  const auto caps = read_csv("capabilities_2012.csv");
  // TWN's GDP: AFM PPP GDP times the pooled World Bank / AFM ratio of the states with both.
  double wb_sum = 0, afm_sum = 0;
  for (const auto& row : caps) {
    if (!row.at("gdp_wb_usd_2012").empty() && !row.at("gdp_afm_ppp2011_2012").empty()) {
      wb_sum += number(row, "gdp_wb_usd_2012");
      afm_sum += number(row, "gdp_afm_ppp2011_2012");
    }
  }
  std::map<std::string, double> gdp;
  for (const auto& row : caps) {
    const std::string& id = row.at("iso3");
    if (id == "PRK") continue;
    gdp[id] = row.at("gdp_wb_usd_2012").empty() ? number(row, "gdp_afm_ppp2011_2012") * wb_sum / afm_sum
                                                : number(row, "gdp_wb_usd_2012");
  }
  ASSERT_EQ(gdp.size(), 19u);
  double total = 0;
  for (const auto& [id, value] : gdp) total += value;
  for (const auto& agent : spec().agents) {
    ASSERT_TRUE(agent.capital.has_value()) << agent.id;
    const double expected =
        agent.id == "PRK" ? 0.0 : kPhiK * gdp.at(agent.id) / total * (kNeighbours.count(agent.id) ? 1.0 : 0.5);
    EXPECT_NEAR(*agent.capital, expected, kRounding) << agent.id;
  }
}

TEST_F(Calibration, BaselineAffinityIsMeanKappaPlusAllianceTerms) {
  std::map<Dyad, std::vector<double>> kappa;
  for (const auto& row : read_csv("unga_agreement_2010_2013.csv")) {
    const int year = std::stoi(row.at("year"));
    if (year >= 2010 && year <= 2013) kappa[dyad(row.at("iso3_a"), row.at("iso3_b"))].push_back(number(row, "kappa"));
  }
  const auto alliances = read_csv("alliances_2013.csv");
  ASSERT_EQ(alliances.size(), 190u);
  int checked = 0;
  for (const auto& row : alliances) {
    const std::string a = row.at("iso3_a"), b = row.at("iso3_b");
    double kbar = 0, extra = 0;
    if (a == "TWN" || b == "TWN") {
      EXPECT_EQ(kappa.count(dyad(a, b)), 0u) << "TWN has no UN votes";
      if (dyad(a, b) == dyad("USA", "TWN")) extra = kDefence;   // Taiwan Relations Act
      if (dyad(a, b) == dyad("CHN", "TWN")) extra = -0.20;      // cross-strait term
    } else {
      const auto& values = kappa.at(dyad(a, b));
      ASSERT_EQ(values.size(), 4u) << a << "-" << b;
      for (double v : values) kbar += v / 4;
    }
    const double raw = kbar + kDefence * number(row, "defense") + kConsultation * number(row, "consultation") + extra;
    const double expected = std::clamp(raw, -1.0, 1.0);
    EXPECT_NEAR(at(spec().affinity0, a, b), expected, kRounding) << a << "-" << b;
    EXPECT_NEAR(at(spec().affinity0, b, a), expected, kRounding) << b << "-" << a;
    EXPECT_EQ(at(spec().initial_affinity, a, b), at(spec().affinity0, a, b)) << a << "-" << b;
    EXPECT_EQ(at(spec().initial_affinity, b, a), at(spec().affinity0, b, a)) << b << "-" << a;
    ++checked;
  }
  EXPECT_EQ(checked, 190);
}

TEST_F(Calibration, TradeIsCowTotalTradeInBillions) {
  const auto trade = read_csv("trade_2012.csv");
  ASSERT_EQ(trade.size(), 190u);
  for (const auto& row : trade) {
    const std::string a = row.at("iso3_a"), b = row.at("iso3_b");
    // A missing flow (only LAO-PRK flow2) counts as 0.
    const double flow1 = row.at("flow1").empty() ? 0.0 : number(row, "flow1");
    const double flow2 = row.at("flow2").empty() ? 0.0 : number(row, "flow2");
    const double expected = (flow1 + flow2) / 1000.0;
    EXPECT_NEAR(at(spec().trade, a, b), expected, kRounding) << a << "-" << b;
    EXPECT_EQ(at(spec().trade, a, b), at(spec().trade, b, a)) << a << "-" << b;
  }
}

// The seed-figure checks stated in baseline_2013.yaml, on the loaded trade matrix.
TEST_F(Calibration, SeedFiguresAgreeOrDifferAsTheFileSays) {
  const double rus_chn = at(spec().trade, "RUS", "CHN");
  double rus_asia = 0;
  for (const auto& id : ids()) {
    if (id != "RUS" && id != "USA" && id != "AUS" && id != "NZL") rus_asia += at(spec().trade, "RUS", id);
  }
  EXPECT_NEAR(rus_chn / rus_asia, 0.5, 0.05) << "China about half of Russia's trade in Asia";
  EXPECT_GT(rus_chn, 83.0) << "COW 2012 is above the paper's 2011 figure";
  EXPECT_GT(at(spec().trade, "USA", "CHN"), 550.0);
  EXPECT_LT(at(spec().trade, "RUS", "VNM"), 3.5) << "COW is below the paper's figure";
  for (const auto& id : ids()) {
    if (id != "RUS" && id != "CHN") {
      EXPECT_LT(at(spec().trade, "RUS", id), rus_chn) << id;
    }
  }
  const auto& rfe = spec().regions.at(0);
  const double chn = rfe.stock[static_cast<std::size_t>(index("CHN"))];
  const double rus = rfe.stock[static_cast<std::size_t>(index("RUS"))];
  EXPECT_GT(chn, 3 * rus) << "China invests more than triple what Russian investors do";
  for (std::size_t j = 0; j < rfe.stock.size(); ++j) EXPECT_LE(rfe.stock[j], chn);
}

}  // namespace
}  // namespace geosim
