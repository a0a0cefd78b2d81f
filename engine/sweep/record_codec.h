#pragma once
// A round's computed runs as bytes, from a worker rank to rank 0: each run's records (every
// value the sinks need, doubles as their bits) and its runs.csv lines, already formatted.
// Native byte order: the ranks of one job run the same binary on the same kind of machine.
#include <string>
#include <vector>

#include "geosim/sweep.h"

namespace geosim::sweep {

/// One run of every variant, as the runner commits it.
struct ComputedRun {
  std::vector<RunRecord> records;
  std::vector<std::string> rows;  ///< runs.csv line per variant
};

std::string encode_runs(const std::vector<ComputedRun>& runs);
/// Throws Error when `bytes` is not what encode_runs wrote.
std::vector<ComputedRun> decode_runs(const std::string& bytes);

}  // namespace geosim::sweep
