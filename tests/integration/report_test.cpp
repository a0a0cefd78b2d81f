// `geosim report` and the report.html that sweep, compare and run --report write: well-formed
// XML and HTML (xmllint from PATH), one <svg> per promised figure, no external reference, and a
// clear exit 2 on a folder that holds no results.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <regex>
#include <sstream>

#include "support/cli.h"

namespace geosim {
namespace {

using test::read_text;
using test::run_cli;

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("geosim_reportcli_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string out(const std::string& name) const { return fmt::format("'{}'", (dir_ / name).string()); }
  std::filesystem::path dir_;
};

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// libxml2's HTML parser predates HTML5 and calls <svg>, <figure>... "invalid" tags; any other
// complaint is a real error.
void expect_valid_markup(const std::filesystem::path& html) {
  const auto log = html.parent_path() / "xmllint.log";
  EXPECT_EQ(shell(fmt::format("xmllint --noout '{}' 2> '{}'", html.string(), log.string())), 0) << read_text(log);
  ASSERT_EQ(shell(fmt::format("xmllint --html --noout '{}' 2> '{}'", html.string(), log.string())), 0) << read_text(log);
  std::istringstream lines(read_text(log));
  const std::regex tag_warning(R"(HTML parser error : Tag \w+ invalid)");
  for (std::string line; std::getline(lines, line);) {
    if (line.find("parser error") == std::string::npos) continue;
    EXPECT_TRUE(std::regex_search(line, tag_warning)) << line;
  }
  std::filesystem::remove(log);
}

void expect_figures(const std::string& html, const std::vector<std::string>& ids) {
  std::size_t svgs = 0, figure_ids = 0;
  for (std::size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1)) {
    ++svgs;
    if (html.compare(at, 13, "<svg id=\"fig-") == 0) ++figure_ids;
  }
  EXPECT_EQ(svgs, figure_ids) << "every <svg> is a figure with an id";
  for (const auto& id : ids) {
    const std::string tag = fmt::format("<svg id=\"{}\"", id);
    EXPECT_NE(html.find(tag), std::string::npos) << id;
    EXPECT_EQ(html.find(tag), html.rfind(tag)) << id << " once";
  }
}

void expect_self_contained(const std::string& html) {
  for (const char* external : {"http:", "https:", "src=", "href=", "@import", "url(", "<script"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

void expect_good_report(const std::filesystem::path& html, const std::vector<std::string>& ids) {
  ASSERT_TRUE(std::filesystem::exists(html)) << html;
  expect_valid_markup(html);
  const std::string text = read_text(html);
  expect_figures(text, ids);
  expect_self_contained(text);
}

TEST_F(ReportCli, CompareFolderHasEveryFigure) {
  const auto result = run_cli(fmt::format("compare scenarios/tests/sweep_world.yaml scenarios/tests/sweep_world_b.yaml "
                                          "--runs 30 --design lhs -q --out {}", out("c")));
  ASSERT_EQ(result.code, 0) << result.err;
  expect_good_report(dir_ / "c/report.html",
                     {"fig-fan-0", "fig-fan-1", "fig-diff-0", "fig-heat-a-start", "fig-heat-a-end", "fig-heat-b-start",
                      "fig-heat-b-end", "fig-net-a", "fig-net-b", "fig-outcome-0", "fig-hist-0", "fig-scatter"});
  const std::string html = read_text(dir_ / "c/report.html");
  EXPECT_NE(html.find("P(B &gt; A)"), std::string::npos);
  EXPECT_NE(html.find("#0072B2"), std::string::npos);
  EXPECT_NE(html.find("#D55E00"), std::string::npos);
}

TEST_F(ReportCli, SweepFolderWithNoReportThenGeosimReport) {
  ASSERT_EQ(run_cli(fmt::format("sweep scenarios/tests/sweep_world.yaml --runs 25 -q --no-report --out {}", out("s"))).code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "s/report.html"));
  const auto result = run_cli(fmt::format("report {}", out("s")));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("report.html"), std::string::npos);
  expect_good_report(dir_ / "s/report.html", {"fig-fan-0", "fig-heat-start", "fig-heat-end", "fig-net",
                                              "fig-outcome-0", "fig-hist-0", "fig-scatter"});
  EXPECT_EQ(read_text(dir_ / "s/report.html").find("fig-diff-"), std::string::npos);
}

// The folder name carries markup characters: they must come out escaped.
TEST_F(ReportCli, RunFolderWithMarkupInItsPath) {
  const auto result = run_cli(fmt::format("run scenarios/tests/three_states.yaml -q --report --out {}", out("r&d <x>")));
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(read_text(dir_ / "r&d <x>/affinity.csv").rfind("when,i,j,mean\n", 0), 0u);
  expect_good_report(dir_ / "r&d <x>/report.html", {"fig-fan-0", "fig-heat-start", "fig-heat-end", "fig-net", "fig-outcome-0"});
  EXPECT_NE(read_text(dir_ / "r&d <x>/report.html").find("r&amp;d &lt;x&gt;"), std::string::npos);
}

TEST_F(ReportCli, RefusesAFolderWithoutResults) {
  std::filesystem::create_directories(dir_ / "empty");
  for (const std::string& folder : {out("empty"), out("missing")}) {
    const auto result = run_cli(fmt::format("report {}", folder));
    EXPECT_EQ(result.code, 2) << folder;
    EXPECT_NE(result.err.find("not a run, sweep, compare or experiment folder"), std::string::npos) << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "empty/report.html"));
}

}  // namespace
}  // namespace geosim
