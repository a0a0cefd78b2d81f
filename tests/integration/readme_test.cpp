// The README's first scenario, as a reader would use it: it validates, and `geosim run` prints
// exactly the table the README shows.
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/cli.h"

namespace geosim {
namespace {

std::string between(const std::string& text, const std::string& start, const std::string& end) {
  const auto from = text.find(start);
  if (from == std::string::npos) return {};
  const auto begin = from + start.size();
  return text.substr(begin, text.find(end, begin) - begin);
}

TEST(Readme, FirstScenarioValidatesAndRunsAsShown) {
  const std::string readme = test::read_text(test::source_dir() / "README.md");
  const std::string section = between(readme, "## A first scenario", "## Command line");
  const std::string yaml = between(section, "```yaml\n", "```");
  const std::string shown = between(section, "$ build/release/bin/geosim run first.yaml --out out/first\n", "wrote ");
  ASSERT_FALSE(yaml.empty());
  ASSERT_FALSE(shown.empty());
  const auto dir = std::filesystem::temp_directory_path() / ("geosim_readme_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  test::write_text(dir / "first.yaml", yaml);
  const auto validate = test::run_cli("validate " + (dir / "first.yaml").string(), "readme");
  EXPECT_EQ(validate.code, 0) << validate.err;
  const auto run = test::run_cli("run " + (dir / "first.yaml").string() + " --out " + (dir / "out").string(), "readme");
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, shown);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace geosim
