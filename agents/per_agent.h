#pragma once
// Per-agent loops of the phases, in parallel for large worlds (geosim/parallel.h): each agent's
// work is independent of the others' and writes only its own entries, in the same order on
// whatever thread runs it, so the results are the same bits at any thread count.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <vector>

#include "geosim/parallel.h"
#include "geosim/products.h"
#include "geosim/state.h"

namespace geosim::agents {

using geosim::for_each_row_block;
using geosim::kParallelAgentsFrom;
using geosim::kRowBlock;

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

/// Calls body(agent) for agent in [0, n), for loops that need no buffer of their own.
template <typename Body>
void for_each_agent(int n, Body body) {
  for_each_index(n, body);
}

/// Rows [first, first + rows) of A A into the same rows of `out` (N x N), each entry summed in
/// the order m = 0, 1, ... (geosim/products.h): over for_each_row_block's blocks the bits depend
/// neither on the blocks nor on the thread count; they are the textbook loop's.
inline void square_rows(const Matrix& A, Matrix& out, int first, int rows) {
  multiply_rows(A, A, first, first + rows, static_cast<int>(A.cols()), out);
}

}  // namespace geosim::agents
