// Named standard scenarios through the library's real code path (load_scenario, run_scenario,
// compute_run), timed, with a checksum of every recorded value so that a fast wrong answer
// fails. Prints one JSON document. The same code as `geosim bench --json`
// (include/geosim/benchmark.h), with the flags this program has always had:
//
//   geosim_macro_bench [--repetitions R] [--check FILE] [--only NAME] [SOURCE_DIR]
//
// --check FILE compares each case's checksum with the line "NAME CHECKSUM" of FILE and exits 1
// on any difference (the file pins the results of the serial reference path on this machine).
#include <charconv>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

#include "geosim/benchmark.h"
#include "registry.h"

namespace geosim {
namespace {

struct Flags {
  BenchmarkOptions options;
  std::optional<std::string> check;
  std::vector<std::string> only;
};

int parse_count(const std::string& flag, const std::string& text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) {
    throw InputError({{{}, fmt::format("{}: expected an integer >= 1, got '{}'", flag, text), ""}});
  }
  return value;
}

Flags parse_flags(int argc, char** argv) {
  Flags flags;
  for (int arg = 1; arg < argc; ++arg) {
    const std::string flag = argv[arg];
    const bool has_value = arg + 1 < argc;
    if (flag == "--repetitions" && has_value) {
      flags.options.repetitions = parse_count(flag, argv[++arg]);
    } else if (flag == "--check" && has_value) {
      flags.check = argv[++arg];
    } else if (flag == "--only" && has_value) {
      flags.only.push_back(argv[++arg]);
    } else if (flag.rfind("--", 0) == 0) {
      throw InputError({{{}, fmt::format("unknown flag or missing value: '{}'", flag), ""}});
    } else {
      flags.options.root = flag;
    }
  }
  return flags;
}

int run_main(int argc, char** argv) {
  Flags flags = parse_flags(argc, argv);
  flags.options.load.rules = agents::rule_catalog();
  flags.options.build_rules = agents::build_rules;
  const std::vector<BenchmarkCase> cases = select_benchmark_cases(flags.only);
  const std::optional<BenchmarkPins> pins =
      flags.check ? std::optional(read_benchmark_pins(*flags.check)) : std::nullopt;
  const BenchmarkReport report =
      run_benchmarks(cases, flags.options, pins ? &*pins : nullptr, [](const std::vector<BenchmarkResult>& results) {
        for (const std::string& message : check_messages(results)) fmt::print(stderr, "{}\n", message);
      });
  fmt::print("{}", benchmark_json(report));
  return report.failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace geosim

int main(int argc, char** argv) {
  try {
    return geosim::run_main(argc, argv);
  } catch (const geosim::InputError& error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 1;
  }
}
