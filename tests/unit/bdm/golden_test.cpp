// The published example (Bueno de Mesquita 1994, table 1; the EC emission standards): every number
// of tests/data/bdm/README.md. Numbers the README gives in full are checked to 1e-11; those it
// rounds to 6 decimals are checked to that rounding (5e-7) and, in full, to the values of a direct
// evaluation of the README's formulas (all sums over voters and pairs written out, O(N^3) per
// probability) to 1e-11.
#include <gtest/gtest.h>

#include "bdm.h"
#include "bdm_table.h"
#include "support/files.h"

namespace geosim {
namespace {

using namespace agents::bdm;

constexpr double kFull = 1e-11;    // numbers given to 12 or more digits
constexpr double kPrinted = 5e-7;  // numbers given to 6 decimals

enum Actor { kNetherlands, kBelgium, kLuxembourg, kGermany, kFrance, kItaly, kUk, kIreland, kDenmark, kGreece };

Table ec_table() { return read_table(test::source_dir() / "tests/data/bdm/ec_emission_standards.csv", Scale::kAuto); }

TEST(BdmGolden, TableReadsAsPublished) {
  const Table table = ec_table();
  ASSERT_EQ(table.names.size(), 10u);
  EXPECT_EQ(table.names[kUk], "UK");
  EXPECT_FALSE(table.capability_percent);
  EXPECT_FALSE(table.salience_percent);
}

TEST(BdmGolden, RoundZeroMedianAndMean) {
  const Table table = ec_table();
  EXPECT_NEAR(weighted_median(table.actors), 7.0, kFull);
  EXPECT_NEAR(weighted_mean(table.actors), 7.389955686853767, kFull);
}

TEST(BdmGolden, SecurityAtRiskOne) {
  const std::vector<double> s = play_round(ec_table().actors).security;
  const double expected[] = {-5.249282754224, 1.428335635604, 5.437679311444, -5.249282754224, -2.093932632026,
                             -2.093932632026, -8.640898948040, 5.607083908901, -8.811603442780, -2.750412637693};
  for (int i = 0; i < 10; ++i) EXPECT_NEAR(s[static_cast<std::size_t>(i)], expected[i], 1e-12) << i;
}

TEST(BdmGolden, RoundOneRiskExponents) {
  const std::vector<double> r = play_round(ec_table().actors).risk;
  const double printed[] = {1.405653, 0.754196, 0.508864, 1.405653, 1.046524,
                            1.046524, 1.964898, 0.500000, 2.000000, 1.112125};
  const double direct[] = {1.4056527842180304, 0.7541959272436861, 0.5088637910269406, 1.4056527842180304,
                           1.0465238960570615, 1.0465238960570615, 1.9648982295073372, 0.5, 2.0, 1.112124970858258};
  for (int i = 0; i < 10; ++i) {
    EXPECT_NEAR(r[static_cast<std::size_t>(i)], printed[i], kPrinted) << i;
    EXPECT_NEAR(r[static_cast<std::size_t>(i)], direct[i], kFull) << i;
  }
}

void expect_offer(const Round& round, int actor, int proposer, OfferKind kind, double e_ij, double e_ji, double x) {
  const auto found = std::find_if(round.accepted.begin(), round.accepted.end(), [&](const Offer& o) { return o.actor == actor; });
  ASSERT_NE(found, round.accepted.end()) << actor;
  EXPECT_EQ(found->proposer, proposer);
  EXPECT_EQ(found->kind, kind);
  EXPECT_NEAR(found->eu_actor, e_ij, kFull);
  EXPECT_NEAR(found->eu_proposer, e_ji, kFull);
  EXPECT_NEAR(found->position, x, kFull);
}

TEST(BdmGolden, RoundOneOffers) {
  const Round round = play_round(ec_table().actors);
  ASSERT_EQ(round.accepted.size(), 3u);
  expect_offer(round, kBelgium, kFrance, OfferKind::kCompromise, -0.11483050347300794, 0.2432965945234421,
               8.415932315426764);
  expect_offer(round, kLuxembourg, kBelgium, OfferKind::kConfrontation, 0.24550922248250817, 0.542246100211495, 7.0);
  expect_offer(round, kIreland, kLuxembourg, OfferKind::kConfrontation, 0.5382377664333493, 0.6824778252511178, 4.0);
}

TEST(BdmGolden, RoundsOneToThree) {
  struct Expected {
    double belgium, luxembourg, ireland, median, mean;  // as printed
    double belgium_direct;                              // in full
  };
  const Expected rounds[] = {{8.415932, 7.000000, 4.000000, 8.415932, 7.461314378277189, 8.415932315426764},
                             {9.610859, 8.415932, 7.000000, 9.610859, 7.552500865855845, 9.610859134120188},
                             {9.961980, 9.610859, 8.415932, 9.961980, 7.590144997451547, 9.961979590401311}};
  Actors actors = ec_table().actors;
  const std::vector<double> start = actors.position;
  for (const Expected& e : rounds) {
    const std::vector<double> before = actors.position;
    actors.position = play_round(actors).position;
    EXPECT_NEAR(actors.position[kBelgium], e.belgium, kPrinted);
    EXPECT_NEAR(actors.position[kBelgium], e.belgium_direct, kFull);
    EXPECT_NEAR(actors.position[kLuxembourg], e.luxembourg, kPrinted);
    EXPECT_NEAR(actors.position[kIreland], e.ireland, kPrinted);
    EXPECT_NEAR(weighted_median(actors), e.median, kPrinted);
    EXPECT_NEAR(weighted_mean(actors), e.mean, kFull);
    // Luxembourg takes Belgium's old place and Ireland Luxembourg's; nobody else moves.
    EXPECT_EQ(actors.position[kLuxembourg], before[kBelgium]);
    EXPECT_EQ(actors.position[kIreland], before[kLuxembourg]);
    for (int i : {kNetherlands, kGermany, kFrance, kItaly, kUk, kDenmark, kGreece}) {
      EXPECT_EQ(actors.position[static_cast<std::size_t>(i)], start[static_cast<std::size_t>(i)]);
    }
  }
}

}  // namespace
}  // namespace geosim
