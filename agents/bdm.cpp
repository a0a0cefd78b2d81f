// Bueno de Mesquita's expected-utility model. Formulas: MODEL.md section 7 and bdm/README
// (tests/data/bdm/README.md), which follow Scholz, Calbert and Smith (2011).
#include "bdm.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace geosim::agents::bdm {
namespace {

std::size_t at(int index) { return static_cast<std::size_t>(index); }

// base^r, exact for r = 1: the security pass runs at r = 1 and must not pay for pow.
double power(double base, double r) { return r == 1.0 ? base : std::pow(base, r); }

// The utilities of j challenging i, from i's view, differ from those of i challenging j only in
// U_b and U_w, which use the challenger's distance to the median (and vanish while Q = 1).
Utilities for_challenger(Utilities u, double m, double d, double r) {
  if constexpr (kQ != 1.0) {
    u.better = utility_better(m, d, r);
    u.worse = utility_worse(m, d, r);
  }
  return u;
}

}  // namespace

double Actors::weight(int i) const { return capability[at(i)] * salience[at(i)]; }

double position_range(std::span<const double> position) {
  if (position.empty()) return 0;
  const auto [low, high] = std::minmax_element(position.begin(), position.end());
  return *high - *low;
}

// ---------------------------------------------------------------- utilities (bdm/README)

double utility_success(double d, double r) { return 2 - 4 * power(0.5 - 0.5 * d, r); }
double utility_failure(double d, double r) { return 2 - 4 * power(0.5 + 0.5 * d, r); }
double utility_better(double m, double d, double r) { return 2 - 4 * power(0.5 - 0.25 * (m + d), r); }
double utility_worse(double m, double d, double r) { return 2 - 4 * power(0.5 + 0.25 * (m + d), r); }
double utility_status_quo(double r) { return 2 - 4 * power(0.5, r); }

Utilities utilities(double d, double m, double r) {
  Utilities u;
  u.success = utility_success(d, r);
  u.failure = utility_failure(d, r);
  u.status_quo = utility_status_quo(r);
  return for_challenger(u, m, d, r);
}

double expected_utility(const Utilities& u, double p, double resister_salience) {
  const double resist = resister_salience * (p * u.success + (1 - p) * u.failure);
  const double yield = (1 - resister_salience) * u.success;
  const double not_challenging = kQ * u.status_quo + (1 - kQ) * (kT * u.better + (1 - kT) * u.worse);
  return resist + yield - not_challenging;
}

// ---------------------------------------------------------------- votes and probability

double vote(const Actors& actors, std::span<const double> exponents, double delta, int k, int i, int j) {
  const double x = actors.position[at(k)];
  const double r = exponents[at(k)];
  const double to_j = power(std::abs(x - actors.position[at(j)]) / delta, r);
  const double to_i = power(std::abs(x - actors.position[at(i)]) / delta, r);
  return actors.weight(k) * (to_j - to_i);
}

double vote_total_naive(const Actors& actors, std::span<const double> exponents, double delta) {
  double total = 0;
  for (int k = 0; k < actors.size(); ++k) {
    for (int a = 0; a < actors.size(); ++a) {
      for (int b = 0; b < actors.size(); ++b) total += std::abs(vote(actors, exponents, delta, k, a, b));
    }
  }
  return total;
}

double probability_naive(const Actors& actors, std::span<const double> exponents, double delta, int i, int j) {
  if (actors.position[at(i)] == actors.position[at(j)]) return 0;
  const double total = vote_total_naive(actors, exponents, delta);
  if (total == 0) return 0;
  double favour = 0;
  for (int k = 0; k < actors.size(); ++k) favour += std::max(0.0, vote(actors, exponents, delta, k, i, j));
  return favour / total;
}

VoteTable::VoteTable(const Actors& actors, std::span<const double> exponents, double delta)
    : n_(actors.size()), order_(at(n_)), rank_(at(n_)) {
  std::iota(order_.begin(), order_.end(), 0);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](int a, int b) { return actors.position[at(a)] < actors.position[at(b)]; });
  for (int t = 0; t < n_; ++t) {
    const int k = order_[at(t)];
    rank_[at(k)] = t;
    sorted_.push_back(actors.position[at(k)]);
    weight_.push_back(actors.weight(k));
  }
  power_.resize(at(n_) * at(n_));
  for (int t = 0; t < n_; ++t) {
    const double r = exponents[at(order_[at(t)])];
    for (int y = 0; y < n_; ++y) power_[at(t * n_ + y)] = power(std::abs(sorted_[at(t)] - actors.position[at(y)]) / delta, r);
  }
  fill_prefix();
  for (int t = 0; t < n_; ++t) total_ += voter_total(t);
}

void VoteTable::fill_prefix() {
  prefix_.assign(at(n_ + 1) * at(n_), 0.0);
  for (int t = 0; t < n_; ++t) {
    const double* row = &power_[at(t * n_)];
    const double* before = &prefix_[at(t * n_)];
    double* after = &prefix_[at((t + 1) * n_)];
    for (int y = 0; y < n_; ++y) after[y] = before[y] + weight_[at(t)] * row[y];
  }
}

// w_k sum_a sum_b |d_k(a) - d_k(b)| in O(N) instead of O(N^2): d_k is increasing in the distance
// to x_k, so merging the voters left and right of k by distance lists d_k in ascending order, and
// for ascending z, sum_{a<b} (z_b - z_a) = sum_b (b z_b - sum_{a<b} z_a). Ordered pairs: twice that.
double VoteTable::voter_total(int rank) const {
  const double x = sorted_[at(rank)];
  int low = rank - 1, high = rank + 1;
  double below = power_[at(rank * n_ + order_[at(rank)])];  // the voter itself, distance 0
  double pairs = 0;
  for (int count = 1; count < n_; ++count) {
    const bool left = high >= n_ || (low >= 0 && x - sorted_[at(low)] <= sorted_[at(high)] - x);
    const int u = left ? low-- : high++;
    const double z = power_[at(rank * n_ + order_[at(u)])];
    pairs += count * z - below;
    below += z;
  }
  return 2 * weight_[at(rank)] * pairs;
}

double VoteTable::side_sum(int candidate, int from_rank, int to_rank) const {
  return prefix_[at(to_rank * n_ + candidate)] - prefix_[at(from_rank * n_ + candidate)];
}

// v_k(i, j) > 0 exactly when x_k is on i's side of the midpoint of x_i and x_j, a run of ranks;
// over that run the votes sum to (prefix of c s d(., j)) - (prefix of c s d(., i)).
double VoteTable::probability(int i, int j) const {
  const double xi = sorted_[at(rank_[at(i)])], xj = sorted_[at(rank_[at(j)])];
  if (xi == xj || total_ == 0) return 0;
  const double mid = xi + 0.5 * (xj - xi);
  double favour = 0;
  if (xi < xj) {
    const auto m = static_cast<int>(std::lower_bound(sorted_.begin(), sorted_.end(), mid) - sorted_.begin());
    favour = side_sum(j, 0, m) - side_sum(i, 0, m);
  } else {
    const auto m = static_cast<int>(std::upper_bound(sorted_.begin(), sorted_.end(), mid) - sorted_.begin());
    favour = side_sum(j, m, n_) - side_sum(i, m, n_);
  }
  return std::max(0.0, favour) / total_;
}

// ---------------------------------------------------------------- security and risk

std::vector<double> security(const Actors& actors, double median) {
  const int n = actors.size();
  std::vector<double> result(at(n), 0.0);
  const double delta = position_range(actors.position);
  if (delta == 0) return result;
  const std::vector<double> ones(at(n), 1.0);
  const VoteTable table(actors, ones, delta);
  for (int i = 0; i < n; ++i) {
    const double xi = actors.position[at(i)];
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const double xj = actors.position[at(j)];
      const Utilities u = utilities(std::abs(xj - xi) / delta, std::abs(xj - median) / delta, 1.0);
      result[at(i)] += expected_utility(u, table.probability(j, i), actors.salience[at(i)]);
    }
  }
  return result;
}

std::vector<double> risk_acceptance(std::span<const double> security) {
  std::vector<double> result(security.size(), 0.0);
  if (security.empty()) return result;
  const auto [low, high] = std::minmax_element(security.begin(), security.end());
  if (*high == *low) return result;  // everyone equally secure: nobody is risk-acceptant
  for (std::size_t i = 0; i < security.size(); ++i) result[i] = (2 * security[i] - *high - *low) / (*high - *low);
  return result;
}

double risk_exponent(double risk_acceptance) { return (1 - risk_acceptance / 3) / (1 + risk_acceptance / 3); }

// ---------------------------------------------------------------- offers

std::string_view kind_name(OfferKind kind) {
  switch (kind) {
    case OfferKind::kConfrontation: return "confrontation";
    case OfferKind::kCompromise: return "compromise";
    case OfferKind::kCapitulation: return "capitulation";
  }
  return "unknown";
}

std::optional<Offer> classify_offer(int actor, int proposer, double e_ij, double e_ji, double x_i, double x_j) {
  Offer offer{actor, proposer, OfferKind::kConfrontation, e_ij, e_ji, x_j};
  if (e_ji > e_ij && e_ij > 0) return offer;
  if (!(e_ji > 0 && 0 > e_ij)) return std::nullopt;
  if (e_ji > std::abs(e_ij)) {
    offer.kind = OfferKind::kCompromise;
    offer.position = x_i + (x_j - x_i) * std::abs(e_ij / e_ji);
    return offer;
  }
  if (e_ji < std::abs(e_ij)) {
    offer.kind = OfferKind::kCapitulation;
    return offer;
  }
  return std::nullopt;  // E_ji = |E_ij|: the README's three cases leave it out
}

std::optional<Offer> best_offer(std::span<const Offer> offers, double x_i) {
  for (OfferKind kind : {OfferKind::kConfrontation, OfferKind::kCompromise, OfferKind::kCapitulation}) {
    const Offer* best = nullptr;
    for (const Offer& offer : offers) {
      if (offer.kind != kind) continue;
      if (!best || std::abs(offer.position - x_i) < std::abs(best->position - x_i)) best = &offer;
    }
    if (best) return *best;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- median and mean

double weighted_median(const Actors& actors) {
  std::vector<double> candidates = actors.position;
  if (candidates.empty()) return 0;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  double median = candidates.front();
  for (std::size_t c = 1; c < candidates.size(); ++c) {
    // Delta times the net vote at r = 1 for candidate c against the incumbent: dividing by
    // Delta > 0 cannot change the sign, and leaving it out keeps exact ties exact.
    double net = 0;
    for (int k = 0; k < actors.size(); ++k) {
      const double x = actors.position[at(k)];
      net += actors.weight(k) * (std::abs(x - median) - std::abs(x - candidates[c]));
    }
    if (net > 0) median = candidates[c];
  }
  return median;
}

double weighted_mean(const Actors& actors) {
  double weighted = 0, total = 0;
  for (int i = 0; i < actors.size(); ++i) {
    weighted += actors.weight(i) * actors.position[at(i)];
    total += actors.weight(i);
  }
  return total > 0 ? weighted / total : 0.0;
}

// ---------------------------------------------------------------- a round

namespace {

// Every offer actor i receives, in proposer order, with the round's risk exponents.
std::vector<Offer> offers_to(const Actors& actors, const Round& round, const VoteTable& table, int i) {
  std::vector<Offer> offers;
  const double xi = actors.position[at(i)], ri = round.risk[at(i)], delta = round.range;
  for (int j = 0; j < actors.size(); ++j) {
    const double xj = actors.position[at(j)];
    if (j == i || xj == xi) continue;  // same position: nothing to gain, E = 0
    const double d = std::abs(xi - xj) / delta;
    const Utilities mine = utilities(d, std::abs(xi - round.median) / delta, ri);
    const Utilities theirs = for_challenger(mine, std::abs(xj - round.median) / delta, d, ri);
    const double e_ij = expected_utility(mine, table.probability(i, j), actors.salience[at(j)]);
    const double e_ji = expected_utility(theirs, table.probability(j, i), actors.salience[at(i)]);
    if (auto offer = classify_offer(i, j, e_ij, e_ji, xi, xj)) offers.push_back(*offer);
  }
  return offers;
}

std::vector<double> exponents_from(std::span<const double> security) {
  std::vector<double> exponents = risk_acceptance(security);
  for (double& r : exponents) r = risk_exponent(r);
  return exponents;
}

}  // namespace

Round play_round(const Actors& actors, bool keep_offers) {
  Round round;
  round.position = actors.position;
  round.range = position_range(actors.position);
  round.median = weighted_median(actors);
  round.security = security(actors, round.median);
  round.risk = exponents_from(round.security);
  if (round.range == 0) return round;  // one position: no challenge can gain anything
  const VoteTable table(actors, round.risk, round.range);
  for (int i = 0; i < actors.size(); ++i) {
    const std::vector<Offer> offers = offers_to(actors, round, table, i);
    if (auto best = best_offer(offers, actors.position[at(i)])) {
      round.accepted.push_back(*best);
      round.position[at(i)] = best->position;  // all move at once: offers read `actors`
    }
    if (keep_offers) round.offers.insert(round.offers.end(), offers.begin(), offers.end());
  }
  return round;
}

}  // namespace geosim::agents::bdm
