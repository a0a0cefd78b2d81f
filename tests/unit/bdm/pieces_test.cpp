// The pieces of the bdm model against values worked out by hand from the formulas of
// tests/data/bdm/README.md (bdm/README), never by calling the function under test.
#include <gtest/gtest.h>

#include <cmath>

#include "bdm.h"
#include "geosim/rng.h"

namespace geosim {
namespace {

using namespace agents::bdm;

// Three actors: A at 0 (c 1, s 1), B at 1 (c 1, s 0.5), C at 3 (c 2, s 0.25). Delta = 3 and the
// voting weights c s are 1, 0.5 and 0.5.
Actors trio() { return {{1, 1, 2}, {0, 1, 3}, {1, 0.5, 0.25}}; }
const std::vector<double> kOnes{1, 1, 1};

TEST(BdmUtilities, MatchTheFormulasAtHandPickedPoints) {
  // d = 1/3: U_s = 2 - 4 (1/3)^r, U_f = 2 - 4 (2/3)^r.
  EXPECT_NEAR(utility_success(1.0 / 3, 1), 2 - 4.0 / 3, 1e-15);
  EXPECT_NEAR(utility_success(1.0 / 3, 2), 2 - 4.0 / 9, 1e-15);
  EXPECT_NEAR(utility_failure(1.0 / 3, 1), 2 - 8.0 / 3, 1e-15);
  EXPECT_NEAR(utility_failure(1.0 / 3, 2), 2 - 16.0 / 9, 1e-15);
  // m = d = 1/3: U_b = 2 - 4 (1/2 - 1/6)^r, U_w = 2 - 4 (1/2 + 1/6)^r.
  EXPECT_NEAR(utility_better(1.0 / 3, 1.0 / 3, 1), 2 - 4.0 / 3, 1e-15);
  EXPECT_NEAR(utility_worse(1.0 / 3, 1.0 / 3, 2), 2 - 16.0 / 9, 1e-15);
  EXPECT_EQ(utility_status_quo(1), 0.0);
  EXPECT_NEAR(utility_status_quo(2), 1.0, 1e-15);
  EXPECT_NEAR(utility_status_quo(0.5), 2 - 2 * std::sqrt(2.0), 1e-15);
  // At the extremes: winning against the far end is worth 2, losing to it -2 (r = 1).
  EXPECT_EQ(utility_success(1, 1), 2.0);
  EXPECT_EQ(utility_failure(1, 1), -2.0);
}

TEST(BdmUtilities, ExpectedUtilityWeighsResistanceBySalience) {
  Utilities u;
  u.success = 2.0 / 3;
  u.failure = -2.0 / 3;
  u.status_quo = 0.25;
  // s_j = 0.5, P = 0.25: 0.5 (0.25 * 2/3 - 0.75 * 2/3) + 0.5 * 2/3 - 0.25 = 1/6 - 1/4.
  EXPECT_NEAR(expected_utility(u, 0.25, 0.5), 1.0 / 6 - 0.25, 1e-15);
  // A resister that does not care (s_j = 0) always yields: E = U_s - U_sq.
  EXPECT_NEAR(expected_utility(u, 0.0, 0.0), 2.0 / 3 - 0.25, 1e-15);
}

TEST(BdmVotes, AreWeightedDifferencesOfPoweredDistances) {
  const Actors a = trio();
  // v_A(A, B) = 1 (1/3 - 0); v_B(A, B) = 0.5 (0 - 1/3); v_C(A, B) = 0.5 (2/3 - 1).
  EXPECT_NEAR(vote(a, kOnes, 3, 0, 0, 1), 1.0 / 3, 1e-15);
  EXPECT_NEAR(vote(a, kOnes, 3, 1, 0, 1), -1.0 / 6, 1e-15);
  EXPECT_NEAR(vote(a, kOnes, 3, 2, 0, 1), -1.0 / 6, 1e-15);
  // With voter C's exponent 0.5: v_C(A, B) = 0.5 (sqrt(2/3) - 1).
  const std::vector<double> r{1, 1, 0.5};
  EXPECT_NEAR(vote(a, r, 3, 2, 0, 1), 0.5 * (std::sqrt(2.0 / 3) - 1), 1e-15);
}

// Sum over ordered pairs of |d_k(a) - d_k(b)|, d = distance / 3: voter A sees distances 0, 1, 3
// (unordered differences 1 + 3 + 2), B sees 1, 0, 2 (1 + 1 + 2), C sees 3, 2, 0 (1 + 3 + 2).
constexpr double kTrioTotal = 1 * 2 * 6 / 3.0 + 0.5 * 2 * 4 / 3.0 + 0.5 * 2 * 6 / 3.0;  // 22/3

TEST(BdmProbability, UsesTheAllPairsDenominator) {
  const Actors a = trio();
  EXPECT_NEAR(vote_total_naive(a, kOnes, 3), kTrioTotal, 1e-14);
  const VoteTable table(a, kOnes, 3);
  EXPECT_NEAR(table.total(), kTrioTotal, 1e-14);
  // P(A, B): only A votes for A (1/3). P(B, A): B and C, 1/6 each.
  EXPECT_NEAR(table.probability(0, 1), (1.0 / 3) / kTrioTotal, 1e-15);
  EXPECT_NEAR(table.probability(1, 0), (1.0 / 3) / kTrioTotal, 1e-15);
  // P(A, C): A gives 1, B gives 0.5 (2 - 1) / 3. P(C, A): C gives 0.5 (3 - 0) / 3.
  EXPECT_NEAR(table.probability(0, 2), (1 + 1.0 / 6) / kTrioTotal, 1e-15);
  EXPECT_NEAR(table.probability(2, 0), 0.5 / kTrioTotal, 1e-15);
  EXPECT_NEAR(probability_naive(a, kOnes, 3, 0, 2), (1 + 1.0 / 6) / kTrioTotal, 1e-15);
  EXPECT_EQ(table.probability(1, 1), 0.0);
}

TEST(BdmProbability, FastFormAgreesWithTheNaiveFormOnRandomActors) {
  const Rng rng(Rng::key_for(8, 0, 0));
  Actors a;
  std::vector<double> r;
  for (std::uint32_t i = 0; i < 40; ++i) {
    const auto u = rng.uniform2(0, Stream::kHazard, 0, i, 0);
    const auto v = rng.uniform2(0, Stream::kHazard, 1, i, 0);
    a.capability.push_back(u[0]);
    a.position.push_back(std::round(u[1] * 12) / 12);  // ties on purpose
    a.salience.push_back(v[0]);
    r.push_back(0.5 + 1.5 * v[1]);
  }
  const double delta = position_range(a.position);
  const double naive = vote_total_naive(a, r, delta);
  const VoteTable table(a, r, delta);
  EXPECT_NEAR(table.total(), naive, 1e-12 * naive);
  for (int i = 0; i < a.size(); ++i) {
    for (int j = 0; j < a.size(); ++j) {
      double favour = 0;
      for (int k = 0; k < a.size(); ++k) favour += std::max(0.0, vote(a, r, delta, k, i, j));
      EXPECT_NEAR(table.probability(i, j), favour / naive, 1e-12 * (favour / naive) + 1e-17) << i << " " << j;
    }
  }
}

TEST(BdmSecurity, SumsTheChallengesAnActorFacesAtRiskOne) {
  const Actors a = trio();
  // A (s = 1) against B: d = 1/3, U_s = 2/3, U_f = -2/3, P(B, A) = (1/3) / total; against C:
  // d = 1, U_s = 2, U_f = -2, P(C, A) = 0.5 / total. U_sq = 0 at r = 1.
  const double p_ba = (1.0 / 3) / kTrioTotal, p_ca = 0.5 / kTrioTotal;
  const double s_a = (p_ba * 2.0 / 3 + (1 - p_ba) * (-2.0 / 3)) + (p_ca * 2 + (1 - p_ca) * (-2));
  // B (s = 0.5) against A: d = 1/3, P(A, B) = (1/3) / total; against C: d = 2/3, U_s = 4/3,
  // U_f = -4/3, P(C, B) = v_C(C, B) / total = 0.5 (2/3) / total.
  const double p_ab = (1.0 / 3) / kTrioTotal, p_cb = (1.0 / 3) / kTrioTotal;
  const double s_b = 0.5 * (p_ab * 2.0 / 3 + (1 - p_ab) * (-2.0 / 3)) + 0.5 * 2.0 / 3 +
                     0.5 * (p_cb * 4.0 / 3 + (1 - p_cb) * (-4.0 / 3)) + 0.5 * 4.0 / 3;
  const std::vector<double> s = security(a, 0.0);
  EXPECT_NEAR(s[0], s_a, 1e-14);
  EXPECT_NEAR(s[1], s_b, 1e-14);
}

TEST(BdmRisk, MapsSecurityToExponentsBetweenHalfAndTwo) {
  const std::vector<double> s{-3, 0, 1};
  const std::vector<double> big_r = risk_acceptance(s);
  // R = (2 S - 1 + 3) / 4: -1, 0.5, 1.
  EXPECT_NEAR(big_r[0], -1.0, 1e-15);
  EXPECT_NEAR(big_r[1], 0.5, 1e-15);
  EXPECT_NEAR(big_r[2], 1.0, 1e-15);
  EXPECT_NEAR(risk_exponent(-1), (1 + 1.0 / 3) / (1 - 1.0 / 3), 1e-15);  // 2: the most insecure
  EXPECT_NEAR(risk_exponent(0.5), (1 - 1.0 / 6) / (1 + 1.0 / 6), 1e-15);
  EXPECT_NEAR(risk_exponent(1), (2.0 / 3) / (4.0 / 3), 1e-15);            // 0.5: the most secure
  EXPECT_EQ(risk_exponent(0), 1.0);
  // Everyone equally secure: R = 0, r = 1 (instead of 0 / 0).
  EXPECT_EQ(risk_acceptance(std::vector<double>{2, 2})[1], 0.0);
}

TEST(BdmOffers, ClassifyByTheSignsAndSizesOfTheTwoUtilities) {
  const auto confrontation = classify_offer(0, 1, 0.1, 0.3, 0.0, 1.0);
  ASSERT_TRUE(confrontation);
  EXPECT_EQ(confrontation->kind, OfferKind::kConfrontation);
  EXPECT_EQ(confrontation->position, 1.0);
  const auto compromise = classify_offer(0, 1, -0.1, 0.4, 0.0, 1.0);
  ASSERT_TRUE(compromise);
  EXPECT_EQ(compromise->kind, OfferKind::kCompromise);
  EXPECT_NEAR(compromise->position, 0.25, 1e-15);  // 0 + (1 - 0) |-0.1 / 0.4|
  const auto capitulation = classify_offer(0, 1, -0.5, 0.2, 0.0, 1.0);
  ASSERT_TRUE(capitulation);
  EXPECT_EQ(capitulation->kind, OfferKind::kCapitulation);
  EXPECT_EQ(capitulation->position, 1.0);
  EXPECT_FALSE(classify_offer(0, 1, 0.3, 0.1, 0.0, 1.0));   // i is the stronger: no offer to i
  EXPECT_FALSE(classify_offer(0, 1, -0.2, -0.1, 0.0, 1.0)); // j would not challenge
  EXPECT_FALSE(classify_offer(0, 1, -0.2, 0.2, 0.0, 1.0));  // E_ji = |E_ij|: neither case
}

TEST(BdmOffers, BestIsTheFirstKindThenTheSmallestMove) {
  const std::vector<Offer> offers{{0, 1, OfferKind::kCompromise, -0.1, 0.4, 0.1},
                                  {0, 2, OfferKind::kConfrontation, 0.1, 0.3, 0.9},
                                  {0, 3, OfferKind::kConfrontation, 0.1, 0.3, 0.6},
                                  {0, 4, OfferKind::kConfrontation, 0.1, 0.3, 0.6}};
  const auto best = best_offer(offers, 0.0);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->proposer, 3);  // a confrontation, the nearer, and the first of a tie
  EXPECT_FALSE(best_offer({}, 0.0));
}

TEST(BdmMedian, IsThePairwiseWinnerWithTiesToTheLowerPosition) {
  Actors a = trio();
  // Sums of weighted distances: F(0) = 0.5 + 1.5 = 2, F(1) = 1 + 1 = 2, F(3) = 3 + 1 = 4; the
  // net vote of 1 against 0 is (F(0) - F(1)) / 3 = 0, so the incumbent 0 stays.
  EXPECT_EQ(weighted_median(a), 0.0);
  a.capability[1] = 2;  // B's weight 1: F(1) = 1 + 1 = 2 < F(0) = 1 + 1.5
  EXPECT_EQ(weighted_median(a), 1.0);
  // Mean: (1 * 0 + 1 * 1 + 0.5 * 3) / 2.5.
  EXPECT_NEAR(weighted_mean(a), 2.5 / 2.5, 1e-15);
  EXPECT_NEAR(weighted_mean(trio()), (0 + 0.5 + 1.5) / 2.0, 1e-15);
}

TEST(BdmRound, OnePositionMovesNobody) {
  const Actors a{{1, 2}, {0.5, 0.5}, {0.3, 0.9}};
  const Round round = play_round(a, true);
  EXPECT_EQ(round.position, a.position);
  EXPECT_TRUE(round.accepted.empty());
  EXPECT_EQ(round.risk, (std::vector<double>{1, 1}));
}

}  // namespace
}  // namespace geosim
