#pragma once
// Internal to `geosim bdm`: the forecast's report formats and the import subcommand.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "bdm.h"
#include "bdm_table.h"

namespace geosim::cli::bdm {

/// A forecast: the table and its rounds. Row r of `positions`, `medians` and `means` is the state
/// after round r (row 0: the table); `rounds[r - 1]` is what round r computed.
struct Forecast {
  agents::bdm::Table table;
  std::vector<agents::bdm::Round> rounds;
  std::vector<std::vector<double>> positions;
  std::vector<double> medians;
  std::vector<double> means;
};

/// Runs `rounds` rounds from the table, keeping every offer.
Forecast run_forecast(agents::bdm::Table table, int rounds);

/// The readable terminal report: per round the median and mean, every actor's security, risk
/// exponent and position, and the offers taken.
std::string terminal_report(const Forecast& forecast);
/// rounds.csv: round,actor,position (round 0 is the table).
std::string rounds_csv(const Forecast& forecast);
/// offers.csv: round,actor,proposer,kind,e_ij,e_ji,position,accepted (every offer made).
std::string offers_csv(const Forecast& forecast);
/// summary.json (also what --json prints): the table, then per round the median, mean,
/// positions, security, risk exponents and offers. Numbers are exact (shortest round trip).
std::string summary_json(const Forecast& forecast);

/// Adds `geosim bdm import` under the `bdm` command.
CLI::App* register_import(CLI::App& bdm, int& exit_code);

}  // namespace geosim::cli::bdm
