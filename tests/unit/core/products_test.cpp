// The fixed-order products (geosim/products.h) against the textbook loop, to the bit.
#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <cstring>
#include <vector>

#include "geosim/products.h"
#include "geosim/rng.h"
#include "geosim/simd.h"
#include "support/bits.h"

namespace geosim {
namespace {

using test::same_bits;

Matrix random_matrix(int rows, int cols, std::uint32_t salt) {
  const Rng rng(Rng::key_for(17, salt, 0));
  Matrix m(rows, cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      m(r, c) = 2 * rng.uniform2(0, Stream::kDesign, 0, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c))[0] - 1;
    }
  }
  return m;
}

// c = 0; for m: c = c + a b, as MODEL.md's sums are written.
Matrix textbook_product(const Matrix& A, const Matrix& B) {
  Matrix C(A.rows(), B.cols());
  for (Eigen::Index r = 0; r < A.rows(); ++r) {
    for (Eigen::Index c = 0; c < B.cols(); ++c) {
      double sum = 0;
      for (Eigen::Index m = 0; m < A.cols(); ++m) sum = sum + A(r, m) * B(m, c);
      C(r, c) = sum;
    }
  }
  return C;
}

void expect_kernel_equals_textbook(products_detail::Kernel kernel, const char* name) {
  for (int rows : {1, 3, 4, 5, 9, 17}) {
    for (int cols : {1, 2, 4, 7, 8, 9, 16, 23}) {
      // Depths past 256 take the terms in several blocks (partial sums kept in c between them).
      for (int depth : {0, 1, 2, 5, 33, 256, 257, 600}) {
        const Matrix A = random_matrix(rows, depth, 1);
        const Matrix B = random_matrix(depth, cols, 2);
        Matrix C = Matrix::Constant(rows, cols, -7);
        kernel(A.data(), static_cast<std::size_t>(depth), B.data(), static_cast<std::size_t>(cols),
               static_cast<std::size_t>(depth), static_cast<std::size_t>(rows), static_cast<std::size_t>(cols), C.data(),
               static_cast<std::size_t>(cols));
        ASSERT_TRUE(same_bits(C, textbook_product(A, B))) << name << ": " << rows << " x " << depth << " x " << cols;
      }
    }
  }
}

TEST(Products, EveryShapeEqualsTheTextbookLoopToTheBit) {
  expect_kernel_equals_textbook(&products_detail::kernel_baseline, "two lanes");
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 here: the four-lane kernel is not run";
  expect_kernel_equals_textbook(&products_detail::kernel_avx2, "four lanes");
}

TEST(Products, RowBlocksInParallelGiveTheWholeProduct) {
  const Matrix A = random_matrix(150, 150, 3);
  const Matrix whole = textbook_product(A, A);
  Matrix blocks = Matrix::Zero(150, 150);
  tbb::parallel_for(0, 150 / 16 + 1, [&](int block) {
    multiply_rows(A, A, 16 * block, std::min(150, 16 * block + 16), 150, blocks);
  });
  EXPECT_TRUE(same_bits(blocks, whole));
}

TEST(Products, ShiftedBlockAndLeadingColumnsOnly) {
  const Matrix A = random_matrix(30, 30, 4);
  const Matrix whole = textbook_product(A, A);
  Matrix block = Matrix::Constant(7, 30, -7);
  multiply_rows(A, A, 10, 17, 12, block, /*shifted=*/true);
  EXPECT_TRUE(same_bits(block.leftCols(12), whole.block(10, 0, 7, 12)));
  EXPECT_TRUE((block.rightCols(18).array() == -7).all()) << "wrote past the columns asked for";
}

}  // namespace
}  // namespace geosim
