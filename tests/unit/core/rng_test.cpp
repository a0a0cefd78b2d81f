#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "geosim/philox_lanes.h"
#include "geosim/rng.h"
#include "geosim/simd.h"

namespace geosim {
namespace {

using logistic_detail::Doubles2;

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

using RowFunction = void (*)(std::uint64_t, std::uint32_t, Stream, std::uint32_t, std::uint32_t, std::uint32_t,
                             std::uint32_t, double*);

// Every row length and issue count around the lane widths, including counters whose words use
// all 32 bits (the tick, i and j near 2^32, k near 2^24).
void expect_row_equals_uniform2(RowFunction row, const char* name) {
  const Rng rng(Rng::key_for(5, 6, 7));
  const std::uint32_t big = 0xfffffff0u;
  for (std::uint32_t base : {0u, big}) {
    for (std::uint32_t issues = 1; issues <= 9; ++issues) {
      for (std::uint32_t length = 0; length <= 11; ++length) {
        const std::uint32_t tick = base + 3, i = base + 1, j_begin = base + 2;
        std::vector<double> out(2 * length * issues + 1, -1.0);
        row(rng.key(), tick, Stream::kCooperation, i, j_begin, j_begin + length, issues, out.data());
        for (std::uint32_t j = 0; j < length; ++j) {
          for (std::uint32_t k = 0; k < issues; ++k) {
            const auto expected = rng.uniform2(tick, Stream::kCooperation, k, i, j_begin + j);
            const std::size_t at = 2 * (static_cast<std::size_t>(j) * issues + k);
            ASSERT_EQ(out[at], expected[0]) << name << " j " << j << " k " << k << " issues " << issues;
            ASSERT_EQ(out[at + 1], expected[1]) << name << " j " << j << " k " << k << " issues " << issues;
          }
        }
        EXPECT_EQ(out.back(), -1.0) << name << ": wrote past the row";
      }
    }
  }
}

TEST(Rng, RowOfDrawsEqualsUniform2ToTheBit) {
  const Rng rng(Rng::key_for(5, 6, 7));
  auto dispatched = [](std::uint64_t key, std::uint32_t tick, Stream stream, std::uint32_t i, std::uint32_t j_begin,
                       std::uint32_t j_end, std::uint32_t issues, double* out) {
    Rng(key).uniform2_row(tick, stream, i, j_begin, j_end, issues, out);
  };
  expect_row_equals_uniform2(dispatched, "dispatched");
  expect_row_equals_uniform2(&rng_detail::row_baseline, "two lanes");
  if (!cpu_has_avx2()) GTEST_SKIP() << "no AVX2 here: the four-lane row is not run";
  expect_row_equals_uniform2(&rng_detail::row_avx2, "four lanes");
}

// The first three rounds split into a part per c1 and a part per c3 (philox_lanes.h), then the
// other seven: Rng::uniform2's values to the bit, for keys, ticks, agents, issues and partners
// across their ranges (one and two lanes; the four-lane form is P3's, tested in fast_path_test).
TEST(Rng, SplitRoundsEqualUniform2ToTheBit) {
  const std::uint32_t values[] = {0u, 1u, 2u, 7u, 999u, 65535u, 0x7fffffffu, 0xfffffffeu, 0xffffffffu};
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    const Rng rng(seed == 0 ? 0 : Rng::key_for(seed, 3, 1));
    for (std::uint32_t tick : values) {
      for (std::uint32_t i : values) {
        for (std::uint32_t k : {0u, 1u, 4u, 0xffffffu}) {
          const philox::FirstWords issue[1] = {philox::first_words(rng.key(), tick, i, static_cast<std::uint32_t>(philox::stream_word(Stream::kCooperation, k)))};
          for (std::size_t j = 0; j + 1 < std::size(values); ++j) {
            const philox::Words<Doubles2> pair_j{values[j], values[j + 1]};
            double one0[1], one1[1];
            Doubles2 two0[1], two1[1];
            philox::rest_of_rounds<double, 1>(issue, philox::second_words<double>(rng.key(), tick, i, values[j]), rng.key(), one0, one1);
            philox::rest_of_rounds<Doubles2, 1>(issue, philox::second_words<Doubles2>(rng.key(), tick, i, pair_j), rng.key(), two0, two1);
            for (int lane = 0; lane < 2; ++lane) {
              const auto expected = rng.uniform2(tick, Stream::kCooperation, k, i, values[j + static_cast<std::size_t>(lane)]);
              ASSERT_EQ(two0[0][lane], expected[0]) << tick << " " << i << " " << k << " " << values[j];
              ASSERT_EQ(two1[0][lane], expected[1]) << tick << " " << i << " " << k << " " << values[j];
              if (lane == 0) {
                ASSERT_EQ(one0[0], expected[0]);
                ASSERT_EQ(one1[0], expected[1]);
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace geosim
