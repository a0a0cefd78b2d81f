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

/// Rows per block of the row-block loops (the N x N products and the balance metric). Fixed,
/// not derived from the thread count, so that per-block results do not depend on it.
inline constexpr int kRowBlock = 64;

/// Calls body(block, first, rows) for the row blocks [0, kRowBlock), [kRowBlock, 2 kRowBlock),
/// ... of [0, n) (the last one shorter): in block order below kParallelAgentsFrom, otherwise
/// one block per task. The blocks are the same either way; each must write only its own rows
/// (or its own block's results).
template <typename Body>
void for_each_row_block(int n, Body body) {
  const int blocks = (n + kRowBlock - 1) / kRowBlock;
  auto run = [&](int block) {
    const int first = block * kRowBlock;
    body(block, first, n - first < kRowBlock ? n - first : kRowBlock);
  };
  if (n < kParallelAgentsFrom) {
    for (int block = 0; block < blocks; ++block) run(block);
    return;
  }
  tbb::parallel_for(0, blocks, run);
}

}  // namespace geosim
