#include "geosim/products.h"

#include <cstring>
#include <vector>

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

/// c[r, col] = sum_m a[r, m] b[m, col] for r < rows, col < cols, m < depth in order. Tiles of
/// kRows rows by two lanes of columns; each tile's columns of b are first copied to a
/// contiguous panel (sequential reads in the inner loop); every entry has its own accumulator,
/// added to in the order of m. The columns past the last whole tile are summed one by one, in
/// the same order.
template <class Lane>
inline void multiply(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                     std::size_t rows, std::size_t cols, double* c, std::size_t ldc) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  constexpr std::size_t kColumns = 2 * kWidth;
  constexpr std::size_t kRows = 4;
  thread_local std::vector<double> panel;  // grows to the largest depth seen, then stays
  if (panel.size() < depth * kColumns) panel.resize(depth * kColumns);
  double* const packed = panel.data();
  std::size_t col = 0;
  for (; col + kColumns <= cols; col += kColumns) {
    for (std::size_t m = 0; m < depth; ++m) std::memcpy(packed + m * kColumns, b + m * ldb + col, sizeof(double) * kColumns);
    std::size_t r = 0;
    for (; r + kRows <= rows; r += kRows) {
      Lane sum[kRows][2] = {};
      const double* row = a + r * lda;
      for (std::size_t m = 0; m < depth; ++m) {
        const Lane left = load<Lane>(packed + m * kColumns);
        const Lane right = load<Lane>(packed + m * kColumns + kWidth);
        for (std::size_t i = 0; i < kRows; ++i) {
          const Lane factor = Lane{} + row[i * lda + m];
          sum[i][0] = sum[i][0] + factor * left;
          sum[i][1] = sum[i][1] + factor * right;
        }
      }
      for (std::size_t i = 0; i < kRows; ++i) {
        store(c + (r + i) * ldc + col, sum[i][0]);
        store(c + (r + i) * ldc + col + kWidth, sum[i][1]);
      }
    }
    for (; r < rows; ++r) {
      Lane left{}, right{};
      for (std::size_t m = 0; m < depth; ++m) {
        const Lane factor = Lane{} + a[r * lda + m];
        left = left + factor * load<Lane>(packed + m * kColumns);
        right = right + factor * load<Lane>(packed + m * kColumns + kWidth);
      }
      store(c + r * ldc + col, left);
      store(c + r * ldc + col + kWidth, right);
    }
  }
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
[[gnu::target("avx2"), gnu::flatten]] void kernel_avx2(const double* a, std::size_t lda, const double* b,
                                                       std::size_t ldb, std::size_t depth, std::size_t rows,
                                                       std::size_t cols, double* c, std::size_t ldc) {
  multiply<Doubles4>(a, lda, b, ldb, depth, rows, cols, c, ldc);
}

bool has_avx2() {
  static const bool supported = __builtin_cpu_supports("avx2");
  return supported;
}

}  // namespace products_detail

void multiply_rows(const Matrix& A, const Matrix& B, int row_begin, int row_end, int cols, Matrix& C, bool shifted) {
  if (row_end <= row_begin || cols <= 0) return;
  const auto depth = static_cast<std::size_t>(A.cols());
  const auto lda = static_cast<std::size_t>(A.cols());
  const auto ldb = static_cast<std::size_t>(B.cols());
  const auto ldc = static_cast<std::size_t>(C.cols());
  const double* a = A.data() + static_cast<std::size_t>(row_begin) * lda;
  double* c = C.data() + static_cast<std::size_t>(shifted ? 0 : row_begin) * ldc;
  const auto rows = static_cast<std::size_t>(row_end - row_begin);
  const products_detail::Kernel kernel =
      products_detail::has_avx2() ? &products_detail::kernel_avx2 : &products_detail::kernel_baseline;
  kernel(a, lda, B.data(), ldb, depth, rows, static_cast<std::size_t>(cols), c, ldc);
}

}  // namespace geosim
