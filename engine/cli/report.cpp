// `geosim report DIR`: report.html for a run, sweep or compare folder (README, "Reports").
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "geosim/report.h"

namespace geosim::cli {
namespace {

struct Args {
  std::string dir;
  bool quiet = false;
};

int report_command(const Args& args) {
  const auto path = write_report(args.dir);
  if (!args.quiet) fmt::print(stderr, "wrote {}\n", path.string());
  return kOk;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("report", "Write report.html (self-contained figures) for a run, sweep, compare or experiment folder");
  cmd->add_option("DIR", args->dir, "The folder written by geosim run, sweep or compare")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing");
  cmd->callback([args, &exit_code] { exit_code = report_command(*args); });
}

}  // namespace geosim::cli
