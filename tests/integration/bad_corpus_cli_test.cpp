// Every broken scenario of tests/data/bad through `geosim validate`: exit code 2 and the
// pinned message on stderr (the loader's own test pins the exact text).
#include <gtest/gtest.h>

#include <algorithm>

#include "support/cli.h"

namespace geosim {
namespace {

std::vector<std::string> bad_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "tests/data/bad")) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(BadCorpusCli, HoldsAtLeastThirtyScenarios) { EXPECT_GE(bad_scenarios().size(), 30u); }

TEST(BadCorpusCli, ValidateAndRunExitTwoWithThePinnedMessage) {
  for (const std::string& name : bad_scenarios()) {
    SCOPED_TRACE(name);
    const std::string file = "tests/data/bad/" + name + ".yaml";
    const std::string expected = test::read_text(test::source_dir() / "tests/data/bad" / (name + ".err"));
    const auto validate = test::run_cli("validate " + file, name);
    EXPECT_EQ(validate.code, 2);
    EXPECT_NE(validate.err.find(expected), std::string::npos) << validate.err;
    const auto run = test::run_cli("run " + file + " --out -", name);
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.out.empty()) << "no output may be written for an invalid scenario";
  }
}

}  // namespace
}  // namespace geosim
