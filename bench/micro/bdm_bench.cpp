// One round of Bueno de Mesquita's model (agents/bdm.h) on N random actors.
// A round is O(N^2 log N): the all-pairs denominator sum_k sum_a sum_b |v_k(a, b)| is O(N) per voter
// (its votes sorted by distance, then prefix sums) and every P(i, j) is O(log N) from per-candidate
// prefix sums of votes; the direct sums would make it O(N^3) (BM_Bdm_VoteTotalNaive shows that term).
#include <benchmark/benchmark.h>

#include "bdm.h"
#include "geosim/rng.h"

namespace geosim {
namespace {

// N actors drawn from Philox with a fixed key: the same table on every machine.
agents::bdm::Actors random_actors(int n) {
  const Rng rng(Rng::key_for(1994, 0, 0));
  agents::bdm::Actors actors;
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(n); ++i) {
    const auto u = rng.uniform2(0, Stream::kHazard, 0, i, 0);
    const auto v = rng.uniform2(0, Stream::kHazard, 1, i, 0);
    actors.capability.push_back(u[0]);
    actors.position.push_back(u[1]);
    actors.salience.push_back(v[0]);
  }
  return actors;
}

void BM_Bdm_Round(benchmark::State& bench) {
  const agents::bdm::Actors actors = random_actors(static_cast<int>(bench.range(0)));
  double checksum = 0;
  for (auto _ : bench) {
    const agents::bdm::Round round = agents::bdm::play_round(actors);
    checksum += round.position[0] + static_cast<double>(round.accepted.size());
    benchmark::DoNotOptimize(checksum);
  }
  bench.SetItemsProcessed(bench.iterations());  // rounds
  bench.counters["moved"] = static_cast<double>(agents::bdm::play_round(actors).accepted.size());
}

// The direct O(N^3) denominator, for the contrast (sizes where it is affordable).
void BM_Bdm_VoteTotalNaive(benchmark::State& bench) {
  const agents::bdm::Actors actors = random_actors(static_cast<int>(bench.range(0)));
  const std::vector<double> exponents(actors.position.size(), 1.3);
  const double delta = agents::bdm::position_range(actors.position);
  for (auto _ : bench) benchmark::DoNotOptimize(agents::bdm::vote_total_naive(actors, exponents, delta));
}

BENCHMARK(BM_Bdm_Round)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Bdm_VoteTotalNaive)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace geosim
