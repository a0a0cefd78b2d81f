#pragma once
// Matrix products in a fixed order of summation. Every entry is summed over m = 0, 1, ...,
// depth - 1, left to right from zero, exactly as the textbook loop
//   c = 0; for m: c = c + a(r, m) * b(m, col)
// would, whatever the processor's vector width and whatever the thread count: the products
// of the model (P4's balance term, the balance metric) have the same bits everywhere, and a
// world split into row blocks across threads gives what one thread gives.
#include <cstddef>

#include "geosim/state.h"

namespace geosim {

/// Rows [row_begin, row_end) of A B, columns [0, cols): entry (r, col) is sum_m A(r, m) B(m, col)
/// over m in [0, A.cols()), written to row r of C, or to row r - row_begin when `shifted` (C then
/// holds just the block). Requires A.cols() == B.rows(), cols <= B.cols(), C large enough, and C
/// distinct from A and B.
/// Four lanes at a time where the processor has AVX2 (without fused multiply-add), else two;
/// the bits are the same. Thread-safe for disjoint rows of C.
void multiply_rows(const Matrix& A, const Matrix& B, int row_begin, int row_end, int cols, Matrix& C,
                   bool shifted = false);

/// The same on raw row-major storage (leading dimensions in doubles): c[r, col] = sum over
/// m < depth of a[r, m] b[m, col], for r < rows and col < cols.
void multiply_rows(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                   std::size_t rows, std::size_t cols, double* c, std::size_t ldc);

namespace products_detail {

/// The kernel on raw row-major storage (leading dimensions in doubles), exposed for the tests:
/// the two-lane version (every processor) and the four-lane one (AVX2; chosen only where
/// cpu_has_avx2(), geosim/simd.h).
using Kernel = void (*)(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                        std::size_t rows, std::size_t cols, double* c, std::size_t ldc);
void kernel_baseline(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                     std::size_t rows, std::size_t cols, double* c, std::size_t ldc);
void kernel_avx2(const double* a, std::size_t lda, const double* b, std::size_t ldb, std::size_t depth,
                 std::size_t rows, std::size_t cols, double* c, std::size_t ldc);

}  // namespace products_detail
}  // namespace geosim
