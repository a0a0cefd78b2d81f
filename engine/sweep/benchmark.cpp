// The standard benchmark cases, their timing, checksums and pins (include/geosim/benchmark.h).
#include "geosim/benchmark.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/fnv.h"
#include "geosim/engine.h"
#include "geosim/sweep.h"
#include "geosim/version.h"
#include "scenario/diagnostics.h"

namespace geosim {
namespace {

using Clock = std::chrono::steady_clock;

/// FNV-1a 64 over the bits of every value, least significant byte first: any change of any
/// bit changes it.
class Checksum {
 public:
  void add(const TimeSeries& series) {
    for (const auto& row : series.rows) {
      for (double value : row) add(value);
    }
  }
  std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  void add(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    char bytes[8];
    for (int byte = 0; byte < 8; ++byte) bytes[byte] = static_cast<char>((bits >> (8 * byte)) & 0xffu);
    hash_ = fnv1a(hash_, std::string_view(bytes, sizeof bytes));
  }

  std::uint64_t hash_ = kFnvOffsetBasis;
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

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int runs_of(const BenchmarkCase& benchmark, const BenchmarkOptions& options) {
  return options.runs.value_or(benchmark.runs);
}

BenchmarkResult result_of(const BenchmarkCase& benchmark, int threads, int runs, const std::vector<double>& seconds,
                          double updates, const Checksum& checksum) {
  BenchmarkResult result;
  result.name = benchmark.name;
  result.threads = threads;
  result.runs = runs;
  result.seconds = median(seconds);
  result.checksum = checksum.hex();
  result.runs_per_second = runs / result.seconds;
  result.updates_per_second = result.runs_per_second * updates;
  return result;
}

// Single runs through run_scenario, one after the other on this thread; run r is replicate r.
BenchmarkResult time_runs(const BenchmarkCase& benchmark, const ScenarioSpec& spec, const BenchmarkOptions& options) {
  const RuleSet rules = options.build_rules(spec.rules);
  RunOptions run = RunOptions::from(spec);
  run.mode = benchmark.mode;
  if (benchmark.ticks > 0) run.ticks = benchmark.ticks;
  if (benchmark.record_every > 0) run.record_every = benchmark.record_every;
  const int runs = runs_of(benchmark, options);
  std::vector<double> seconds;
  Checksum checksum;
  for (int rep = 0; rep < options.repetitions; ++rep) {
    Checksum this_rep;
    const auto start = Clock::now();
    for (int index = 0; index < runs; ++index) {
      run.replicate = static_cast<std::uint64_t>(index);
      this_rep.add(run_scenario(spec, rules, run).series);
    }
    seconds.push_back(seconds_since(start));
    checksum = this_rep;
  }
  return result_of(benchmark, 1, runs, seconds, updates_per_run(spec, run.ticks), checksum);
}

SweepPlan sweep_plan(const BenchmarkCase& benchmark, const ScenarioSpec& spec, const BenchmarkOptions& options) {
  DesignSpec design;
  design.points = static_cast<std::uint64_t>(runs_of(benchmark, options));
  const auto ticks = benchmark.ticks > 0 ? std::optional<int>(benchmark.ticks) : std::nullopt;
  const auto record_every = benchmark.record_every > 0 ? std::optional<int>(benchmark.record_every) : std::nullopt;
  return SweepPlan::make({{"", spec, options.build_rules(spec.rules)}}, design, ticks, record_every, benchmark.mode);
}

// Sweep runs are computed in blocks: each block in parallel, then folded into the checksum in
// run-id order outside the timing, so that memory stays bounded whatever the run count.
constexpr std::uint64_t kBlock = 1024;

double time_block(tbb::task_arena& arena, const SweepPlan& plan, std::uint64_t first,
                  std::vector<std::vector<RunRecord>>& records) {
  const auto start = Clock::now();
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, records.size(),
                      [&](std::size_t index) { records[index] = compute_run(plan, first + index); });
  });
  return seconds_since(start);
}

// A Monte Carlo sweep over the scenario's uncertain inputs, runs computed by compute_run in
// parallel (no commit); the checksum takes the runs in id order, so it is independent of the
// thread count.
BenchmarkResult time_sweep(const BenchmarkCase& benchmark, const SweepPlan& plan, int threads, int repetitions) {
  // As the sweep runner: the limit lets a thread count above the core count have its threads.
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  std::vector<double> seconds;
  Checksum checksum;
  for (int rep = 0; rep < repetitions; ++rep) {
    Checksum this_rep;
    double total = 0;
    for (std::uint64_t first = 0; first < plan.runs(); first += kBlock) {
      std::vector<std::vector<RunRecord>> records(std::min(kBlock, plan.runs() - first));
      total += time_block(arena, plan, first, records);
      for (const auto& record : records) this_rep.add(record.front().series);
    }
    seconds.push_back(total);
    checksum = this_rep;
  }
  return result_of(benchmark, threads, static_cast<int>(plan.runs()), seconds,
                   updates_per_run(plan.variants.front().spec, plan.ticks), checksum);
}

const BenchmarkCase* find_case(const std::string& name) {
  for (const BenchmarkCase& benchmark : standard_benchmark_cases()) {
    if (benchmark.name == name) return &benchmark;
  }
  return nullptr;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const BenchmarkCase& benchmark : standard_benchmark_cases()) names.push_back(benchmark.name);
  return names;
}

// --- pin files -------------------------------------------------------------------------------

struct Field {
  std::string text;
  int column = 0;  // 1-based
};

std::vector<Field> split_fields(const std::string& line) {
  std::vector<Field> fields;
  std::size_t at = 0;
  while (true) {
    const std::size_t begin = line.find_first_not_of(" \t", at);
    if (begin == std::string::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t", begin), line.size());
    fields.push_back({line.substr(begin, end - begin), static_cast<int>(begin) + 1});
    at = end;
  }
  return fields;
}

bool is_checksum(const std::string& text) {
  return text.size() == 16 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<int> parse_runs(const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

// Reads the pins of a file's text, collecting every problem before it throws.
class PinReader {
 public:
  PinReader(std::string file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}

  BenchmarkPins read() {
    std::istringstream in(text_);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::vector<Field> fields = split_fields(line);
      if (fields.empty() || fields.front().text.front() == '#') continue;
      read_line(number, fields);
    }
    if (!problems_.empty()) throw InputError(problems_);
    return pins_;
  }

 private:
  void problem(int line, int column, std::string message) {
    problems_.push_back({{file_, line, column}, std::move(message), scenario::source_line(text_, line)});
  }

  void read_line(int line, const std::vector<Field>& fields) {
    if (fields.size() < 2 || fields.size() > 3) {
      problem(line, fields.front().column,
              fmt::format("expected 'NAME CHECKSUM' or 'NAME CHECKSUM RUNS', got {} field{}", fields.size(),
                          fields.size() == 1 ? "" : "s"));
      return;
    }
    const BenchmarkCase* benchmark = find_case(fields[0].text);
    if (benchmark == nullptr) {
      const std::vector<std::string> names = case_names();
      const std::string guess = scenario::did_you_mean(fields[0].text, names);
      problem(line, fields[0].column, fmt::format("unknown benchmark case '{}'{}", fields[0].text, guess));
      return;
    }
    if (!is_checksum(fields[1].text)) {
      problem(line, fields[1].column,
              fmt::format("expected a checksum of 16 lowercase hex digits, got '{}'", fields[1].text));
      return;
    }
    const std::optional<int> runs = fields.size() == 3 ? parse_runs(fields[2].text) : benchmark->runs;
    if (!runs) {
      problem(line, fields[2].column, fmt::format("expected a run count >= 1, got '{}'", fields[2].text));
      return;
    }
    const auto [pin, added] = pins_.emplace(std::pair(benchmark->name, *runs),
                                            BenchmarkPin{fields[1].text, {file_, line, fields[0].column}});
    if (!added) {
      problem(line, fields[0].column,
              fmt::format("a second pin for '{}' at {} runs (the first is on line {})", benchmark->name, *runs,
                          pin->second.where.line));
    }
  }

  std::string file_;
  std::string text_;
  BenchmarkPins pins_;
  std::vector<Diagnostic> problems_;
};

nlohmann::ordered_json machine_json() {
  nlohmann::ordered_json machine;
  machine["hardware_threads"] = std::thread::hardware_concurrency();
  machine["version"] = std::string(version());
  machine["git_commit"] = std::string(git_commit());
  machine["compiler"] = std::string(compiler());
  return machine;
}

nlohmann::ordered_json result_json(const BenchmarkResult& result) {
  nlohmann::ordered_json json;
  json["name"] = result.name;
  json["threads"] = result.threads;
  json["runs"] = result.runs;
  json["seconds"] = result.seconds;
  json["runs_per_second"] = result.runs_per_second;
  json["updates_per_second"] = result.updates_per_second;
  json["checksum"] = result.checksum;
  json["check"] = check_name(result.check);
  if (!result.expected.empty()) json["expected"] = result.expected;
  return json;
}

// What the CLI's flags check too; here for every other caller (bench/macro).
void check_options(const BenchmarkOptions& options) {
  std::vector<Diagnostic> problems;
  const auto bad = [&](const std::string& message) { problems.push_back({{}, message, ""}); };
  if (options.repetitions < 1) bad(fmt::format("the repetitions must be >= 1, got {}", options.repetitions));
  if (options.runs && *options.runs < 1) bad(fmt::format("the run count must be >= 1, got {}", *options.runs));
  if (options.threads.empty()) bad("no thread count given");
  for (int threads : options.threads) {
    if (threads < 1) bad(fmt::format("a thread count must be >= 1, got {}", threads));
  }
  if (!options.build_rules) bad("no rule builder given");
  if (!problems.empty()) throw InputError(problems);
}

// The message for a failed or unpinned result ("" for the others).
std::string check_message(const BenchmarkResult& result) {
  const std::string threads = fmt::format("{} thread{}", result.threads, result.threads == 1 ? "" : "s");
  switch (result.check) {
    case BenchmarkCheck::kMismatch:
      return format_diagnostic({result.pin,
                                fmt::format("{}: measured checksum {} ({} run{}, {}), pinned {}", result.name,
                                            result.checksum, result.runs, result.runs == 1 ? "" : "s", threads,
                                            result.expected),
                                ""});
    case BenchmarkCheck::kThreadMismatch:
      return format_diagnostic({{},
                                fmt::format("{}: checksum {} at {} differs from {} at the first thread count: the "
                                            "results depend on the thread count",
                                            result.name, result.checksum, threads, result.expected),
                                ""});
    case BenchmarkCheck::kUnpinned:
      return fmt::format("note: {}: no pin at {} run{}; not checked", result.name, result.runs,
                         result.runs == 1 ? "" : "s");
    default: return "";
  }
}

}  // namespace

const std::vector<BenchmarkCase>& standard_benchmark_cases() {
  static const std::vector<BenchmarkCase> cases{
      {"baseline_expected", "scenarios/baseline_2013.yaml", Mode::kExpected, 200, false, 0, 0,
       "baseline_2013.yaml, its 40 ticks each recorded, expected mode, one run after another"},
      {"baseline_stochastic", "scenarios/baseline_2013.yaml", Mode::kStochastic, 200, false, 0, 0,
       "the same, stochastic (run r is replicate r)"},
      {"pivot_to_asia_expected", "scenarios/pivot_to_asia.yaml", Mode::kExpected, 200, false, 0, 0,
       "the pivot-to-Asia overlay of the baseline, expected mode"},
      {"baseline_sweep_stochastic", "scenarios/baseline_2013.yaml", Mode::kStochastic, 1000, true, 0, 0,
       "Monte Carlo sweep of the baseline's uncertain inputs, stochastic, 40 ticks each recorded"},
      {"scale_1000_expected", "scenarios/scale_1000.yaml", Mode::kExpected, 1, false, 2, 0,
       "scale_1000.yaml (1000 states, 8 issues), 2 ticks, 3 records, expected mode"},
      {"baseline_yearly_sweep", "scenarios/baseline_2013.yaml", Mode::kStochastic, 1000, true, 80, 4,
       "Monte Carlo sweep of the baseline, stochastic, 80 ticks recorded every 4 (yearly)"},
  };
  return cases;
}

std::vector<BenchmarkCase> select_benchmark_cases(const std::vector<std::string>& patterns) {
  const auto& cases = standard_benchmark_cases();
  if (patterns.empty()) return cases;
  std::set<std::string> chosen;
  std::vector<Diagnostic> problems;
  const std::vector<std::string> names = case_names();
  for (const std::string& pattern : patterns) {
    std::vector<std::string> matches;
    for (const std::string& name : names) {
      if (name == pattern) matches = {name};
    }
    if (matches.empty()) {
      std::copy_if(names.begin(), names.end(), std::back_inserter(matches),
                   [&](const std::string& name) { return name.find(pattern) != std::string::npos; });
    }
    if (matches.empty()) {
      const std::string guess = scenario::did_you_mean(pattern, names);
      problems.push_back({{}, fmt::format("no benchmark case is named or contains '{}'{} (the cases: {})", pattern,
                                          guess, fmt::join(names, ", ")),
                          ""});
    }
    chosen.insert(matches.begin(), matches.end());
  }
  if (!problems.empty()) throw InputError(problems);
  std::vector<BenchmarkCase> selected;
  for (const BenchmarkCase& benchmark : cases) {
    if (chosen.count(benchmark.name) != 0) selected.push_back(benchmark);
  }
  return selected;
}

std::string check_name(BenchmarkCheck check) {
  switch (check) {
    case BenchmarkCheck::kNotChecked: return "not_checked";
    case BenchmarkCheck::kUnpinned: return "unpinned";
    case BenchmarkCheck::kMatch: return "ok";
    case BenchmarkCheck::kMismatch: return "mismatch";
    case BenchmarkCheck::kThreadMismatch: return "thread_mismatch";
  }
  return "unknown";
}

BenchmarkPins read_benchmark_pins(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || std::filesystem::is_directory(file)) {
    throw IoError(fmt::format("{}: error: cannot read the pin file: {}", file.string(),
                              std::filesystem::exists(file) ? "not a readable file" : "no such file"));
  }
  return PinReader(file.string(), text.str()).read();
}

std::string benchmark_pins_text(const std::vector<BenchmarkResult>& results) {
  std::string text;
  std::set<std::pair<std::string, int>> written;
  for (const BenchmarkResult& result : results) {
    if (!written.insert({result.name, result.runs}).second) continue;
    const BenchmarkCase* benchmark = find_case(result.name);
    if (benchmark != nullptr && benchmark->runs == result.runs) {
      text += fmt::format("{} {}\n", result.name, result.checksum);
    } else {
      text += fmt::format("{} {} {}\n", result.name, result.checksum, result.runs);
    }
  }
  return text;
}

std::vector<BenchmarkResult> time_benchmark(const BenchmarkCase& benchmark, const ScenarioSpec& spec,
                                            const BenchmarkOptions& options) {
  if (!benchmark.sweep) return {time_runs(benchmark, spec, options)};
  const SweepPlan plan = sweep_plan(benchmark, spec, options);
  std::vector<BenchmarkResult> results;
  for (int threads : options.threads) results.push_back(time_sweep(benchmark, plan, threads, options.repetitions));
  return results;
}

int check_benchmark(std::vector<BenchmarkResult>& results, const BenchmarkPins* pins) {
  int failures = 0;
  for (BenchmarkResult& result : results) {
    if (result.checksum != results.front().checksum) {
      result.check = BenchmarkCheck::kThreadMismatch;
      result.expected = results.front().checksum;
    } else if (pins == nullptr) {
      result.check = BenchmarkCheck::kNotChecked;
    } else if (const auto pin = pins->find({result.name, result.runs}); pin == pins->end()) {
      result.check = BenchmarkCheck::kUnpinned;
    } else {
      result.check = pin->second.checksum == result.checksum ? BenchmarkCheck::kMatch : BenchmarkCheck::kMismatch;
      result.expected = pin->second.checksum;
      result.pin = pin->second.where;
    }
    const bool failed = result.check == BenchmarkCheck::kMismatch || result.check == BenchmarkCheck::kThreadMismatch;
    failures += failed ? 1 : 0;
  }
  return failures;
}

std::vector<std::string> check_messages(const std::vector<BenchmarkResult>& results) {
  std::vector<std::string> messages;
  for (const BenchmarkResult& result : results) {
    std::string message = check_message(result);
    if (!message.empty() && std::find(messages.begin(), messages.end(), message) == messages.end()) {
      messages.push_back(std::move(message));
    }
  }
  return messages;
}

BenchmarkReport run_benchmarks(const std::vector<BenchmarkCase>& cases, const BenchmarkOptions& options,
                               const BenchmarkPins* pins,
                               const std::function<void(const std::vector<BenchmarkResult>&)>& each) {
  check_options(options);
  std::map<std::string, ScenarioSpec> specs;
  for (const BenchmarkCase& benchmark : cases) {
    if (specs.count(benchmark.file) == 0) {
      specs.emplace(benchmark.file, load_scenario(options.root / benchmark.file, options.load));
    }
  }
  BenchmarkReport report;
  report.repetitions = options.repetitions;
  for (const BenchmarkCase& benchmark : cases) {
    std::vector<BenchmarkResult> results = time_benchmark(benchmark, specs.at(benchmark.file), options);
    report.failures += check_benchmark(results, pins);
    if (each) each(results);
    report.results.insert(report.results.end(), results.begin(), results.end());
  }
  return report;
}

std::string benchmark_json(const BenchmarkReport& report) {
  nlohmann::ordered_json json;
  json["repetitions"] = report.repetitions;
  json["machine"] = machine_json();
  json["results"] = nlohmann::ordered_json::array();
  for (const BenchmarkResult& result : report.results) json["results"].push_back(result_json(result));
  json["checksum_failures"] = report.failures;
  return json.dump(2) + "\n";
}

}  // namespace geosim
