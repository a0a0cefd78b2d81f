// The vector paths built as processors other than x86-64 build them (GEOSIM_PORTABLE_LANES: no
// AVX2 attribute, no x86 intrinsics, no dispatch): this executable compiles the logistic, Philox's
// lanes and the products from their sources that way, and checks every lane width against the
// scalar code to the bit.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "geosim/logistic.h"
#include "geosim/products.h"
#include "geosim/rng.h"
#include "geosim/simd.h"
#include "support/philox_check.h"

// Four-lane vectors in a file compiled without AVX: GCC notes that their calling convention
// differs from AVX code's, which does not matter inside one file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace geosim {
namespace {

static_assert(GEOSIM_X86_DISPATCH == 0, "this test must be built with GEOSIM_PORTABLE_LANES");

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(PortableLanes, NeverChooseTheAvx2Paths) { EXPECT_FALSE(cpu_has_avx2()); }

TEST(PortableLanes, LogisticBlocksEqualTheScalarLogistic) {
  std::vector<double> z;
  for (int step = 0; step <= 4000; ++step) z.push_back(-800.0 + 0.4 * step);
  for (auto block : {&logistic_detail::block_baseline, &logistic_detail::block_avx2, &logistic_block}) {
    std::vector<double> out(z.size());
    block(z.data(), out.data(), z.size());
    for (std::size_t index = 0; index < z.size(); ++index) ASSERT_TRUE(same_bits(out[index], logistic(z[index]))) << z[index];
  }
}

TEST(PortableLanes, PhiloxLanesEqualUniform2) {
  test::expect_split_rounds_equal_uniform2<double>();
  test::expect_split_rounds_equal_uniform2<logistic_detail::Doubles2>();
  test::expect_split_rounds_equal_uniform2<logistic_detail::Doubles4>();
}

TEST(PortableLanes, ProductsEqualTheTextbookLoop) {
  for (auto kernel : {&products_detail::kernel_baseline, &products_detail::kernel_avx2}) {
    for (std::size_t rows : {1, 5, 9}) {
      for (std::size_t cols : {1, 4, 9, 23}) {
        for (std::size_t depth : {1, 7, 33}) {
          std::vector<double> a(rows * depth), b(depth * cols), c(rows * cols);
          for (std::size_t index = 0; index < a.size(); ++index) a[index] = 0.37 * double(index % 11) - 1.1;
          for (std::size_t index = 0; index < b.size(); ++index) b[index] = 0.23 * double(index % 13) - 1.3;
          kernel(a.data(), depth, b.data(), cols, depth, rows, cols, c.data(), cols);
          for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t col = 0; col < cols; ++col) {
              double sum = 0;
              for (std::size_t m = 0; m < depth; ++m) sum = sum + a[r * depth + m] * b[m * cols + col];
              ASSERT_TRUE(same_bits(c[r * cols + col], sum)) << rows << " x " << depth << " x " << cols;
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace geosim
