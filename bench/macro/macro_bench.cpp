// Named standard scenarios through the library's real code path (load_scenario, run_scenario,
// compute_run), timed, with a checksum of every recorded value so that a fast wrong answer
// fails. Prints one JSON document.
//
//   geosim_macro_bench [--repetitions R] [--check FILE] [--only NAME] [SOURCE_DIR]
//
// --check FILE compares each case's checksum with the line "NAME CHECKSUM" of FILE and exits 1
// on any difference (the file pins the results of the serial reference path on this machine).
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "geosim/engine.h"
#include "geosim/scenario.h"
#include "geosim/sweep.h"
#include "registry.h"

namespace geosim {
namespace {

using Clock = std::chrono::steady_clock;

/// FNV-1a 64 over the bits of every value, in order: any change of any bit changes it.
class Checksum {
 public:
  void add(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int byte = 0; byte < 8; ++byte) {
      hash_ = (hash_ ^ ((bits >> (8 * byte)) & 0xffu)) * 0x100000001b3ULL;
    }
  }
  void add(const TimeSeries& series) {
    for (const auto& row : series.rows) {
      for (double value : row) add(value);
    }
  }
  std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

struct Case {
  std::string name;
  std::string file;
  Mode mode;
  int runs;     ///< runs per timed repetition (sweeps: design points)
  bool sweep;   ///< through compute_run over a Monte Carlo design, at 1 and 2 threads
  int ticks;    ///< 0: the scenario's own
};

struct Measurement {
  std::string name;
  int threads = 1;
  double seconds = 0;  ///< median over repetitions
  double runs_per_second = 0;
  double updates_per_second = 0;
  std::string checksum;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Dyad-issue updates of one run: N (N - 1) / 2 * K per tick.
double updates_per_run(const ScenarioSpec& spec, int ticks) {
  const double n = spec.agent_count();
  return n * (n - 1) / 2 * spec.issue_count() * ticks;
}

Measurement time_runs(const Case& c, const ScenarioSpec& spec, int repetitions) {
  const RuleSet rules = agents::build_rules(spec.rules);
  RunOptions options = RunOptions::from(spec);
  options.mode = c.mode;
  if (c.ticks > 0) options.ticks = c.ticks;
  std::vector<double> seconds;
  Checksum checksum;
  for (int rep = 0; rep < repetitions; ++rep) {
    Checksum this_rep;
    const auto start = Clock::now();
    for (int run = 0; run < c.runs; ++run) {
      options.replicate = static_cast<std::uint64_t>(run);
      this_rep.add(run_scenario(spec, rules, options).series);
    }
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    checksum = this_rep;
  }
  Measurement m{c.name, 1, median(seconds), 0, 0, checksum.hex()};
  m.runs_per_second = c.runs / m.seconds;
  m.updates_per_second = m.runs_per_second * updates_per_run(spec, options.ticks);
  return m;
}

// A Monte Carlo sweep over the scenario's uncertain inputs, runs computed by compute_run in
// parallel; the checksum takes the runs in id order, so it is independent of the thread count.
Measurement time_sweep(const Case& c, const ScenarioSpec& spec, int threads, int repetitions) {
  DesignSpec design;
  design.points = static_cast<std::uint64_t>(c.runs);
  const SweepPlan plan = SweepPlan::make({{"", spec, agents::build_rules(spec.rules)}}, design,
                                         std::nullopt, std::nullopt, c.mode);
  std::vector<std::vector<RunRecord>> records(plan.runs());
  std::vector<double> seconds;
  tbb::task_arena arena(threads);
  for (int rep = 0; rep < repetitions; ++rep) {
    const auto start = Clock::now();
    arena.execute([&] {
      tbb::parallel_for(std::uint64_t{0}, plan.runs(), [&](std::uint64_t id) { records[id] = compute_run(plan, id); });
    });
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  Checksum checksum;
  for (const auto& record : records) checksum.add(record.front().series);
  Measurement m{c.name, threads, median(seconds), 0, 0, checksum.hex()};
  m.runs_per_second = static_cast<double>(plan.runs()) / m.seconds;
  m.updates_per_second = m.runs_per_second * updates_per_run(spec, plan.ticks);
  return m;
}

std::map<std::string, std::string> read_pins(const std::string& file) {
  std::map<std::string, std::string> pins;
  std::ifstream in(file);
  std::string name, sum;
  while (in >> name >> sum) pins[name] = sum;
  return pins;
}

std::vector<Case> standard_cases() {
  return {
      {"baseline_expected", "scenarios/baseline_2013.yaml", Mode::kExpected, 200, false, 0},
      {"baseline_stochastic", "scenarios/baseline_2013.yaml", Mode::kStochastic, 200, false, 0},
      {"pivot_to_asia_expected", "scenarios/pivot_to_asia.yaml", Mode::kExpected, 200, false, 0},
      {"baseline_sweep_stochastic", "scenarios/baseline_2013.yaml", Mode::kStochastic, 1000, true, 0},
      {"scale_1000_expected", "scenarios/scale_1000.yaml", Mode::kExpected, 1, false, 2},
  };
}

std::string json_line(const Measurement& m, bool last) {
  return fmt::format(
      "    {{\"name\": \"{}\", \"threads\": {}, \"seconds\": {:.6g}, \"runs_per_second\": {:.6g}, "
      "\"updates_per_second\": {:.6g}, \"checksum\": \"{}\"}}{}\n",
      m.name, m.threads, m.seconds, m.runs_per_second, m.updates_per_second, m.checksum, last ? "" : ",");
}

int run_main(int argc, char** argv) {
  int repetitions = 5;
  std::string check, only;
  std::filesystem::path root = ".";
  for (int arg = 1; arg < argc; ++arg) {
    const std::string flag = argv[arg];
    if (flag == "--repetitions" && arg + 1 < argc) {
      repetitions = std::stoi(argv[++arg]);
    } else if (flag == "--check" && arg + 1 < argc) {
      check = argv[++arg];
    } else if (flag == "--only" && arg + 1 < argc) {
      only = argv[++arg];
    } else {
      root = flag;
    }
  }
  const LoadOptions load{agents::rule_catalog()};
  std::vector<Measurement> results;
  for (const Case& c : standard_cases()) {
    if (!only.empty() && c.name.find(only) == std::string::npos) continue;
    const ScenarioSpec spec = load_scenario(root / c.file, load);
    if (!c.sweep) {
      results.push_back(time_runs(c, spec, repetitions));
      continue;
    }
    for (int threads : {1, 2}) results.push_back(time_sweep(c, spec, threads, repetitions));
  }
  const auto pins = check.empty() ? std::map<std::string, std::string>{} : read_pins(check);
  int failures = 0;
  fmt::print("{{\n  \"repetitions\": {},\n  \"results\": [\n", repetitions);
  for (std::size_t index = 0; index < results.size(); ++index) {
    fmt::print("{}", json_line(results[index], index + 1 == results.size()));
  }
  for (const Measurement& m : results) {
    const auto pin = pins.find(m.name);
    if (pin != pins.end() && pin->second != m.checksum) ++failures;
  }
  fmt::print("  ],\n  \"checksum_failures\": {}\n}}\n", failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace geosim

int main(int argc, char** argv) { return geosim::run_main(argc, argv); }
