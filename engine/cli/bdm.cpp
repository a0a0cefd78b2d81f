// `geosim bdm FILE.csv ...`: Bueno de Mesquita's forecast on a table of actors (MODEL.md section
// 7); `geosim bdm import ...` (bdm_import.cpp) turns such a table into a scenario overlay.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "bdm_commands.h"
#include "commands.h"
#include "geosim/io.h"

namespace geosim::cli {
namespace {

struct ForecastArgs {
  std::string file;
  int rounds = 3;
  std::optional<std::string> out;
  bool json = false;
  std::string scale = "auto";
};

void write_outputs(const std::filesystem::path& dir, const bdm::Forecast& forecast) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw IoError(fmt::format("{}: error: cannot create folder: {}", dir.string(), error.message()));
  write_file_atomically(dir / "rounds.csv", bdm::rounds_csv(forecast));
  write_file_atomically(dir / "offers.csv", bdm::offers_csv(forecast));
  write_file_atomically(dir / "summary.json", bdm::summary_json(forecast));
  fmt::print(stderr, "wrote {0}/rounds.csv, {0}/offers.csv and {0}/summary.json\n", dir.string());
}

int forecast_command(const ForecastArgs& args) {
  if (args.file.empty()) throw CLI::RequiredError("FILE");
  const auto scale = agents::bdm::parse_scale(args.scale).value_or(agents::bdm::Scale::kAuto);
  const bdm::Forecast forecast = bdm::run_forecast(agents::bdm::read_table(args.file, scale), args.rounds);
  if (args.out) write_outputs(*args.out, forecast);
  std::cout << (args.json ? bdm::summary_json(forecast) : bdm::terminal_report(forecast));
  return kOk;
}

}  // namespace

void register_bdm(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ForecastArgs>();
  CLI::App* cmd = app.add_subcommand("bdm", "Bueno de Mesquita's expected-utility forecast on a table of actors");
  cmd->add_option("FILE", args->file, "CSV with the columns Actor, Capability, Position, Salience");
  cmd->add_option("--rounds", args->rounds, "Number of rounds (default 3)")->check(CLI::Range(1, 1000000));
  cmd->add_option("--out", args->out, "Write rounds.csv, offers.csv and summary.json into this folder");
  cmd->add_flag("--json", args->json, "Print summary.json instead of the table");
  cmd->add_option("--scale", args->scale,
                  "Capability and salience scale: auto (0-100 when a column has a value > 1), unit or percent")
      ->check(CLI::IsMember({"auto", "unit", "percent"}));
  cmd->require_subcommand(0, 1);
  CLI::App* import = bdm::register_import(*cmd, exit_code);
  cmd->callback([args, import, &exit_code] {
    if (!import->parsed()) exit_code = forecast_command(*args);
  });
}

}  // namespace geosim::cli
