#include "geosim/products.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "geosim/lanes.h"
#include "geosim/simd.h"

#if GEOSIM_X86_DISPATCH
#include <immintrin.h>
#endif

// The four-lane code is inlined into the AVX2 function only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace products_detail {
namespace {

using Doubles2 = double __attribute__((vector_size(16)));
using Doubles4 = double __attribute__((vector_size(32)));

using lanes::load;
using lanes::store;

/// *v in every lane: a broadcast from memory (`Lane{} + *v` would cost an addition, which the
/// compiler must keep because 0 + -0 is +0, and a vector built from *v costs a shuffle; with AVX2
/// a broadcast load costs neither).
inline Doubles2 splat(const double* v, Doubles2) { return Doubles2{*v, *v}; }
#if GEOSIM_X86_DISPATCH
GEOSIM_AVX2 inline Doubles4 splat(const double* v, Doubles4) { return reinterpret_cast<Doubles4>(_mm256_broadcast_sd(v)); }
#else
inline Doubles4 splat(const double* v, Doubles4) { return Doubles4{*v, *v, *v, *v}; }
#endif

/// Columns [col, col + kLanes kWidth) of c, over the terms m in [m_begin, m_end): tiles of kRows
/// rows, each entry with its own accumulator, which starts from 0 for the first terms and from
/// the entry's partial sum in c after that, and is added to in the order of m (so the terms of
/// an entry are summed in the order m = 0, 1, ... however the terms are split). `packed` holds
/// b's entries of these terms and columns, m-major (pack_block).
template <class Lane, std::size_t kLanes>
inline void column_strip(const double* a, std::size_t lda, std::size_t m_begin, std::size_t m_end, std::size_t rows,
                         std::size_t col, double* c, std::size_t ldc, const double* packed) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  constexpr std::size_t kColumns = kLanes * kWidth;
  constexpr std::size_t kRows = 4;
  const std::size_t depth = m_end - m_begin;
  const bool first = m_begin == 0;
  std::size_t r = 0;
  for (; r + kRows <= rows; r += kRows) {
    Lane sum[kRows][kLanes] = {};
    if (!first) {
      for (std::size_t i = 0; i < kRows; ++i) {
        for (std::size_t lane = 0; lane < kLanes; ++lane) sum[i][lane] = load<Lane>(c + (r + i) * ldc + col + lane * kWidth);
      }
    }
    const double* row = a + r * lda + m_begin;
    for (std::size_t m = 0; m < depth; ++m) {
      Lane right[kLanes];
      for (std::size_t lane = 0; lane < kLanes; ++lane) right[lane] = load<Lane>(packed + m * kColumns + lane * kWidth);
      for (std::size_t i = 0; i < kRows; ++i) {
        const Lane factor = splat(row + i * lda + m, Lane{});
        for (std::size_t lane = 0; lane < kLanes; ++lane) sum[i][lane] = sum[i][lane] + factor * right[lane];
      }
    }
    for (std::size_t i = 0; i < kRows; ++i) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) store(c + (r + i) * ldc + col + lane * kWidth, sum[i][lane]);
    }
  }
  for (; r < rows; ++r) {
    Lane sum[kLanes] = {};
    if (!first) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) sum[lane] = load<Lane>(c + r * ldc + col + lane * kWidth);
    }
    for (std::size_t m = 0; m < depth; ++m) {
      const Lane factor = splat(a + r * lda + m_begin + m, Lane{});
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        sum[lane] = sum[lane] + factor * load<Lane>(packed + m * kColumns + lane * kWidth);
      }
    }
    for (std::size_t lane = 0; lane < kLanes; ++lane) store(c + r * ldc + col + lane * kWidth, sum[lane]);
  }
}

/// b's rows [m_begin, m_end), columns [0, strips), into `panel`, strip after strip, each strip
/// (`columns` wide) m-major: the rows of b are read in order, each once.
inline void pack_block(const double* b, std::size_t ldb, std::size_t m_begin, std::size_t m_end, std::size_t strips,
                       std::size_t columns, double* panel) {
  const std::size_t depth = m_end - m_begin;
  for (std::size_t m = 0; m < depth; ++m) {
    const double* row = b + (m_begin + m) * ldb;
    for (std::size_t strip = 0; strip < strips; ++strip) {
      std::memcpy(panel + strip * depth * columns + m * columns, row + strip * columns, sizeof(double) * columns);
    }
  }
}

/// c[r, col] = sum_m a[r, m] b[m, col] for r < rows, col < cols, m < depth in order: strips of
/// three lanes of columns (12 accumulators: 4 x 12 entries with AVX2), then of one lane, then
/// the last columns one by one, every entry summed in the same order. The terms are taken in
/// blocks of kDepthBlock: the block's rows of b are packed once (pack_block: b's rows read in
/// order), then each strip's panel (kDepthBlock x 12 doubles, 24 KiB) stays in the level-1 cache
/// while the rows of a stream past it; between blocks the partial sums wait in c. (Reading a
/// strip of b's columns directly would touch one cache set per row of a large b.)
template <class Lane>
inline void multiply(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                     std::size_t rows, std::size_t cols, double* c, std::size_t ldc) {
  constexpr std::size_t kWidth = sizeof(Lane) / sizeof(double);
  constexpr std::size_t kWide = 3 * kWidth;  // columns of a wide strip
  constexpr std::size_t kDepthBlock = 256;
  if (depth == 0) {
    for (std::size_t r = 0; r < rows; ++r) std::fill(c + r * ldc, c + r * ldc + cols, 0.0);
    return;
  }
  const std::size_t wide = cols / kWide;  // wide strips, then narrow ones of kWidth columns
  const std::size_t narrow = (cols - wide * kWide) / kWidth;
  const std::size_t packed_columns = wide * kWide + narrow * kWidth;
  thread_local std::vector<double> panel;  // grows to the largest block seen, then stays
  const std::size_t block = std::min(depth, kDepthBlock);
  if (panel.size() < block * packed_columns) panel.resize(block * packed_columns);
  for (std::size_t m = 0; m < depth; m += kDepthBlock) {
    const std::size_t m_end = std::min(depth, m + kDepthBlock);
    const std::size_t terms = m_end - m;
    pack_block(b, ldb, m, m_end, wide, kWide, panel.data());
    pack_block(b + wide * kWide, ldb, m, m_end, narrow, kWidth, panel.data() + wide * kWide * terms);
    for (std::size_t strip = 0; strip < wide; ++strip) {
      column_strip<Lane, 3>(a, lda, m, m_end, rows, strip * kWide, c, ldc, panel.data() + strip * kWide * terms);
    }
    for (std::size_t strip = 0; strip < narrow; ++strip) {
      column_strip<Lane, 1>(a, lda, m, m_end, rows, wide * kWide + strip * kWidth, c, ldc,
                            panel.data() + wide * kWide * terms + strip * kWidth * terms);
    }
  }
  for (std::size_t col = packed_columns; col < cols; ++col) {
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
