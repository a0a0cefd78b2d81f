#pragma once
// Loops over a world's agents (or rows), in parallel for large worlds. Each index's work must be
// independent of the others' and write only its own entries, in the same order on whatever
// thread runs it: the results are then the same bits at any thread count. Small worlds, where a
// fork-join costs more than it saves, stay serial. (Needs oneTBB.)
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace geosim {

/// Worlds from this many agents run per-agent loops and row blocks on oneTBB's threads.
inline constexpr int kParallelAgentsFrom = 128;

/// Calls body(index) for index in [0, n): in order below kParallelAgentsFrom, otherwise in
/// parallel, eight indices a task.
template <typename Body>
void for_each_index(int n, Body body) {
  if (n < kParallelAgentsFrom) {
    for (int index = 0; index < n; ++index) body(index);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<int>(0, n, 8), [&](const tbb::blocked_range<int>& range) {
    for (int index = range.begin(); index < range.end(); ++index) body(index);
  });
}

}  // namespace geosim
