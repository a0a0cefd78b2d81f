#include "geosim/metrics.h"

#include <algorithm>
#include <bit>
#include <boost/pending/disjoint_sets.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "geosim/lanes.h"
#include "geosim/parallel.h"
#include "geosim/products.h"
#include "geosim/simd.h"

// The four-lane code is inlined into the AVX2 function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

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

// Small worlds' leading eigenvector (below kIterativeEigenFrom agents) works on the symmetric
// tridiagonal T = Q^T Abar Q of a Householder reduction: T's eigenvalues are Abar's, and its
// eigenvector y for the largest maps back to Abar's as Q y. The reduction is the only O(N^3)
// step; everything on T is O(N) per pass, and Q y and the final check are O(N^2).
struct TridiagonalWork {
  // Abar column by column, then the reflectors' vectors below the subdiagonal; each column
  // followed by kLanePadding padding rows (zero) that lanes running past the last row touch.
  Eigen::VectorXd reduced;
  Eigen::VectorXd coefficients;     // the reflectors' h_k
  Eigen::VectorXd diag;             // T's diagonal
  Eigen::VectorXd sub;              // T's subdiagonal
  Eigen::VectorXd product;          // the reduction's p = h A22 v, then w (padded likewise)
  Eigen::VectorXd scaled_diag;      // Laguerre's a_i s
  Eigen::VectorXd scaled_coupling;  // Laguerre's (e_{i-1} s)^2
  Eigen::VectorXd inverse_pivot;    // 1 / d_i of the LDL^T of shift I - T
  Eigen::VectorXd multiplier;       // l_i of that LDL^T
  Eigen::VectorXd vector;           // the iterate, in T's coordinates, then in Abar's
  Eigen::VectorXd image;            // T y, then Abar v
};

// Kept per thread (nothing in the small path runs parallel work that another record could
// interleave with), so that a record allocates nothing here once the first has sized the
// storage (at most about 330 KB, below kIterativeEigenFrom agents). Every field is written
// before it is read: the result does not depend on what an earlier record left.
TridiagonalWork& tridiagonal_work() {
  thread_local TridiagonalWork work;
  return work;
}

// Rows past the end of each column of the reduction's storage (and of its p) that a chunk of
// lanes running past the last row may touch: kChunkLanes lanes of at most four doubles. They
// start at zero and stay zero: a lane adds to them only products with other padding rows.
constexpr Eigen::Index kLanePadding = 16;

// The reduction's lanes: two doubles on every x86-64 processor, four under AVX2. Only
// element-wise operations run in lanes, so the width does not change a bit.
using Lane2 = double __attribute__((vector_size(16)));
using Lane4 = double __attribute__((vector_size(32)));

using lanes::load;
using lanes::store;

// sum_i x_i y_i in a fixed order whatever the lane width: four interleaved partial sums s0..s3
// (s_r over i = r mod 4, up to the last multiple of four), the rest added to s0, then
// (s0 + s1) + (s2 + s3).
template <class Lane>
inline double fixed_dot(const double* x, const double* y, Eigen::Index size) {
  constexpr Eigen::Index kWidth = sizeof(Lane) / sizeof(double);
  constexpr Eigen::Index kCount = 4 / kWidth;
  Lane sums[kCount] = {};
  Eigen::Index i = 0;
  for (; i + 4 <= size; i += 4) {
    for (Eigen::Index lane = 0; lane < kCount; ++lane) {
      sums[lane] += load<Lane>(x + i + lane * kWidth) * load<Lane>(y + i + lane * kWidth);
    }
  }
  double partial[4];
  std::memcpy(partial, sums, sizeof partial);
  for (; i < size; ++i) partial[0] += x[i] * y[i];
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

// p = A (h v) for the size x size block at `block` (leading dimension `stride`): p_i is
// sum_j a_ij (h v_j) over j in order from zero, for kChunkLanes lanes of rows at a time (their
// sums stay in registers across j). The last chunk may run past row size - 1, into the
// columns' padding rows and p's: values that no real row reads.
constexpr int kChunkLanes = 4;
template <class Lane>
inline void multiply_block(const double* block, Eigen::Index stride, Eigen::Index size, double h, const double* v,
                           double* p) {
  constexpr Eigen::Index kWidth = sizeof(Lane) / sizeof(double);
  for (Eigen::Index row = 0; row < size; row += kChunkLanes * kWidth) {
    Lane sums[kChunkLanes] = {};
    for (Eigen::Index j = 0; j < size; ++j) {
      const Lane factor = Lane{} + h * v[j];
      const double* column = block + j * stride + row;
      for (int lane = 0; lane < kChunkLanes; ++lane) sums[lane] += factor * load<Lane>(column + lane * kWidth);
    }
    for (int lane = 0; lane < kChunkLanes; ++lane) store(p + row + lane * kWidth, sums[lane]);
  }
}

// column_i -= v_i w_j + w_i v_j for i < size (one column of the rank-two update), by whole
// lanes: the last may run into the padding rows, which no real row reads.
template <class Lane>
inline void update_column(double* column, const double* v, const double* w, double wj, double vj, Eigen::Index size) {
  constexpr Eigen::Index kWidth = sizeof(Lane) / sizeof(double);
  const Lane w_lane = Lane{} + wj;
  const Lane v_lane = Lane{} + vj;
  for (Eigen::Index i = 0; i < size; i += kWidth) {
    const Lane change = load<Lane>(v + i) * w_lane + load<Lane>(w + i) * v_lane;
    store(column + i, load<Lane>(column + i) - change);
  }
}

// Householder reduction of the symmetric n x n column-major `a` (leading dimension
// `stride` >= n + kLanePadding, full storage) to the tridiagonal (diag, sub): step k reflects
// column k below its subdiagonal entry onto that entry with H_k = I - h_k v v^T,
// v = (1, essential), and applies A22 <- H_k A22 H_k to the trailing block as
// A22 - v w^T - w v^T with p = h_k A22 v and w = p - (h_k / 2) (p.v) v. The essential part of
// v stays in column k below row k + 1 and h_k in coefficients(k), so Q = H_0 H_1 ... H_{n-3}.
// Each update entry is a_ij - (v_i w_j + w_i v_j), the same expression for a_ji, so A22 stays
// exactly symmetric and A22 v is taken down its columns. Every loop is either element-wise or
// a fixed_dot, so the AVX2 build of this body gives the bits of the two-lane one, and no real
// row reads a padding row.
template <class Lane>
inline void reduce_to_tridiagonal_body(double* a, Eigen::Index n, Eigen::Index stride, double* diag, double* sub,
                                       double* coefficients, double* product) {
  for (Eigen::Index k = 0; k + 2 < n; ++k) {
    const Eigen::Index size = n - k - 1;  // the trailing block's order
    double* v = a + k * stride + k + 1;
    diag[k] = a[k * stride + k];
    const double head = v[0];
    const double tail = fixed_dot<Lane>(v + 1, v + 1, size - 1);
    if (tail <= std::numeric_limits<double>::min()) {
      // Already reduced: no reflection (h = 0, essential part as it is: zero).
      sub[k] = head;
      coefficients[k] = 0;
      continue;
    }
    double beta = std::sqrt(head * head + tail);
    if (head >= 0) beta = -beta;
    const double scale = 1 / (head - beta);
    for (Eigen::Index i = 1; i < size; ++i) v[i] *= scale;
    const double h = (beta - head) / beta;
    sub[k] = beta;
    coefficients[k] = h;
    v[0] = 1;
    double* block = a + (k + 1) * stride + k + 1;
    double* w = product;
    multiply_block<Lane>(block, stride, size, h, v, w);
    const double along = -0.5 * h * fixed_dot<Lane>(w, v, size);
    for (Eigen::Index i = 0; i < size; ++i) w[i] += along * v[i];
    for (Eigen::Index j = 0; j < size; ++j) update_column<Lane>(block + j * stride, v, w, w[j], v[j], size);
  }
  diag[n - 2] = a[(n - 2) * stride + n - 2];
  sub[n - 2] = a[(n - 2) * stride + n - 1];
  diag[n - 1] = a[(n - 1) * stride + n - 1];
}

void reduce_to_tridiagonal_baseline(double* a, Eigen::Index n, Eigen::Index stride, double* diag, double* sub,
                                    double* coefficients, double* product) {
  reduce_to_tridiagonal_body<Lane2>(a, n, stride, diag, sub, coefficients, product);
}

GEOSIM_AVX2 [[gnu::flatten]] void reduce_to_tridiagonal_avx2(double* a, Eigen::Index n, Eigen::Index stride,
                                                             double* diag, double* sub, double* coefficients,
                                                             double* product) {
  reduce_to_tridiagonal_body<Lane4>(a, n, stride, diag, sub, coefficients, product);
}

// The reduction's storage: n x n, column by column with reduced_stride(n) between columns.
Eigen::Index reduced_stride(Eigen::Index n) { return n + kLanePadding; }
using ReducedMap = Eigen::Map<Eigen::MatrixXd, 0, Eigen::OuterStride<>>;

// The reduction of `bar` into work (n >= 3): reduced, coefficients, diag, sub.
void reduce_to_tridiagonal(const Eigen::MatrixXd& bar, TridiagonalWork& work) {
  const Eigen::Index n = bar.rows();
  const Eigen::Index stride = reduced_stride(n);
  work.reduced.resize(n * stride);
  for (Eigen::Index column = 0; column < n; ++column) {
    double* to = work.reduced.data() + column * stride;
    std::memcpy(to, bar.col(column).data(), sizeof(double) * static_cast<std::size_t>(n));
    std::fill(to + n, to + stride, 0.0);
  }
  work.coefficients.resize(n - 2);
  work.diag.resize(n);
  work.sub.resize(n - 1);
  work.product.resize(n + kLanePadding);
  const auto reduce = cpu_has_avx2() ? &reduce_to_tridiagonal_avx2 : &reduce_to_tridiagonal_baseline;
  reduce(work.reduced.data(), n, stride, work.diag.data(), work.sub.data(), work.coefficients.data(),
         work.product.data());
}

// A fixed start with irregular entries in [0.5, 1.5] (fractional parts of multiples of the
// golden ratio), so that it is not orthogonal to the wanted eigenvector; no trigonometry.
void fill_start(Eigen::VectorXd& start) {
  constexpr double kGoldenFraction = 0.6180339887498949;
  for (Eigen::Index row = 0; row < start.size(); ++row) {
    const double multiple = kGoldenFraction * static_cast<double>(row + 1);
    start(row) = 0.5 + (multiple - std::floor(multiple));
  }
  start.normalize();
}

// The number of eigenvalues of the tridiagonal (diag, sub) at or above x: the non-positive
// pivots of the LDL^T factorisation of x I - T (Sturm sequence count).
int count_at_or_above(const Eigen::VectorXd& diag, const Eigen::VectorXd& sub, double x) {
  int count = 0;
  double pivot = 1;
  for (Eigen::Index row = 0; row < diag.size(); ++row) {
    pivot = x - diag(row) - (row > 0 ? sub(row - 1) * sub(row - 1) / pivot : 0.0);
    if (pivot == 0) pivot = -1e-300;
    count += pivot < 0;
  }
  return count;
}

// The largest eigenvalue of the tridiagonal (diag, sub) by Laguerre's iteration from `x`, which
// must lie above it. The leading principal minors of x I - T follow the three-term recurrence
//   p_i = (x - a_i) p_{i-1} - e_{i-1}^2 p_{i-2},
// and differentiating it twice gives p_i' and p_i'' alongside, with no division (a multiply and a
// subtract per row on the critical path). For p = p_n = det(x I - T),
// G = p'/p = sum_j 1/(x - lambda_j) and H = G^2 - p''/p = sum_j 1/(x - lambda_j)^2. p has only
// real roots, and from above the largest one Laguerre's step never passes it (the new x is
// still an upper bound) and converges to it cubically when it is simple; x is above every
// eigenvalue exactly when every minor is positive. The recurrence runs on T scaled by a power of
// two (exact) to a spectral bound in [1, 2), so that the minors stay below 4^N, and they are
// scaled up by 2^600 together (which leaves G and H as they are) whenever they fall below 2^-600.
// Stops after a step below `resolution`, after 40 steps, or when x meets the eigenvalue to
// rounding (a minor <= 0, which exact arithmetic would not give). The caller checks the outcome
// (the gap count, the shifted factorisation and the residual), so an inaccurate value only
// costs the fast path. `scaled_diag` and `scaled_coupling` (a_i s and (e_{i-1} s)^2, with 0 in
// row 0) are work storage.
double largest_by_laguerre(const Eigen::VectorXd& diag, const Eigen::VectorXd& sub, double bound, double x,
                           double resolution, Eigen::VectorXd& scaled_diag, Eigen::VectorXd& scaled_coupling) {
  const Eigen::Index n = diag.size();
  const double scale = std::ldexp(1.0, -std::ilogb(bound));
  scaled_diag.resize(n);
  scaled_coupling.resize(n);
  for (Eigen::Index row = 0; row < n; ++row) {
    scaled_diag(row) = diag(row) * scale;
    const double coupling = row > 0 ? sub(row - 1) * scale : 0.0;
    scaled_coupling(row) = coupling * coupling;
  }
  const double* a = scaled_diag.data();
  const double* c = scaled_coupling.data();
  const double tiny = std::ldexp(1.0, -600);
  const double huge = std::ldexp(1.0, 600);
  const auto degree = static_cast<double>(n);
  x *= scale;
  resolution *= scale;
  for (int step = 0; step < 40; ++step) {
    // The minors of orders i - 1 and i - 2 and their derivatives (order 0: 1, order -1: 0).
    double p = 1, p_before = 0, q = 0, q_before = 0, r = 0, r_before = 0;
    for (Eigen::Index row = 0; row < n; ++row) {
      const double d = x - a[row];
      const double p_next = d * p - c[row] * p_before;
      const double q_next = d * q - (c[row] * q_before - p);
      const double r_next = d * r - (c[row] * r_before - 2 * q);
      p_before = p;
      p = p_next;
      q_before = q;
      q = q_next;
      r_before = r;
      r = r_next;
      if (!(p > 0)) return x / scale;
      if (p < tiny) {
        p *= huge;
        p_before *= huge;
        q *= huge;
        q_before *= huge;
        r *= huge;
        r_before *= huge;
      }
    }
    const double first = q / p;                     // G
    const double second = first * first - r / p;  // H
    const double step_size = degree / (first + std::sqrt(std::max(0.0, (degree - 1) * (degree * second - first * first))));
    if (!(step_size > 0) || !std::isfinite(step_size)) return x / scale;
    x -= step_size;
    if (step_size <= resolution) return x / scale;
  }
  return x / scale;
}

// Dense small worlds: the tridiagonal reduction, T's largest eigenvalue lambda by Laguerre's
// iteration, then at most 6 steps of inverse iteration on T with a shift just above it (an O(N)
// LDL^T solve per step), mapped back by Q, into `leading`. Returns false, so that the caller
// takes the full solver, unless both checks hold:
// - the largest eigenvalue is isolated: T has exactly one eigenvalue at or above the gap point
//   lambda - 1e-6 bound (a Sturm count; bound: Gershgorin's bound on T's spectrum). Otherwise it
//   is (nearly) repeated, and "the" eigenvector is the full solver's choice;
// - the result v passes a check on Abar itself, whatever happened on T: with theta = v.Abar v,
//   the residual |Abar v - theta v| is at most 1e-13 bound and theta minus that residual is
//   above the gap point (so the eigenvalue v belongs to is the isolated largest one).
// v is then within 1e-13 / 1e-6 of the true unit eigenvector, entry by entry, up to sign.
bool leading_by_inverse_iteration(const Eigen::MatrixXd& bar, Eigen::VectorXd& leading) {
  const Eigen::Index n = bar.rows();
  TridiagonalWork& work = tridiagonal_work();
  reduce_to_tridiagonal(bar, work);
  const Eigen::VectorXd& diag = work.diag;
  const Eigen::VectorXd& sub = work.sub;
  double bound = 0;
  double top = -std::numeric_limits<double>::infinity();  // Gershgorin's upper end
  for (Eigen::Index row = 0; row < n; ++row) {
    const double radius = (row > 0 ? std::abs(sub(row - 1)) : 0.0) + (row + 1 < n ? std::abs(sub(row)) : 0.0);
    bound = std::max(bound, std::abs(diag(row)) + radius);
    top = std::max(top, diag(row) + radius);
  }
  if (!(bound > 0)) return false;
  const double largest = largest_by_laguerre(diag, sub, bound, top + 1e-3 * bound, 1e-9 * bound, work.scaled_diag,
                                             work.scaled_coupling);
  const double gap_point = largest - 1e-6 * bound;
  if (count_at_or_above(diag, sub, gap_point) != 1) return false;
  // Shifting just past the eigenvalue makes shift I - T positive definite (so its LDL^T needs no
  // pivoting) and each step shrinks the other components by at least 1e-10 / 1e-6.
  const double shift = largest + 1e-10 * bound;
  work.inverse_pivot.resize(n);
  work.multiplier.resize(n - 1);
  double pivot = shift - diag(0);
  for (Eigen::Index row = 0;; ++row) {
    if (!(pivot > 0)) return false;  // the shift is not above the spectrum after all
    work.inverse_pivot(row) = 1 / pivot;
    if (row + 1 == n) break;
    work.multiplier(row) = -sub(row) * work.inverse_pivot(row);
    pivot = shift - diag(row + 1) - sub(row) * sub(row) * work.inverse_pivot(row);
  }
  Eigen::VectorXd& vector = work.vector;
  Eigen::VectorXd& image = work.image;
  vector.resize(n);
  image.resize(n);
  fill_start(vector);
  for (int step = 0; step < 6; ++step) {
    // (shift I - T) z = y: L w = y forwards, then D L^T z = w backwards.
    for (Eigen::Index row = 1; row < n; ++row) vector(row) -= work.multiplier(row - 1) * vector(row - 1);
    vector(n - 1) *= work.inverse_pivot(n - 1);
    for (Eigen::Index row = n - 2; row >= 0; --row) {
      vector(row) = vector(row) * work.inverse_pivot(row) - work.multiplier(row) * vector(row + 1);
    }
    vector.normalize();
    // T's own residual, O(N): stop once it is well below the tolerance checked on Abar.
    for (Eigen::Index row = 0; row < n; ++row) {
      image(row) = diag(row) * vector(row) + (row > 0 ? sub(row - 1) * vector(row - 1) : 0.0) +
                   (row + 1 < n ? sub(row) * vector(row + 1) : 0.0);
    }
    if ((image - vector.dot(image) * vector).norm() <= 1e-14 * bound) break;
  }
  // v = Q y = H_0 H_1 ... H_{n-3} y, H_k = I - h_k u_k u_k^T with u_k = (0, ..., 0, 1, the
  // reduced column k below its subdiagonal entry), nonzero from row k + 1.
  const ReducedMap packed(work.reduced.data(), n, n, Eigen::OuterStride<>(reduced_stride(n)));
  const Eigen::VectorXd& coefficients = work.coefficients;
  for (Eigen::Index k = n - 3; k >= 0; --k) {
    const Eigen::Index tail = n - k - 2;
    const double projection =
        coefficients(k) * (vector(k + 1) + packed.col(k).tail(tail).dot(vector.tail(tail)));
    vector(k + 1) -= projection;
    vector.tail(tail) -= projection * packed.col(k).tail(tail);
  }
  image.noalias() = bar * vector;
  const double theta = vector.dot(image);
  const double residual = (image - theta * vector).norm();
  if (!(residual <= 1e-13 * bound && theta - residual > gap_point)) return false;
  leading = vector;
  return true;
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

// leading_eigenvector (below) into `leading`.
void leading_eigenvector_into(const Eigen::MatrixXd& bar, Eigen::VectorXd* warm, Eigen::VectorXd& leading) {
  if (bar.rows() <= 2) {
    leading = leading_eigenvector_exact(bar);
    return;
  }
  if (bar.rows() < kIterativeEigenFrom) {
    if (!leading_by_inverse_iteration(bar, leading)) leading = leading_eigenvector_exact(bar);
    return;
  }
  leading = leading_by_lanczos(bar, warm != nullptr && warm->size() == bar.rows() ? *warm : start_vector(bar.rows()));
  if (warm != nullptr) *warm = leading;
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
// rows of S^2 against the columns up to each row only (the lower triangle): all the block's
// rows for the columns before it, then its own square by strips of kTriadStrip columns from
// the strip's first row down (the few entries above the diagonal inside a strip are computed
// but not read). `buffer` holds rows x (first + rows) doubles.
constexpr Eigen::Index kTriadStrip = 12;
double triad_sum(const Eigen::MatrixXd& S, Eigen::Index first, Eigen::Index rows, double* buffer) {
  const Eigen::Index columns = first + rows;
  // S is symmetric, so its column-major storage is also its row-major storage: rows of S times
  // columns of S, each entry summed in a fixed order whatever the tiling (products.h).
  const auto n = static_cast<std::size_t>(S.rows());
  const auto ldc = static_cast<std::size_t>(columns);
  const auto row_of = [&](Eigen::Index row) { return S.data() + static_cast<std::size_t>(row) * n; };
  if (first > 0) {
    multiply_rows(row_of(first), n, S.data(), n, n, static_cast<std::size_t>(rows), static_cast<std::size_t>(first),
                  buffer, ldc);
  }
  for (Eigen::Index strip = first; strip < columns; strip += kTriadStrip) {
    const Eigen::Index width = std::min(kTriadStrip, columns - strip);
    const auto offset = static_cast<std::size_t>(strip - first);
    multiply_rows(row_of(strip), n, S.data() + strip, n, n, static_cast<std::size_t>(columns - strip),
                  static_cast<std::size_t>(width), buffer + offset * ldc + static_cast<std::size_t>(strip), ldc);
  }
  const Eigen::Map<Matrix> square(buffer, rows, columns);
  return lower_weighted_sum(square, S, first);
}

// A buffer per thread for triad_sum, grown when needed and kept.
double* triad_buffer(std::size_t size) {
  thread_local std::vector<double> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

// Small worlds' triads (n <= kRowBlock, one row block): sum_{i<j<k} S_ij S_jk S_ki of the
// symmetric S and of |S| together, into sums[0] and sums[1]. For each j in increasing order and
// the k > j by groups of four (k = j + 1 + 4 g + r), u_k = sum_{i<j} S_ij S_ik in increasing i,
// then u_k S_jk is added to partial sum r (lanes.h, partial_sum), whatever the lane width. S's
// column i is its row i; lanes past k = n - 1 read the next column's first entries (there is
// one, since i < j <= n - 2) and are set to 0.
template <class Lane> [[gnu::always_inline]] inline void small_triads(const double* S, Eigen::Index n, double* sums) {
  using namespace lanes;
  constexpr int parts = kParts<Lane>;
  Lane signed_partial[parts], absolute_partial[parts];
  for (int part = 0; part < parts; ++part) signed_partial[part] = absolute_partial[part] = splat<Lane>(0.0);
  const Lane index = lanes_of<Lane>([](int lane) { return static_cast<double>(lane); });
  for (Eigen::Index j = 1; j + 1 < n; ++j) {
    const double* row_j = S + j * n;
    for_each_part<Lane>(static_cast<int>(j) + 1, static_cast<int>(n), [&](int part, int k, bool whole) __attribute__((always_inline)) {
      Lane u = splat<Lane>(0.0), u_absolute = splat<Lane>(0.0);
      for (Eigen::Index i = 0; i < j; ++i) {
        const double* row_i = S + i * n;
        const Lane s_ik = load<Lane>(row_i + k);
        u += row_i[j] * s_ik;
        u_absolute += std::abs(row_i[j]) * magnitude(s_ik);
      }
      Lane s_jk = load<Lane>(row_j + k);
      if (!whole) s_jk = select(index + static_cast<double>(k) < static_cast<double>(n), s_jk, Lane{});
      signed_partial[part] += u * s_jk;
      absolute_partial[part] += u_absolute * magnitude(s_jk);
    });
  }
  sums[0] = partial_sum(signed_partial);
  sums[1] = partial_sum(absolute_partial);
}

void small_triads_baseline(const double* S, Eigen::Index n, double* sums) { small_triads<lanes::Doubles2>(S, n, sums); }
GEOSIM_AVX2 [[gnu::flatten]] void small_triads_avx2(const double* S, Eigen::Index n, double* sums) {
  small_triads<lanes::Doubles4>(S, n, sums);
}

// MODEL.md section 4, balance: sum_{i<j<k} Abar_ij Abar_jk Abar_ki over the same for |Abar|.
// Up to kRowBlock agents by small_triads; larger worlds as trace(Abar^3) / 6 and likewise for
// |Abar| (zero diagonal; the 6 cancels in the ratio), per row block, then the blocks' sums added
// in block order. `magnitude` (|Abar|, for the larger worlds) and `sums` (2 per block) are work
// storage.
double balance_of(const Eigen::MatrixXd& bar, Eigen::MatrixXd& magnitude, std::vector<double>& sums) {
  const Eigen::Index n = bar.rows();
  if (n <= kRowBlock) {
    double small[2];
    (cpu_has_avx2() ? &small_triads_avx2 : &small_triads_baseline)(bar.data(), n, small);
    return safe_ratio(small[0], small[1]);
  }
  magnitude = bar.cwiseAbs();
  const auto blocks = static_cast<std::size_t>((n + kRowBlock - 1) / kRowBlock);
  sums.resize(2 * blocks);
  double* signed_sums = sums.data();
  double* absolute_sums = sums.data() + blocks;
  for_each_row_block(static_cast<int>(n), [&](int block, Eigen::Index first, Eigen::Index rows) {
    double* buffer = triad_buffer(static_cast<std::size_t>(rows * (first + rows)));
    signed_sums[block] = triad_sum(bar, first, rows, buffer);
    absolute_sums[block] = triad_sum(magnitude, first, rows, buffer);
  });
  double signed_sum = 0;
  double absolute_sum = 0;
  for (std::size_t block = 0; block < blocks; ++block) {
    signed_sum += signed_sums[block];
    absolute_sum += absolute_sums[block];
  }
  return safe_ratio(signed_sum, absolute_sum);
}

// The camp signs of Abar into `sign`, with `leading` as storage for its leading eigenvector.
void camps_of(const Eigen::MatrixXd& bar, const std::vector<AgentIndex>& orient_by, Eigen::VectorXd* warm,
              Eigen::VectorXd& leading, std::vector<int>& sign) {
  leading_eigenvector_into(bar, warm, leading);
  // Entries this small relative to a unit vector are round-off, not a side.
  constexpr double kZero = 1e-9;
  sign.resize(static_cast<std::size_t>(leading.size()));
  for (Eigen::Index agent = 0; agent < leading.size(); ++agent) {
    sign[static_cast<std::size_t>(agent)] = leading(agent) > kZero ? 1 : (leading(agent) < -kZero ? -1 : 0);
  }
  // The first of orient_by, then of all agents, with a side decides the orientation.
  const auto first_side = [&]() {
    for (AgentIndex agent : orient_by) {
      if (sign[static_cast<std::size_t>(agent)] != 0) return sign[static_cast<std::size_t>(agent)];
    }
    for (int value : sign) {
      if (value != 0) return value;
    }
    return 1;
  };
  if (first_side() < 0) {
    for (int& value : sign) value = -value;
  }
}

// Each agent's neighbours in the bloc graph (min(A_ij, A_ji) > threshold, j != i) as a bit mask,
// for n <= 64: the tests of a row in lanes.
template <class Lane> [[gnu::always_inline]] inline void neighbour_masks(const Matrix& A, double threshold, std::uint64_t* masks) {
  using namespace lanes;
  constexpr int width = kWidth<Lane>;
  const int n = static_cast<int>(A.rows());
  for (int i = 0; i < n; ++i) {
    const double* row = A.row(i).data();
    std::uint64_t mask = 0;
    for (int j = 0; j < n; j += width) {
      const int count = std::min(width, n - j);
      const Lane a_ij = count == width ? load<Lane>(row + j) : lanes_of<Lane>([&](int lane) { return lane < count ? row[j + lane] : 0.0; });
      const Lane a_ji = lanes_of<Lane>([&](int lane) { return lane < count ? A(j + lane, i) : 0.0; });
      const std::uint64_t bits = lane_bits((a_ij > threshold) & (a_ji > threshold));
      mask |= (bits & ((std::uint64_t{1} << count) - 1)) << j;
    }
    masks[i] = mask & ~(std::uint64_t{1} << i);
  }
}

void neighbour_masks_baseline(const Matrix& A, double threshold, std::uint64_t* masks) {
  neighbour_masks<lanes::Doubles2>(A, threshold, masks);
}
GEOSIM_AVX2 [[gnu::flatten]] void neighbour_masks_avx2(const Matrix& A, double threshold, std::uint64_t* masks) {
  neighbour_masks<lanes::Doubles4>(A, threshold, masks);
}

// Small worlds' bloc ids (n <= 64): from the lowest agent not yet in a bloc, its component by
// closure of the neighbour masks; every member is named by that agent, the smallest.
void small_bloc_ids(const Matrix& A, double threshold, std::vector<int>& ids) {
  const int n = static_cast<int>(A.rows());
  std::uint64_t masks[64];
  (cpu_has_avx2() ? &neighbour_masks_avx2 : &neighbour_masks_baseline)(A, threshold, masks);
  std::uint64_t outside = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  while (outside != 0) {
    const int first = std::countr_zero(outside);
    std::uint64_t bloc = std::uint64_t{1} << first;
    for (std::uint64_t frontier = bloc; frontier != 0;) {
      std::uint64_t reached = 0;
      for (; frontier != 0; frontier &= frontier - 1) reached |= masks[std::countr_zero(frontier)];
      frontier = reached & ~bloc;
      bloc |= frontier;
    }
    outside &= ~bloc;
    for (; bloc != 0; bloc &= bloc - 1) ids[static_cast<std::size_t>(std::countr_zero(bloc))] = first;
  }
}

// Bloc ids (the smallest member of each component of the graph min(A_ij, A_ji) > threshold)
// into `ids`: up to 64 agents by small_bloc_ids, larger worlds with Boost's disjoint sets (the
// union-find of Boost.Graph's incremental components) over `work` (2 N ints: ranks, then
// parents), built without materialising the graph: a record allocates nothing here once the
// storage has its size.
void bloc_ids_into(const Matrix& A, double threshold, std::vector<int>& ids, std::vector<int>& work) {
  const auto n = static_cast<int>(A.rows());
  const auto size = static_cast<std::size_t>(n);
  ids.resize(size);
  if (n <= 64) {
    small_bloc_ids(A, threshold, ids);
    return;
  }
  work.resize(2 * size);
  boost::disjoint_sets<int*, int*> sets(work.data(), work.data() + size);
  for (int agent = 0; agent < n; ++agent) sets.make_set(agent);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (std::min(A(i, j), A(j, i)) > threshold) sets.union_set(i, j);
    }
  }
  // Each set named by its smallest member: ids[root] collects it, then every member reads it.
  std::fill(ids.begin(), ids.end(), n);
  for (int agent = 0; agent < n; ++agent) {
    int& bloc = ids[static_cast<std::size_t>(sets.find_set(agent))];
    bloc = std::min(bloc, agent);
  }
  // Every member's id from its root's entry, into the ranks' storage (find_set reads only the
  // parents), then back into `ids`.
  int* named = work.data();
  for (int agent = 0; agent < n; ++agent) named[agent] = ids[static_cast<std::size_t>(sets.find_set(agent))];
  std::copy(named, named + n, ids.begin());
}

int count_distinct(const std::vector<int>& ids) {
  int count = 0;
  for (std::size_t agent = 0; agent < ids.size(); ++agent) count += ids[agent] == static_cast<int>(agent);
  return count;
}

// sum_{i<j} w_ij o_ij and sum_{i<j} w_ij into sums[0] and sums[1]: row i's pairs by groups of
// four from j = i + 1, the pair j = i + 1 + 4 g + r added to partial sum r (lanes.h,
// partial_sum) in increasing i and g; lanes past the row's end hold 0.
template <class Lane> [[gnu::always_inline]] inline void cooperation_sums(const TickScratch& scratch, double* sums) {
  using namespace lanes;
  constexpr int parts = kParts<Lane>;
  const int n = static_cast<int>(scratch.w.rows());
  Lane weighted[parts], weights[parts];
  for (int part = 0; part < parts; ++part) weighted[part] = weights[part] = splat<Lane>(0.0);
  for (int i = 0; i + 1 < n; ++i) {
    const double* w = scratch.w.row(i).data();
    const double* o = scratch.o.row(i).data();
    for_each_part<Lane>(i + 1, n, [&](int part, int j, bool whole) __attribute__((always_inline)) {
      const Lane w_ij = row_lane<Lane>(w, j, n, whole);
      weighted[part] += w_ij * row_lane<Lane>(o, j, n, whole);
      weights[part] += w_ij;
    });
  }
  sums[0] = partial_sum(weighted);
  sums[1] = partial_sum(weights);
}

void cooperation_sums_baseline(const TickScratch& scratch, double* sums) { cooperation_sums<lanes::Doubles2>(scratch, sums); }
GEOSIM_AVX2 [[gnu::flatten]] void cooperation_sums_avx2(const TickScratch& scratch, double* sums) {
  cooperation_sums<lanes::Doubles4>(scratch, sums);
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
  row.push_back(balance_of(bar_, magnitude_, block_sums_));
  bloc_ids_into(state.A, state.params.bloc_threshold, blocs_, bloc_work_);
  row.push_back(count_distinct(blocs_));
  append_dyads(row, state, scratch);
  append_agents(row);
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

void MetricRecorder::append_agents(std::vector<double>& row) const {
  if (spec_.track.agents.empty()) return;
  camps_of(bar_, spec_.track.agents, &warm_, leading_, camp_);
  for (AgentIndex agent : spec_.track.agents) {
    row.push_back(blocs_[static_cast<std::size_t>(agent)]);
    row.push_back(camp_[static_cast<std::size_t>(agent)]);
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
  share_ = state.c / state.c.sum();  // state.capability_share(), into reused storage
  const Vector& share = share_;
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

// MODEL.md section 4, cooperation: formula letters as in the text (cooperation_sums).
double cooperation_index(const TickScratch& scratch) {
  double sums[2];
  (cpu_has_avx2() ? &cooperation_sums_avx2 : &cooperation_sums_baseline)(scratch, sums);
  return safe_ratio(sums[0], sums[1]);
}

double balance_index(const Matrix& A) {
  const Eigen::MatrixXd bar = (A + A.transpose()) / 2.0;
  Eigen::MatrixXd magnitude;
  std::vector<double> sums;
  return balance_of(bar, magnitude, sums);
}

std::vector<int> bloc_ids(const Matrix& A, double threshold) {
  std::vector<int> ids, work;
  bloc_ids_into(A, threshold, ids, work);
  return ids;
}

std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by) {
  return camps(A, orient_by, nullptr);
}

std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by, Eigen::VectorXd* warm) {
  Eigen::VectorXd leading;
  std::vector<int> sign;
  camps_of((A + A.transpose()) / 2.0, orient_by, warm, leading, sign);
  return sign;
}

Eigen::VectorXd leading_eigenvector_exact(const Eigen::MatrixXd& bar) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(bar);
  return solver.eigenvectors().col(bar.cols() - 1);
}

Eigen::VectorXd leading_eigenvector(const Eigen::MatrixXd& bar, Eigen::VectorXd* warm) {
  Eigen::VectorXd leading;
  leading_eigenvector_into(bar, warm, leading);
  return leading;
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
