#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "geosim/rng.h"
#include "support/philox_check.h"

namespace geosim {
namespace {

// Known-answer vectors of Philox4x32-10 published with Random123 (kat_vectors).
TEST(Rng, MatchesPhiloxKnownAnswerForZeroKeyAndCounter) {
  const auto block = Rng(0).block(0, static_cast<Stream>(0), 0, 0, 0);
  EXPECT_EQ(block, (std::array<std::uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
}

TEST(Rng, MatchesPhiloxKnownAnswerForPiDigits) {
  // Counter words (0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), key (0xa4093822, 0x299f31d0).
  const Rng rng(0x299f31d0a4093822ULL);
  const auto block = rng.block(0x243f6a88, static_cast<Stream>(0x85), 0xa308d3, 0x13198a2e, 0x03707344);
  EXPECT_EQ(block, (std::array<std::uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Rng, KeysDifferForEverySeedDesignPointAndReplicate) {
  std::set<std::uint64_t> keys;
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    for (std::uint64_t point = 0; point < 4; ++point) {
      for (std::uint64_t replicate = 0; replicate < 4; ++replicate) keys.insert(Rng::key_for(seed, point, replicate));
    }
  }
  EXPECT_EQ(keys.size(), 64u);
  // Hashing, not adding: swapping design point and replicate gives another key.
  EXPECT_NE(Rng::key_for(1, 2, 3), Rng::key_for(1, 3, 2));
}

TEST(Rng, SameCounterGivesSameDrawsAndUniformsLieInUnitInterval) {
  const Rng rng(Rng::key_for(42, 0, 0));
  EXPECT_EQ(rng.uniform2(3, Stream::kCooperation, 1, 2, 3), rng.uniform2(3, Stream::kCooperation, 1, 2, 3));
  EXPECT_NE(rng.uniform2(3, Stream::kCooperation, 1, 2, 3), rng.uniform2(3, Stream::kHazard, 1, 2, 3));
  double sum = 0;
  constexpr int kDraws = 20000;
  for (std::uint32_t i = 0; i < kDraws / 2; ++i) {
    for (double u : rng.uniform2(0, Stream::kCooperation, 0, i, 0)) {
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      sum += u;
    }
  }
  // The mean of 20000 uniforms has sd sqrt(1/12/20000) = 0.002; 5 sd is 0.01.
  EXPECT_NEAR(sum / kDraws, 0.5, 0.01);
}

// Philox's split rounds (P3's draws) at one and two lanes; the four-lane form is P3's, tested
// against the serial reference in fast_path_test.cpp, and in portable_lanes_test.cpp.
TEST(Rng, SplitRoundsEqualUniform2ToTheBit) {
  test::expect_split_rounds_equal_uniform2<double>();
  test::expect_split_rounds_equal_uniform2<logistic_detail::Doubles2>();
}

}  // namespace
}  // namespace geosim
