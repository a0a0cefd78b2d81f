// The standard benchmark cases' selection, pins and checks (include/geosim/benchmark.h); the
// timing itself is exercised through `geosim bench` (tests/integration/bench_cli_test.cpp).
#include "geosim/benchmark.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace geosim {
namespace {

std::vector<std::string> names_of(const std::vector<BenchmarkCase>& cases) {
  std::vector<std::string> names;
  for (const BenchmarkCase& benchmark : cases) names.push_back(benchmark.name);
  return names;
}

BenchmarkResult result(const std::string& name, int threads, int runs, const std::string& checksum) {
  BenchmarkResult r;
  r.name = name;
  r.threads = threads;
  r.runs = runs;
  r.checksum = checksum;
  return r;
}

TEST(BenchmarkCases, AreTheSixNamedStandardScenarios) {
  EXPECT_EQ(names_of(standard_benchmark_cases()),
            (std::vector<std::string>{"baseline_expected", "baseline_stochastic", "pivot_to_asia_expected",
                                      "baseline_sweep_stochastic", "scale_1000_expected", "baseline_yearly_sweep"}));
  const BenchmarkCase& yearly = standard_benchmark_cases().back();
  EXPECT_EQ(yearly.file, "scenarios/baseline_2013.yaml");
  EXPECT_TRUE(yearly.sweep);
  EXPECT_EQ(yearly.mode, Mode::kStochastic);
  EXPECT_EQ(yearly.runs, 1000);
  EXPECT_EQ(yearly.ticks, 80);
  EXPECT_EQ(yearly.record_every, 4);
}

TEST(BenchmarkCases, AreSelectedByNameOrPartOfANameInTheStandardOrder) {
  EXPECT_EQ(select_benchmark_cases({}).size(), standard_benchmark_cases().size());
  EXPECT_EQ(names_of(select_benchmark_cases({"sweep"})),
            (std::vector<std::string>{"baseline_sweep_stochastic", "baseline_yearly_sweep"}));
  EXPECT_EQ(names_of(select_benchmark_cases({"baseline_yearly_sweep", "baseline_expected", "expected"})),
            (std::vector<std::string>{"baseline_expected", "pivot_to_asia_expected", "scale_1000_expected",
                                      "baseline_yearly_sweep"}));
}

TEST(BenchmarkCases, AnUnknownNameIsAnInputErrorWithAGuess) {
  try {
    select_benchmark_cases({"baseline_expectd", "zzz"});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 2u);
    EXPECT_NE(error.diagnostics()[0].message.find("did you mean 'baseline_expected'?"), std::string::npos);
    EXPECT_NE(error.diagnostics()[1].message.find("(the cases: baseline_expected, "), std::string::npos);
  }
}

TEST(BenchmarkCheck, FlagsAThreadCountWhoseChecksumDiffers) {
  std::vector<BenchmarkResult> results{result("baseline_sweep_stochastic", 1, 8, "00000000000000aa"),
                                       result("baseline_sweep_stochastic", 2, 8, "00000000000000bb")};
  EXPECT_EQ(check_benchmark(results, nullptr), 1);
  EXPECT_EQ(results[0].check, BenchmarkCheck::kNotChecked);
  EXPECT_EQ(results[1].check, BenchmarkCheck::kThreadMismatch);
  EXPECT_EQ(check_name(results[1].check), "thread_mismatch");
  const std::vector<std::string> messages = check_messages(results);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0],
            "error: baseline_sweep_stochastic: checksum 00000000000000bb at 2 threads differs from 00000000000000aa "
            "at the first thread count: the results depend on the thread count");
}

TEST(BenchmarkCheck, ComparesOnlyWithThePinOfTheSameRunCount) {
  BenchmarkPins pins;
  pins[{"baseline_expected", 200}] = {"00000000000000aa", {"pins.txt", 1, 1}};
  pins[{"baseline_expected", 3}] = {"00000000000000bb", {"pins.txt", 2, 1}};
  std::vector<BenchmarkResult> standard{result("baseline_expected", 1, 200, "00000000000000aa")};
  std::vector<BenchmarkResult> three{result("baseline_expected", 1, 3, "00000000000000cc")};
  std::vector<BenchmarkResult> four{result("baseline_expected", 1, 4, "00000000000000cc")};
  EXPECT_EQ(check_benchmark(standard, &pins), 0);
  EXPECT_EQ(standard[0].check, BenchmarkCheck::kMatch);
  EXPECT_EQ(check_benchmark(three, &pins), 1);
  EXPECT_EQ(three[0].check, BenchmarkCheck::kMismatch);
  EXPECT_EQ(check_messages(three),
            std::vector<std::string>{"pins.txt:2:1: error: baseline_expected: measured checksum 00000000000000cc "
                                     "(3 runs, 1 thread), pinned 00000000000000bb"});
  EXPECT_EQ(check_benchmark(four, &pins), 0);
  EXPECT_EQ(four[0].check, BenchmarkCheck::kUnpinned);
  EXPECT_TRUE(check_messages(standard).empty());
}

TEST(BenchmarkPinsFile, RoundTripsAndOmitsTheStandardRunCount) {
  const std::vector<BenchmarkResult> results{result("baseline_expected", 1, 200, "00000000000000aa"),
                                             result("baseline_sweep_stochastic", 1, 8, "00000000000000bb"),
                                             result("baseline_sweep_stochastic", 2, 8, "00000000000000bb")};
  const std::string text = benchmark_pins_text(results);
  EXPECT_EQ(text, "baseline_expected 00000000000000aa\nbaseline_sweep_stochastic 00000000000000bb 8\n");
  const auto file = std::filesystem::temp_directory_path() / ("geosim_pins_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(file) << "# a comment\n\n" << text;
  const BenchmarkPins pins = read_benchmark_pins(file);
  std::filesystem::remove(file);
  ASSERT_EQ(pins.size(), 2u);
  EXPECT_EQ(pins.at({"baseline_expected", 200}).checksum, "00000000000000aa");
  EXPECT_EQ(pins.at({"baseline_expected", 200}).where.line, 3);
  EXPECT_EQ(pins.at({"baseline_sweep_stochastic", 8}).checksum, "00000000000000bb");
}

TEST(BenchmarkOptions, RejectsNonsenseFromCallersOtherThanTheCli) {
  BenchmarkOptions options;
  options.repetitions = 0;
  options.threads = {};
  options.runs = 0;
  try {
    run_benchmarks(select_benchmark_cases({"baseline_expected"}), options, nullptr);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().size(), 4u) << error.formatted();  // repetitions, runs, threads, rule builder
  }
}

}  // namespace
}  // namespace geosim
