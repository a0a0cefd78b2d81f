#include "geosim/products.h"

#include <cstring>
#include <vector>

#include "geosim/simd.h"

// The four-lane code is inlined into the AVX2 function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace products_detail {
namespace {

using Doubles2 = double __attribute__((vector_size(16)));
using Doubles4 = double __attribute__((vector_size(32)));

template <class Lane> inline Lane load(const double* from) {
  Lane lane;
  std::memcpy(&lane, from, sizeof lane);
  return lane;
}
template <class Lane> inline void store(double* to, Lane lane) { std::memcpy(to, &lane, sizeof lane); }

/// Columns [col, col + kLanes kWidth) of c: tiles of kRows rows, each entry with its own
/// accumulator, added to in the order of m. The columns of b are first copied to a contiguous
/// panel (sequential reads in the inner loop).
template <class Lane, std::size_t kLanes>
inline void column_strip(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                         std::size_t rows, std::size_t col, double* c, std::size_t ldc, double* packed) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  constexpr std::size_t kColumns = kLanes * kWidth;
  constexpr std::size_t kRows = 4;
  for (std::size_t m = 0; m < depth; ++m) std::memcpy(packed + m * kColumns, b + m * ldb + col, sizeof(double) * kColumns);
  std::size_t r = 0;
  for (; r + kRows <= rows; r += kRows) {
    Lane sum[kRows][kLanes] = {};
    const double* row = a + r * lda;
    for (std::size_t m = 0; m < depth; ++m) {
      Lane right[kLanes];
      for (std::size_t lane = 0; lane < kLanes; ++lane) right[lane] = load<Lane>(packed + m * kColumns + lane * kWidth);
      for (std::size_t i = 0; i < kRows; ++i) {
        const Lane factor = Lane{} + row[i * lda + m];
        for (std::size_t lane = 0; lane < kLanes; ++lane) sum[i][lane] = sum[i][lane] + factor * right[lane];
      }
    }
    for (std::size_t i = 0; i < kRows; ++i) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) store(c + (r + i) * ldc + col + lane * kWidth, sum[i][lane]);
    }
  }
  for (; r < rows; ++r) {
    Lane sum[kLanes] = {};
    for (std::size_t m = 0; m < depth; ++m) {
      const Lane factor = Lane{} + a[r * lda + m];
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        sum[lane] = sum[lane] + factor * load<Lane>(packed + m * kColumns + lane * kWidth);
      }
    }
    for (std::size_t lane = 0; lane < kLanes; ++lane) store(c + r * ldc + col + lane * kWidth, sum[lane]);
  }
}

/// c[r, col] = sum_m a[r, m] b[m, col] for r < rows, col < cols, m < depth in order: strips of
/// three lanes of columns (12 accumulators: 4 x 12 entries with AVX2), then of one lane, then
/// the last columns one by one, every entry summed in the same order.
template <class Lane>
inline void multiply(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                     std::size_t rows, std::size_t cols, double* c, std::size_t ldc) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  constexpr std::size_t kWide = 3;
  thread_local std::vector<double> panel;  // grows to the largest depth seen, then stays
  if (panel.size() < depth * kWide * kWidth) panel.resize(depth * kWide * kWidth);
  std::size_t col = 0;
  for (; col + kWide * kWidth <= cols; col += kWide * kWidth) {
    column_strip<Lane, kWide>(a, lda, b, ldb, depth, rows, col, c, ldc, panel.data());
  }
  for (; col + kWidth <= cols; col += kWidth) column_strip<Lane, 1>(a, lda, b, ldb, depth, rows, col, c, ldc, panel.data());
  for (; col < cols; ++col) {
    for (std::size_t r = 0; r < rows; ++r) {
      double sum = 0;
      for (std::size_t m = 0; m < depth; ++m) sum = sum + a[r * lda + m] * b[m * ldb + col];
      c[r * ldc + col] = sum;
    }
  }
}

}  // namespace

[[gnu::flatten]] void kernel_baseline(const double* a, std::size_t lda, const double* b, std::size_t ldb,
                                      std::size_t depth, std::size_t rows, std::size_t cols, double* c,
                                      std::size_t ldc) {
  multiply<Doubles2>(a, lda, b, ldb, depth, rows, cols, c, ldc);
}

// The same operations four lanes wide; no "fma" in the target, so no fused multiply-add.
GEOSIM_AVX2 [[gnu::flatten]] void kernel_avx2(const double* a, std::size_t lda, const double* b,
                                                       std::size_t ldb, std::size_t depth, std::size_t rows,
                                                       std::size_t cols, double* c, std::size_t ldc) {
  multiply<Doubles4>(a, lda, b, ldb, depth, rows, cols, c, ldc);
}

}  // namespace products_detail

void multiply_rows(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                   std::size_t rows, std::size_t cols, double* c, std::size_t ldc) {
  const products_detail::Kernel kernel =
      cpu_has_avx2() ? &products_detail::kernel_avx2 : &products_detail::kernel_baseline;
  kernel(a, lda, b, ldb, depth, rows, cols, c, ldc);
}

void multiply_rows(const Matrix& A, const Matrix& B, int row_begin, int row_end, int cols, Matrix& C, bool shifted) {
  if (row_end <= row_begin || cols <= 0) return;
  const auto depth = static_cast<std::size_t>(A.cols());
  const auto lda = static_cast<std::size_t>(A.cols());
  const auto ldb = static_cast<std::size_t>(B.cols());
  const auto ldc = static_cast<std::size_t>(C.cols());
  const double* a = A.data() + static_cast<std::size_t>(row_begin) * lda;
  double* c = C.data() + static_cast<std::size_t>(shifted ? 0 : row_begin) * ldc;
  const auto rows = static_cast<std::size_t>(row_end - row_begin);
  multiply_rows(a, lda, B.data(), ldb, depth, rows, static_cast<std::size_t>(cols), c, ldc);
}

}  // namespace geosim
