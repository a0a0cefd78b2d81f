#pragma once
// Bueno de Mesquita's expected-utility bargaining model (MODEL.md section 7), as replicated by
// Scholz, Calbert and Smith (2011) and pinned by the specification in bdm/README (the golden
// data in tests/data/bdm/). Everything here is serial and deterministic: the same actors give
// bit-identical results on any thread and in any process.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace geosim::agents::bdm {

/// Q and T of the expected utility (bdm/README): the challenger is sure the status quo holds
/// (Q = 1) if it does not challenge, and that it would get better (T = 1) if it changed.
inline constexpr double kQ = 1.0;
inline constexpr double kT = 1.0;

/// The actors of one issue, in table order (structure of arrays, one entry per actor).
struct Actors {
  std::vector<double> capability;  ///< c_i >= 0, any unit (only ratios of votes use it)
  std::vector<double> position;    ///< x_i, finite, any scale (utilities divide by Delta)
  std::vector<double> salience;    ///< s_i in [0, 1]

  int size() const { return static_cast<int>(position.size()); }
  /// c_i s_i: the actor's voting weight.
  double weight(int i) const;
};

// ---------------------------------------------------------------- the pieces (bdm/README)

/// Delta = max position - min position (0 for fewer than two actors).
double position_range(std::span<const double> position);

/// U_s = 2 - 4 (0.5 - 0.5 d)^r, the utility of winning a challenge at normalised distance
/// d = |x_i - x_j| / Delta in [0, 1], with risk exponent r > 0.
double utility_success(double d, double r);
/// U_f = 2 - 4 (0.5 + 0.5 d)^r, the utility of losing it.
double utility_failure(double d, double r);
/// U_b = 2 - 4 (0.5 - 0.25 (m + d))^r, with m = |x_i - mu| / Delta: things get better.
double utility_better(double m, double d, double r);
/// U_w = 2 - 4 (0.5 + 0.25 (m + d))^r: things get worse.
double utility_worse(double m, double d, double r);
/// U_sq = 2 - 4 (0.5)^r, the utility of the status quo.
double utility_status_quo(double r);

/// The five utilities of one challenge, from one actor's view (its risk exponent r).
struct Utilities {
  double success = 0;
  double failure = 0;
  double better = 0;
  double worse = 0;
  double status_quo = 0;
};
/// The utilities for a challenger at |x_i - x_j| / Delta = d and |x_i - mu| / Delta = m.
/// U_b and U_w are left at 0 while Q = 1, since E does not use them then.
Utilities utilities(double d, double m, double r);

/// E = s_j (P U_s + (1 - P) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w):
/// the expected utility of challenging an actor of salience s_j, won with probability P.
double expected_utility(const Utilities& u, double p, double resister_salience);

/// v_k(i, j) = c_k s_k ((|x_k - x_j| / Delta)^r_k - (|x_k - x_i| / Delta)^r_k): voter k's vote for
/// i against j (positive: k prefers i's position). Delta > 0.
double vote(const Actors& actors, std::span<const double> exponents, double delta, int k, int i, int j);

/// sum_k sum_a sum_b |v_k(a, b)| over all ordered pairs, directly: O(N^3). The reference for
/// vote_total(); use it in tests only.
double vote_total_naive(const Actors& actors, std::span<const double> exponents, double delta);
/// P(i, j) = sum_k max(0, v_k(i, j)) / vote_total_naive, directly: O(N^3) for one pair. The
/// reference for VoteTable::probability(); 0 when x_i = x_j or every vote is 0.
double probability_naive(const Actors& actors, std::span<const double> exponents, double delta, int i, int j);

/// Every vote of every voter on every pair of the actors' positions, for one set of voter
/// exponents, precomputed so that P(i, j) costs O(log N) and the whole table O(N^2) memory
/// and O(N^2 log N) time instead of the O(N^3) of the direct sums. Agrees with the naive forms
/// to rounding (about 1e-15 relative; tests pin 1e-12).
class VoteTable {
 public:
  /// `exponents[k]` is voter k's risk exponent r_k > 0; `delta` = position_range > 0.
  VoteTable(const Actors& actors, std::span<const double> exponents, double delta);

  /// sum_k sum_a sum_b |v_k(a, b)|, the denominator of every P.
  double total() const { return total_; }
  /// P(i, j), the probability that i beats j (0 when x_i = x_j or every vote is 0).
  double probability(int i, int j) const;

 private:
  void fill_prefix();
  double voter_total(int rank) const;
  double side_sum(int candidate, int from_rank, int to_rank) const;

  int n_ = 0;
  std::vector<int> order_;         ///< actor indices by ascending position (ties: table order)
  std::vector<int> rank_;          ///< each actor's place in that order
  std::vector<double> sorted_;     ///< positions in that order
  std::vector<double> weight_;     ///< c s in that order
  std::vector<double> power_;      ///< n x n, [voter rank t][candidate y]: (|x_t - x_y| / Delta)^r_t
  std::vector<double> prefix_;     ///< (n + 1) x n, [m][candidate y]: sum over ranks t < m of c s power
  double total_ = 0;
};

/// S_i: the sum over j != i of E for j challenging i, from i's view, every exponent 1.
std::vector<double> security(const Actors& actors, double median);
/// R_i = (2 S_i - S_max - S_min) / (S_max - S_min); 0 for every actor when S_max = S_min.
std::vector<double> risk_acceptance(std::span<const double> security);
/// r_i = (1 - R_i / 3) / (1 + R_i / 3), in [0.5, 2] for R_i in [-1, 1].
double risk_exponent(double risk_acceptance);

/// What an offer makes its receiver do (bdm/README, from the receiver i's view).
enum class OfferKind { kConfrontation, kCompromise, kCapitulation };
/// "confrontation", "compromise", "capitulation".
std::string_view kind_name(OfferKind kind);

/// An offer from `proposer` (j) to `actor` (i) and the position i would move to.
struct Offer {
  int actor = 0;
  int proposer = 0;
  OfferKind kind = OfferKind::kConfrontation;
  double eu_actor = 0;     ///< E_ij: i's expected utility of challenging j
  double eu_proposer = 0;  ///< E_ji: i's estimate of j's expected utility of challenging i
  double position = 0;     ///< i's new position if it takes the offer
};
/// Classifies the pair: confrontation when E_ji > E_ij > 0 (i moves to x_j); compromise when
/// E_ji > 0 > E_ij and E_ji > |E_ij| (i moves to x_i + (x_j - x_i) |E_ij / E_ji|); capitulation
/// when E_ji > 0 > E_ij and E_ji < |E_ij| (i moves to x_j); otherwise no offer.
std::optional<Offer> classify_offer(int actor, int proposer, double e_ij, double e_ji, double x_i, double x_j);
/// The offer i takes: a confrontation first, else a compromise, else a capitulation; among
/// several of that kind the one that moves it least, ties to the first in table order.
std::optional<Offer> best_offer(std::span<const Offer> offers, double x_i);

/// mu: the pairwise Condorcet winner among the actors' positions under votes with weight c s at
/// r = 1 (the position no other beats). Candidates are taken in ascending order and a later one
/// replaces the incumbent only when its net vote is > 0, so an exact tie goes to the lower one.
double weighted_median(const Actors& actors);
/// sum c s x / sum c s (0 when every c s is 0).
double weighted_mean(const Actors& actors);

// ---------------------------------------------------------------- a round

/// One round of the model on `actors`: what each actor computed and where it moved.
struct Round {
  double range = 0;                 ///< Delta of the positions the round started from
  double median = 0;                ///< mu of those positions
  std::vector<double> security;     ///< S_i at r = 1
  std::vector<double> risk;         ///< r_i
  std::vector<Offer> offers;        ///< every offer received, by actor then proposer (if kept)
  std::vector<Offer> accepted;      ///< the offer each moving actor took, in actor order
  std::vector<double> position;     ///< positions after the simultaneous moves
};

/// Plays one round (bdm/README): Delta and mu of the current positions, security at r = 1,
/// risk exponents, then every actor's offers with those exponents, and all move at once.
/// With fewer than two distinct positions nothing moves. `keep_offers` keeps every offer
/// (O(N^2) memory), not only the accepted ones. O(N^2 log N) time, O(N^2) memory.
Round play_round(const Actors& actors, bool keep_offers = false);

}  // namespace geosim::agents::bdm
