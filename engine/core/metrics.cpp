#include "geosim/metrics.h"

#include <algorithm>
#include <boost/pending/disjoint_sets.hpp>
#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <tbb/parallel_for.h>

#include "geosim/parallel.h"
#include "geosim/products.h"

namespace geosim {
namespace {

double safe_ratio(double numerator, double denominator) {
  return denominator != 0 ? numerator / denominator : 0.0;
}

const std::string& agent_id(const ScenarioSpec& spec, AgentIndex agent) {
  return spec.agents[static_cast<std::size_t>(agent)].id;
}

// image = bar * vector for the symmetric `bar`, by row blocks: row i is column i's dot product
// with `vector`, the same operation whichever thread runs it.
void multiply_symmetric(const Eigen::MatrixXd& bar, const Eigen::Ref<const Eigen::VectorXd>& vector, Eigen::VectorXd& image) {
  image.resize(bar.rows());
  for_each_row_block(static_cast<int>(bar.rows()), [&](int, Eigen::Index first, Eigen::Index rows) {
    for (Eigen::Index row = first; row < first + rows; ++row) image(row) = bar.col(row).dot(vector);
  });
}

// A fixed start vector with irregular entries, so that it is not orthogonal to a structured
// eigenvector (a two-camp world's (1, ..., -1, ...) is orthogonal to (1, ..., 1)).
Eigen::VectorXd start_vector(Eigen::Index n) {
  Eigen::VectorXd start(n);
  for (Eigen::Index agent = 0; agent < n; ++agent) start(agent) = 1.0 + 0.5 * std::sin(1.0 + 2.399963 * static_cast<double>(agent));
  return start.normalized();
}

// The number of eigenvalues of the symmetric tridiagonal (diag, sub) below x: the negative
// pivots of the LDL^T factorisation of T - x I (Sturm sequence count).
int count_below(const Eigen::VectorXd& diag, const Eigen::VectorXd& sub, double x) {
  int count = 0;
  double pivot = 1;
  for (Eigen::Index row = 0; row < diag.size(); ++row) {
    pivot = diag(row) - x - (row > 0 ? sub(row - 1) * sub(row - 1) / pivot : 0.0);
    if (pivot == 0) pivot = -1e-300;
    count += pivot < 0;
  }
  return count;
}

// The eigenvalue of rank `rank` (0 = smallest) of the tridiagonal, by bisection of [low, high]
// (which holds it) down to a width of `width`.
double tridiagonal_eigenvalue(const Eigen::VectorXd& diag, const Eigen::VectorXd& sub, int rank, double low,
                              double high, double width) {
  for (int step = 0; step < 200 && high - low > width; ++step) {
    const double middle = low + (high - low) / 2;
    if (middle <= low || middle >= high) break;
    (count_below(diag, sub, middle) > rank ? high : low) = middle;
  }
  return low + (high - low) / 2;
}

// Dense worlds: Householder tridiagonalisation, the two largest eigenvalues by bisection, then
// inverse iteration at the largest (together a fraction of the full solver's work). Returns
// nullopt, so that the caller takes the full solver, when the leading eigenvalue is (nearly)
// repeated, where "the" eigenvector is the solver's choice, or when the residual does not fall
// below 1e-13 of the spectral radius in 6 steps.
std::optional<Eigen::VectorXd> leading_by_inverse_iteration(const Eigen::MatrixXd& bar) {
  const Eigen::Index n = bar.rows();
  const Eigen::Tridiagonalization<Eigen::MatrixXd> tri(bar);
  const Eigen::VectorXd diag = tri.diagonal();
  const Eigen::VectorXd sub = tri.subDiagonal();
  double bound = 0;
  for (Eigen::Index row = 0; row < n; ++row) {
    bound = std::max(bound, std::abs(diag(row)) + (row > 0 ? std::abs(sub(row - 1)) : 0.0) +
                                (row + 1 < n ? std::abs(sub(row)) : 0.0));
  }
  if (!(bound > 0)) return std::nullopt;
  const int last = static_cast<int>(n) - 1;
  // The largest to 1e-12 of the bound, the second only well enough to see the gap.
  const double first_value = tridiagonal_eigenvalue(diag, sub, last, -bound, bound, 1e-12 * bound);
  const double second_value = tridiagonal_eigenvalue(diag, sub, last - 1, -bound, first_value, 1e-8 * bound);
  if (first_value - second_value <= 1e-6 * bound) return std::nullopt;
  // Shifting just past the eigenvalue keeps the factorisation regular; each step then shrinks
  // the other components by at least 1e-10 / 1e-6.
  const double shift = first_value + 1e-10 * bound;
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(bar - shift * Eigen::MatrixXd::Identity(n, n));
  Eigen::VectorXd vector = start_vector(n);
  for (int step = 0; step < 6; ++step) {
    vector = lu.solve(vector).normalized();
    const Eigen::VectorXd image = bar * vector;
    if ((image - vector.dot(image) * vector).norm() <= 1e-13 * bound) return vector;
  }
  return std::nullopt;
}

// Large worlds: Lanczos with full reorthogonalisation from `start` (the previous record's
// vector, which is already close), restarted from its Ritz vector until the residual
// |Abar v - theta v| is below kLanczosTolerance times the Ritz value's magnitude. The products
// Abar v by row blocks (multiply_symmetric), the rest serial, all in a fixed order: the same
// input gives the same bits at any thread count.
Eigen::VectorXd leading_by_lanczos(const Eigen::MatrixXd& bar, const Eigen::VectorXd& start) {
  const Eigen::Index n = bar.rows();
  constexpr Eigen::Index kSteps = 24;
  Eigen::MatrixXd basis(n, kSteps);
  Eigen::VectorXd ritz = start.normalized();
  Eigen::VectorXd next(n);
  for (int restart = 0; restart < 20; ++restart) {
    Eigen::MatrixXd tri = Eigen::MatrixXd::Zero(kSteps, kSteps);
    basis.col(0) = ritz;
    Eigen::Index steps = kSteps;
    for (Eigen::Index step = 0; step < kSteps; ++step) {
      multiply_symmetric(bar, basis.col(step), next);
      tri(step, step) = basis.col(step).dot(next);
      // Full reorthogonalisation, twice ("twice is enough"), keeps the basis orthonormal.
      for (int pass = 0; pass < 2; ++pass) next -= basis.leftCols(step + 1) * (basis.leftCols(step + 1).transpose() * next);
      const double beta = next.norm();
      if (step + 1 == kSteps || beta <= 1e-14 * std::abs(tri(0, 0)) + 1e-300) {
        steps = step + 1;
        break;
      }
      tri(step, step + 1) = tri(step + 1, step) = beta;
      basis.col(step + 1) = next / beta;
    }
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> small(tri.topLeftCorner(steps, steps));
    const double theta = small.eigenvalues()(steps - 1);
    ritz = (basis.leftCols(steps) * small.eigenvectors().col(steps - 1)).normalized();
    multiply_symmetric(bar, ritz, next);
    const double residual = (next - theta * ritz).norm();
    if (residual <= kLanczosTolerance * std::max(std::abs(theta), 1e-300)) break;
  }
  return ritz;
}

// sum_{j <= i} weight_ij square_ij S_ij over the block's rows i = first + row, with weight 2
// off the diagonal (the terms j > i, equal by symmetry) and 1 on it; in (i, j) order. S_ij is
// read as S_ji, down S's contiguous column i.
double lower_weighted_sum(const Eigen::Ref<const Matrix>& square, const Eigen::MatrixXd& S, Eigen::Index first) {
  double total = 0;
  for (Eigen::Index row = 0; row < square.rows(); ++row) {
    const Eigen::Index i = first + row;
    double off_diagonal = 0;
    for (Eigen::Index j = 0; j < i; ++j) off_diagonal += square(row, j) * S(j, i);
    total += 2 * off_diagonal + square(row, i) * S(i, i);
  }
  return total;
}

// One row block's share of trace(S^3) = sum_ij (S^2)_ij S_ij for the symmetric S: the block's
// rows of S^2 against the columns up to the block's last row only (the lower triangle).
// `buffer` holds rows x (first + rows) doubles.
double triad_sum(const Eigen::MatrixXd& S, Eigen::Index first, Eigen::Index rows, double* buffer) {
  const Eigen::Index columns = first + rows;
  // S is symmetric, so its column-major storage is also its row-major storage: the block's rows
  // of S times S's first `columns` columns, each entry summed in a fixed order (products.h).
  const auto n = static_cast<std::size_t>(S.rows());
  multiply_rows(S.data() + static_cast<std::size_t>(first) * n, n, S.data(), n, n, static_cast<std::size_t>(rows),
                static_cast<std::size_t>(columns), buffer, static_cast<std::size_t>(columns));
  const Eigen::Map<Matrix> square(buffer, rows, columns);
  return lower_weighted_sum(square, S, first);
}

// A buffer per thread for triad_sum, grown when needed and kept.
double* triad_buffer(std::size_t size) {
  thread_local std::vector<double> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

// MODEL.md section 4, balance: sum_{i<j<k} Abar_ij Abar_jk Abar_ki = trace(Abar^3) / 6 and
// likewise for |Abar| (zero diagonal); the 6 cancels in the ratio. Per row block, then the
// blocks' sums added in block order.
double balance_of(const Eigen::MatrixXd& bar, const Eigen::MatrixXd& magnitude) {
  const Eigen::Index n = bar.rows();
  const auto blocks = static_cast<std::size_t>((n + kRowBlock - 1) / kRowBlock);
  std::vector<double> signed_sums(blocks), absolute_sums(blocks);
  for_each_row_block(static_cast<int>(n), [&](int block, Eigen::Index first, Eigen::Index rows) {
    double* buffer = triad_buffer(static_cast<std::size_t>(rows * (first + rows)));
    signed_sums[static_cast<std::size_t>(block)] = triad_sum(bar, first, rows, buffer);
    absolute_sums[static_cast<std::size_t>(block)] = triad_sum(magnitude, first, rows, buffer);
  });
  double signed_sum = 0;
  double absolute_sum = 0;
  for (std::size_t block = 0; block < blocks; ++block) {
    signed_sum += signed_sums[block];
    absolute_sum += absolute_sums[block];
  }
  return safe_ratio(signed_sum, absolute_sum);
}

std::vector<int> camps_of(const Eigen::MatrixXd& bar, const std::vector<AgentIndex>& orient_by, Eigen::VectorXd* warm) {
  const Eigen::VectorXd leading = leading_eigenvector(bar, warm);
  // Entries this small relative to a unit vector are round-off, not a side.
  constexpr double kZero = 1e-9;
  std::vector<int> sign(static_cast<std::size_t>(leading.size()));
  for (Eigen::Index agent = 0; agent < leading.size(); ++agent) {
    sign[static_cast<std::size_t>(agent)] = leading(agent) > kZero ? 1 : (leading(agent) < -kZero ? -1 : 0);
  }
  std::vector<AgentIndex> order = orient_by;
  for (AgentIndex agent = 0; agent < static_cast<int>(sign.size()); ++agent) order.push_back(agent);
  for (AgentIndex agent : order) {
    if (sign[static_cast<std::size_t>(agent)] == 0) continue;
    if (sign[static_cast<std::size_t>(agent)] < 0) {
      for (int& value : sign) value = -value;
    }
    break;
  }
  return sign;
}

int count_distinct(const std::vector<int>& ids) {
  int count = 0;
  for (std::size_t agent = 0; agent < ids.size(); ++agent) count += ids[agent] == static_cast<int>(agent);
  return count;
}

}  // namespace

MetricRecorder::MetricRecorder(const ScenarioSpec& spec) : spec_(spec) {
  columns_ = {"tick", "cooperation", "balance", "blocs"};
  for (const auto& [i, j] : spec.track.dyads) {
    const std::string pair = fmt::format("{}:{}", agent_id(spec, i), agent_id(spec, j));
    for (const char* metric : {"coop", "affinity", "alignment", "dependence", "attention"}) {
      columns_.push_back(fmt::format("{}:{}", metric, pair));
    }
  }
  for (AgentIndex agent : spec.track.agents) {
    columns_.push_back("bloc_of:" + agent_id(spec, agent));
    columns_.push_back("camp:" + agent_id(spec, agent));
  }
  for (const RegionSpec& region : spec.regions) {
    columns_.push_back("invest_total:" + region.id);
    columns_.push_back("invest_hhi:" + region.id);
    for (AgentIndex agent : spec.track.agents) {
      columns_.push_back(fmt::format("invest_share:{}:{}", region.id, agent_id(spec, agent)));
    }
  }
  for (const IssueSpec& issue : spec.issues) {
    columns_.push_back("outcome:" + issue.id);
    columns_.push_back("dispersion:" + issue.id);
  }
}

std::vector<double> MetricRecorder::record(int tick, const WorldState& state, const TickScratch& scratch) const {
  std::vector<double> row;
  row.reserve(columns_.size());
  row.push_back(tick);
  row.push_back(cooperation_index(scratch));
  bar_ = (state.A + state.A.transpose()) / 2.0;
  magnitude_ = bar_.cwiseAbs();
  row.push_back(balance_of(bar_, magnitude_));
  const std::vector<int> blocs = bloc_ids(state.A, state.params.bloc_threshold);
  row.push_back(count_distinct(blocs));
  append_dyads(row, state, scratch);
  append_agents(row, blocs);
  append_regions(row, state);
  append_issues(row, state);
  return row;
}

void MetricRecorder::append_dyads(std::vector<double>& row, const WorldState& state,
                                  const TickScratch& scratch) const {
  for (const auto& [i, j] : spec_.track.dyads) {
    row.push_back(scratch.o(i, j));
    row.push_back((state.A(i, j) + state.A(j, i)) / 2.0);
    row.push_back(alignment(state, i, j));
    row.push_back(safe_ratio(state.e(i, j), state.e.row(i).sum() - state.e(i, i)));
    row.push_back(state.a(i, j));
  }
}

void MetricRecorder::append_agents(std::vector<double>& row, const std::vector<int>& blocs) const {
  if (spec_.track.agents.empty()) return;
  const std::vector<int> camp = camps_of(bar_, spec_.track.agents, &warm_);
  for (AgentIndex agent : spec_.track.agents) {
    row.push_back(blocs[static_cast<std::size_t>(agent)]);
    row.push_back(camp[static_cast<std::size_t>(agent)]);
  }
}

void MetricRecorder::append_regions(std::vector<double>& row, const WorldState& state) const {
  for (int region = 0; region < state.regions(); ++region) {
    const double total = state.S.row(region).sum();
    double hhi = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double share = safe_ratio(state.S(region, agent), total);
      hhi += share * share;
    }
    row.push_back(total);
    row.push_back(hhi);
    for (AgentIndex agent : spec_.track.agents) row.push_back(safe_ratio(state.S(region, agent), total));
  }
}

// MODEL.md section 4, outcome and dispersion: weights chat_i s_ik.
void MetricRecorder::append_issues(std::vector<double>& row, const WorldState& state) const {
  const Vector share = state.capability_share();
  for (int issue = 0; issue < state.issues(); ++issue) {
    double weight_sum = 0;
    double weighted = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double weight = share(agent) * state.s(agent, issue);
      weight_sum += weight;
      weighted += weight * state.x(agent, issue);
    }
    const double mean = safe_ratio(weighted, weight_sum);
    double spread = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double deviation = state.x(agent, issue) - mean;
      spread += share(agent) * state.s(agent, issue) * deviation * deviation;
    }
    row.push_back(mean);
    row.push_back(std::sqrt(safe_ratio(spread, weight_sum)));
  }
}

// MODEL.md section 4, cooperation: formula letters as in the text.
double cooperation_index(const TickScratch& scratch) {
  double numerator = 0;
  double denominator = 0;
  const auto n = scratch.w.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i + 1; j < n; ++j) {
      numerator += scratch.w(i, j) * scratch.o(i, j);
      denominator += scratch.w(i, j);
    }
  }
  return safe_ratio(numerator, denominator);
}

double balance_index(const Matrix& A) {
  const Eigen::MatrixXd bar = (A + A.transpose()) / 2.0;
  return balance_of(bar, bar.cwiseAbs());
}

// The connected components of the "allied" graph with Boost's disjoint sets (the union-find of
// Boost.Graph's incremental components), built without materialising the graph; each bloc is
// then named by its smallest member, the numbering the metric documents.
std::vector<int> bloc_ids(const Matrix& A, double threshold) {
  const auto n = static_cast<int>(A.rows());
  boost::disjoint_sets_with_storage<> sets(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (std::min(A(i, j), A(j, i)) > threshold) sets.union_set(i, j);
    }
  }
  std::vector<int> smallest(static_cast<std::size_t>(n), n);
  for (int agent = 0; agent < n; ++agent) {
    int& bloc = smallest[static_cast<std::size_t>(sets.find_set(agent))];
    bloc = std::min(bloc, agent);
  }
  std::vector<int> ids(static_cast<std::size_t>(n));
  for (int agent = 0; agent < n; ++agent) ids[static_cast<std::size_t>(agent)] = smallest[static_cast<std::size_t>(sets.find_set(agent))];
  return ids;
}

std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by) {
  return camps(A, orient_by, nullptr);
}

std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by, Eigen::VectorXd* warm) {
  return camps_of((A + A.transpose()) / 2.0, orient_by, warm);
}

Eigen::VectorXd leading_eigenvector_exact(const Eigen::MatrixXd& bar) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(bar);
  return solver.eigenvectors().col(bar.cols() - 1);
}

Eigen::VectorXd leading_eigenvector(const Eigen::MatrixXd& bar, Eigen::VectorXd* warm) {
  if (bar.rows() <= 2) return leading_eigenvector_exact(bar);
  if (bar.rows() < kIterativeEigenFrom) {
    if (auto vector = leading_by_inverse_iteration(bar)) return *vector;
    return leading_eigenvector_exact(bar);
  }
  Eigen::VectorXd vector = leading_by_lanczos(bar, warm != nullptr && warm->size() == bar.rows() ? *warm : start_vector(bar.rows()));
  if (warm != nullptr) *warm = vector;
  return vector;
}

// MODEL.md section 4, alignment:I:J.
double alignment(const WorldState& state, AgentIndex i, AgentIndex j) {
  double total = 0;
  for (int k = 0; k < state.issues(); ++k) {
    const double stake = (state.s(i, k) + state.s(j, k)) / 2.0;
    total += stake * (1.0 - std::abs(state.x(i, k) - state.x(j, k)));
  }
  return total;
}

}  // namespace geosim
