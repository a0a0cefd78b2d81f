// A tick allocates nothing once a run has warmed up (bench/README.md, "Allocation"). This file
// replaces the global operator new of the core_test executable with one that counts, and counts
// only while a test asks it to.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "geosim/engine.h"
#include "support/world.h"

namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* counted_allocation(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return counted_allocation(size); }
void* operator new[](std::size_t size) { return counted_allocation(size); }
void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }

namespace geosim {
namespace {

// A baseline-size world: 20 agents, 5 issues, every dyad related, two institutions, a region.
ScenarioSpec busy_world() {
  ScenarioSpec spec = test::tiny_world(20, 5);
  for (int i = 0; i < 20; ++i) {
    auto& agent = spec.agents[static_cast<std::size_t>(i)];
    agent.capability = 1.0 + 0.1 * i;
    for (int k = 0; k < 5; ++k) agent.interests[static_cast<std::size_t>(k)].position = 0.05 * ((i * 7 + k * 3) % 20);
    for (int j = i + 1; j < 20; ++j) {
      test::set_affinity(spec, i, j, ((i * 13 + j * 5) % 17) / 8.5 - 1.0);
      test::set_trade(spec, i, j, 1.0 + (i + j) % 9);
    }
  }
  spec.institutions.push_back({"G", "", {0, 1, 2, 3, 4}});
  spec.institutions.push_back({"H", "", {3, 4, 5, 6, 7, 8}});
  spec.regions.push_back({"R", "", 0, 0.5, std::vector<double>(20, 1.0)});
  spec.run.ticks = 40;
  return spec;
}

long allocations_in_steps(Mode mode) {
  const ScenarioSpec spec = busy_world();
  const RuleSet rules = test::default_rules();
  RunOptions options = RunOptions::from(spec);
  options.mode = mode;
  Simulation simulation(spec, rules, options);
  for (int tick = 0; tick < 2; ++tick) simulation.step();  // warm-up
  allocations = 0;
  counting = true;
  for (int tick = 2; tick < 40; ++tick) simulation.step();
  counting = false;
  return allocations.load();
}

TEST(NoAllocation, ExpectedTicksAllocateNothingAfterWarmUp) { EXPECT_EQ(allocations_in_steps(Mode::kExpected), 0); }

TEST(NoAllocation, StochasticTicksAllocateNothingAfterWarmUp) {
  EXPECT_EQ(allocations_in_steps(Mode::kStochastic), 0);
}

TEST(NoAllocation, TheCounterSeesAnAllocation) {
  counting = true;
  allocations = 0;
  auto* block = new std::vector<double>(8);
  counting = false;
  delete block;
  EXPECT_GE(allocations.load(), 1);
}

}  // namespace
}  // namespace geosim
