#pragma once
// Philox's split rounds in vector lanes (geosim/philox_lanes.h) against Rng::uniform2 (Random123),
// for one lane width: every word of the counters across its range.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>

#include "geosim/philox_lanes.h"
#include "geosim/rng.h"

namespace geosim::test {

// The first three rounds split into a part per issue and a part per partner, then the other
// seven: Rng::uniform2's values to the bit, for keys, ticks, agents, issues and partners (the
// partners of one call in consecutive lanes, wrapping around the list of values).
template <class Lane> void expect_split_rounds_equal_uniform2() {
  constexpr int kLanes = static_cast<int>(sizeof(Lane) / sizeof(double));
  const std::uint32_t values[] = {0u, 1u, 2u, 7u, 999u, 65535u, 0x7fffffffu, 0xfffffffeu, 0xffffffffu};
  constexpr std::size_t kValues = std::size(values);
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    const Rng rng(seed == 0 ? 0 : Rng::key_for(seed, 3, 1));
    for (std::uint32_t tick : values) {
      for (std::uint32_t i : values) {
        for (std::uint32_t k : {0u, 1u, 4u, 0xffffffu}) {
          const philox::FirstWords issue[1] = {
              philox::first_words(rng.key(), tick, i, static_cast<std::uint32_t>(philox::stream_word(Stream::kCooperation, k)))};
          for (std::size_t j = 0; j < kValues; ++j) {
            philox::Words<Lane> partners{};
            if constexpr (kLanes == 1) {
              partners = values[j];
            } else {
              for (int lane = 0; lane < kLanes; ++lane) partners[lane] = values[(j + static_cast<std::size_t>(lane)) % kValues];
            }
            Lane u0[1], u1[1];
            philox::rest_of_rounds<Lane, 1>(issue, philox::second_words<Lane>(rng.key(), tick, i, partners), rng.key(), u0, u1);
            for (int lane = 0; lane < kLanes; ++lane) {
              const std::uint32_t partner = values[(j + static_cast<std::size_t>(lane)) % kValues];
              const auto expected = rng.uniform2(tick, Stream::kCooperation, k, i, partner);
              double first = 0, second = 0;
              if constexpr (kLanes == 1) {
                first = u0[0], second = u1[0];
              } else {
                first = u0[0][lane], second = u1[0][lane];
              }
              ASSERT_EQ(first, expected[0]) << kLanes << " lanes: " << tick << " " << i << " " << k << " " << partner;
              ASSERT_EQ(second, expected[1]) << kLanes << " lanes: " << tick << " " << i << " " << k << " " << partner;
            }
          }
        }
      }
    }
  }
}

}  // namespace geosim::test
