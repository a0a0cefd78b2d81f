// Experiment outcomes and contrasts: labels and their parser, the summaries of a series, Holm's
// adjustment, the paired t test and the rankings.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "geosim/engine.h"
#include "sweep/contrasts.h"
#include "sweep/outcomes.h"

namespace geosim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Outcome parsed(const std::string& text) {
  std::string why;
  const auto outcome = parse_outcome(text, why);
  EXPECT_TRUE(outcome.has_value()) << text << ": " << why;
  return outcome.value_or(Outcome{});
}

std::string rejection(const std::string& text) {
  std::string why;
  EXPECT_FALSE(parse_outcome(text, why).has_value()) << text;
  return why;
}

TEST(Outcomes, ParseTheirLabelsBackWithTheDefaultDirectionOfBetter) {
  for (const char* label : {"final:coop:USA:RUS", "late:cooperation", "cross:balance>=0.9", "cross:coop:P:Q<=-0.25"}) {
    EXPECT_EQ(parsed(label).label(), label);
  }
  EXPECT_TRUE(parsed("late:cooperation").higher_is_better);
  EXPECT_FALSE(parsed("cross:balance>=0.9").higher_is_better) << "sooner is better by default";
  EXPECT_FALSE(parsed("late:dependence:RUS:CHN@lower").higher_is_better);
  EXPECT_TRUE(parsed("cross:balance>=0.9@higher").higher_is_better);
  const Outcome cross = parsed("cross:coop:P:Q<=-0.25");
  EXPECT_EQ(cross.metric, "coop:P:Q");
  EXPECT_FALSE(cross.above);
  EXPECT_EQ(cross.threshold, -0.25);
}

TEST(Outcomes, RejectMalformedTextWithAReason) {
  EXPECT_NE(rejection("mean:cooperation").find("SUMMARY:METRIC"), std::string::npos);
  EXPECT_NE(rejection("cooperation").find("SUMMARY:METRIC"), std::string::npos);
  EXPECT_NE(rejection("cross:cooperation").find("needs a threshold"), std::string::npos);
  EXPECT_NE(rejection("cross:cooperation>=high").find("not a number"), std::string::npos);
  EXPECT_NE(rejection("late:cooperation@best").find("@higher"), std::string::npos);
  EXPECT_NE(rejection("late:").find("empty"), std::string::npos);
}

TimeSeries series() {
  TimeSeries s;
  s.columns = {"tick", "x"};
  s.rows = {{0, 0.1}, {2, 0.5}, {4, 0.3}, {6, 0.7}, {8, 0.9}};
  return s;
}

TEST(Outcomes, SummariseARecordedSeries) {
  const TimeSeries s = series();
  EXPECT_EQ(sweep::outcome_value(parsed("final:x"), s, 8), 0.9);
  // Rows with tick >= 0.75 * 8 = 6: 0.7 and 0.9, as summarise() computes the late mean.
  EXPECT_EQ(sweep::outcome_value(parsed("late:x"), s, 8), summarise(s, 8)[0].late_mean);
  EXPECT_DOUBLE_EQ(sweep::outcome_value(parsed("late:x"), s, 8), 0.8);
  EXPECT_EQ(sweep::outcome_value(parsed("cross:x>=0.5"), s, 8), 2);
  EXPECT_EQ(sweep::outcome_value(parsed("cross:x<=0.3"), s, 8), 0);
  EXPECT_EQ(sweep::outcome_value(parsed("cross:x>=0.95"), s, 8), 8) << "never crossed: censored at the last tick";
  EXPECT_THROW(sweep::outcome_value(parsed("final:y"), s, 8), Error);
}

TEST(Contrasts, HolmAdjustsStepDownAndKeepsTheOrder) {
  // Sorted: 0.005 x 4 = 0.02, 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 -> max(0.06, 0.04).
  const auto adjusted = sweep::holm_adjust({0.01, 0.04, kNaN, 0.03, 0.005});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.06);
  EXPECT_TRUE(std::isnan(adjusted[2])) << "a NaN p-value is not in the family";
  EXPECT_DOUBLE_EQ(adjusted[3], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[4], 0.02);
  EXPECT_EQ(sweep::holm_adjust({0.6, 0.7})[0], 1.0) << "capped at 1";
}

TEST(Contrasts, PairedTTestMatchesTheClosedFormForTwoDegreesOfFreedom) {
  sweep::RunningMoments diff;
  for (double d : {1.0, 2.0, 6.0}) diff.add(d);
  const double t = diff.mean() / (diff.sd() / std::sqrt(3.0));
  // Student's t with 2 degrees of freedom: P(|T| > t) = 1 - t / sqrt(2 + t^2).
  EXPECT_NEAR(sweep::paired_p_value(diff), 1 - t / std::sqrt(2 + t * t), 1e-12);
}

TEST(Contrasts, PairedTTestHandlesDegenerateDifferences) {
  sweep::RunningMoments zeros, constant, one;
  for (int i = 0; i < 5; ++i) zeros.add(0.0);
  for (int i = 0; i < 5; ++i) constant.add(0.5);
  one.add(1.0);
  EXPECT_EQ(sweep::paired_p_value(zeros), 1.0);
  EXPECT_EQ(sweep::paired_p_value(constant), 0.0);
  EXPECT_TRUE(std::isnan(sweep::paired_p_value(one)));
}

TEST(Contrasts, RanksBestFirstWithTiesSharingARankAndNaNLast) {
  EXPECT_EQ(sweep::competition_ranks({3, 1, 3, kNaN}, true), (std::vector<int>{1, 3, 1, 4}));
  EXPECT_EQ(sweep::competition_ranks({3, 1, 3, kNaN}, false), (std::vector<int>{2, 1, 2, 4}));
}

}  // namespace
}  // namespace geosim
