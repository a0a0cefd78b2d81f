// The broken-scenario corpus: every tests/data/bad/NAME.yaml must fail to load with exactly
// the diagnostics in NAME.err. Run with GEOSIM_UPDATE_GOLDEN=1 to rewrite the .err files,
// then review every changed one by eye (message wording, caret under the right token).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "geosim/scenario.h"

namespace geosim {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = "tests/data/bad";

/// The rule catalog the .err files were produced with.
LoadOptions corpus_options() {
  LoadOptions options;
  options.rules = {{"engagement", {"pivot", "none"}},
                   {"cooperation", {"prisoners_dilemma", "none"}},
                   {"affinity", {"structural_balance", "none"}},
                   {"influence", {"friedkin_johnsen", "bdm", "none"}},
                   {"economy", {"trade_investment", "none"}}};
  return options;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The corpus files ending in `extension`, sorted; subdirectories (helper parents) are skipped.
std::vector<fs::path> corpus_files(const std::string& extension) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// What loading `scenario` reports, exactly as a user would see it.
std::string load_error(const fs::path& scenario) {
  try {
    load_scenario(scenario.generic_string(), corpus_options());
    return "(loaded without error)";
  } catch (const InputError& e) {
    return e.formatted();
  }
}

bool updating_golden() {
  const char* flag = std::getenv("GEOSIM_UPDATE_GOLDEN");
  return flag && std::string(flag) == "1";
}

/// The .err files hold paths relative to the repository root, so the tests run from there.
class BadCorpus : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(GEOSIM_SOURCE_DIR); }
};

TEST_F(BadCorpus, HasAtLeastFortyScenarios) { EXPECT_GE(corpus_files(".yaml").size(), 40u); }

TEST_F(BadCorpus, PairsEveryScenarioWithAnErrFileAndViceVersa) {
  if (updating_golden()) GTEST_SKIP() << "the .err files are being rewritten";
  for (const auto& yaml : corpus_files(".yaml")) {
    EXPECT_TRUE(fs::exists(fs::path(yaml).replace_extension(".err"))) << yaml << " has no .err";
  }
  for (const auto& err : corpus_files(".err")) {
    EXPECT_TRUE(fs::exists(fs::path(err).replace_extension(".yaml"))) << err << " has no .yaml";
  }
}

TEST_F(BadCorpus, ReportsExactlyTheExpectedDiagnosticsForEveryScenario) {
  for (const auto& yaml : corpus_files(".yaml")) {
    SCOPED_TRACE(yaml.string());
    const std::string actual = load_error(yaml);
    const fs::path err = fs::path(yaml).replace_extension(".err");
    if (updating_golden()) {
      std::ofstream(err, std::ios::binary) << actual << '\n';
      continue;
    }
    std::string expected = read_file(err);
    if (!expected.empty() && expected.back() == '\n') expected.pop_back();
    EXPECT_EQ(actual, expected);
  }
}

TEST_F(BadCorpus, ThrowsNothingButInputErrorForAnyScenario) {
  for (const auto& yaml : corpus_files(".yaml")) {
    SCOPED_TRACE(yaml.string());
    try {
      load_scenario(yaml, corpus_options());
      ADD_FAILURE() << "loaded without error";
    } catch (const InputError& e) {
      EXPECT_FALSE(e.diagnostics().empty());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "threw something other than InputError: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "threw a non-exception";
    }
  }
}

TEST_F(BadCorpus, RejectsTheAliasBombInWellUnderASecond) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(load_scenario(kCorpus / "alias_bomb.yaml"), InputError);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace geosim
