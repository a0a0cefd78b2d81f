#pragma once
// Per-agent loops of the phases, in parallel for large worlds. Each agent's work is
// independent of the others' and writes only its own entries, and is done in the same order on
// whatever thread runs it, so the results are the same bits at any thread count; small worlds,
// where a fork-join costs more than it saves, stay serial.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <vector>

namespace geosim::agents {

/// Worlds from this many agents run per-agent loops on oneTBB's threads.
inline constexpr int kParallelAgentsFrom = 128;

/// Calls body(agent, buffer) for agent in [0, n): serially with `serial_buffer`, or, from
/// kParallelAgentsFrom agents, in parallel with a per-thread buffer of the same size
/// (allocated once per thread and kept).
template <typename Body>
void for_each_agent(int n, std::vector<double>& serial_buffer, Body body) {
  if (n < kParallelAgentsFrom) {
    for (int agent = 0; agent < n; ++agent) body(agent, serial_buffer.data());
    return;
  }
  const std::size_t size = serial_buffer.size();
  tbb::parallel_for(tbb::blocked_range<int>(0, n, 8), [&](const tbb::blocked_range<int>& agents) {
    thread_local std::vector<double> buffer;
    if (buffer.size() < size) buffer.resize(size);
    for (int agent = agents.begin(); agent < agents.end(); ++agent) body(agent, buffer.data());
  });
}

}  // namespace geosim::agents
