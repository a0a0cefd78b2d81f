// `geosim validate FILE...`: every file, every error, exit 2 if any file is invalid.
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "common.h"

namespace geosim::cli {
namespace {

struct ValidateArgs {
  std::vector<std::string> files;
  bool quiet = false;
};

int validate_command(const ValidateArgs& args) {
  int status = kOk;
  for (const std::string& file : args.files) {
    try {
      const ScenarioSpec spec = load(file);
      if (!args.quiet) {
        fmt::print("{}: ok: {} agents, {} issues, {} ticks\n", file, spec.agent_count(), spec.issue_count(),
                   spec.run.ticks);
      }
    } catch (const InputError& error) {
      fmt::print(stderr, "{}\n", error.formatted());
      const std::size_t count = error.diagnostics().size();
      fmt::print(stderr, "{}: {} error{}\n", file, count, count == 1 ? "" : "s");
      status = std::max<int>(status, kInvalid);
    } catch (const IoError& error) {
      fmt::print(stderr, "{}\n", error.what());
      status = std::max<int>(status, kFailure);
    }
  }
  return status;
}

}  // namespace

void register_validate(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand("validate", "Parse, overlay and check scenarios; report every error at once");
  cmd->add_option("FILE", args->files, "Scenario YAML files")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing for valid files");
  cmd->callback([args, &exit_code] { exit_code = validate_command(*args); });
}

}  // namespace geosim::cli
