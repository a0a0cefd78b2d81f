// `geosim bdm import TABLE.csv --scenario BASE.yaml --issue ID`: a table of actors as a scenario
// overlay that sets the agents' positions (and optionally saliences) on one issue.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "bdm_commands.h"
#include "commands.h"
#include "common.h"
#include "geosim/io.h"

namespace geosim::cli::bdm {
namespace {

namespace fs = std::filesystem;
using agents::bdm::Table;

struct ImportArgs {
  std::string table;
  std::string scenario;
  std::string issue;
  std::string salience = "keep";
  std::string scale = "auto";
  std::optional<std::string> out;
};

std::size_t at(int index) { return static_cast<std::size_t>(index); }

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

IssueIndex find_issue(const ScenarioSpec& spec, const ImportArgs& args) {
  if (auto issue = spec.find_issue(args.issue)) return *issue;
  std::vector<std::string> known;
  for (const IssueSpec& issue : spec.issues) known.push_back(issue.id);
  throw InputError({{{args.scenario, 0, 0},
                     fmt::format("--issue: no issue '{}' in the scenario; its issues: {}", args.issue, fmt::join(known, ", ")),
                     ""}});
}

std::string suggestion(const ScenarioSpec& spec, const std::string& name) {
  for (const AgentSpec& agent : spec.agents) {
    if (lower(agent.id) == lower(name)) return fmt::format("; did you mean '{}'?", agent.id);
  }
  return "";
}

// The agent of each actor, matched by id exactly; every unmatched actor is an error at its row.
std::vector<AgentIndex> match_agents(const ScenarioSpec& spec, const Table& table, const std::string& scenario) {
  std::vector<std::string> ids;
  for (const AgentSpec& agent : spec.agents) ids.push_back(agent.id);
  std::vector<AgentIndex> agents;
  std::vector<Diagnostic> errors;
  for (std::size_t i = 0; i < table.names.size(); ++i) {
    if (auto agent = spec.find_agent(table.names[i])) {
      agents.push_back(*agent);
      continue;
    }
    errors.push_back({{table.file, table.lines[i], 1},
                      fmt::format("actor '{}' is not an agent of {} (ids are matched case-sensitively; agents: {}){}",
                                  table.names[i], scenario, fmt::join(ids, ", "), suggestion(spec, table.names[i])),
                      ""});
  }
  if (!errors.empty()) throw InputError(errors);
  return agents;
}

// The agent's saliences with `value` on `issue` and its other issues rescaled in proportion so that
// all sum to 1 (spread evenly when they were all 0; with a single issue its salience stays 1).
std::vector<double> replaced_saliences(const AgentSpec& agent, IssueIndex issue, double value) {
  std::vector<double> result;
  double others = 0;
  for (const InterestSpec& interest : agent.interests) result.push_back(interest.salience);
  if (result.size() == 1) return {1.0};
  for (std::size_t k = 0; k < result.size(); ++k) others += k == at(issue) ? 0.0 : result[k];
  for (std::size_t k = 0; k < result.size(); ++k) {
    const double share = others > 0 ? result[k] / others : 1.0 / static_cast<double>(result.size() - 1);
    result[k] = k == at(issue) ? value : (1 - value) * share;
  }
  return result;
}

std::string extends_path(const ImportArgs& args) {
  const fs::path from = args.out ? fs::absolute(*args.out).parent_path() : fs::current_path();
  std::error_code error;
  const fs::path relative = fs::relative(fs::absolute(args.scenario), from, error);
  return (error || relative.empty() ? fs::absolute(args.scenario) : relative).generic_string();
}

struct Rescale {
  double low = 0;
  double high = 0;
  /// (x - min) / (max - min) of the table; 0.5 for every actor when all positions are equal.
  double operator()(double x) const { return high > low ? (x - low) / (high - low) : 0.5; }
};

std::string header(const ImportArgs& args, const Rescale& rescale) {
  std::string out = fmt::format("# Made by: geosim bdm import {} --scenario {} --issue {} --salience {}\n", args.table,
                                args.scenario, args.issue, args.salience);
  out += fmt::format("# Positions on '{}': the table's, rescaled to [0, 1] by (x - min) / (max - min) with the table's\n"
                     "# min = {} and max = {}.\n",
                     args.issue, rescale.low, rescale.high);
  out += args.salience == "replace"
             ? fmt::format("# Saliences: the table's on '{}'; each agent's other issues rescaled so that its saliences sum to 1.\n", args.issue)
             : std::string("# Saliences: the agents' own, unchanged.\n");
  return out;
}

std::string agent_yaml(const ScenarioSpec& spec, AgentIndex agent, double position, const std::optional<double>& salience,
                       const ImportArgs& args) {
  const AgentSpec& a = spec.agents[at(agent)];
  const IssueIndex issue = *spec.find_issue(args.issue);
  std::string out = fmt::format("  - id: {}\n    interests:\n", a.id);
  if (!salience) return out + fmt::format("      {}: {{position: {}}}\n", args.issue, position);
  const std::vector<double> saliences = replaced_saliences(a, issue, *salience);
  for (int k = 0; k < spec.issue_count(); ++k) {
    const std::string& id = spec.issues[at(k)].id;
    if (k == issue) out += fmt::format("      {}: {{position: {}, salience: {}}}\n", id, position, saliences[at(k)]);
    else out += fmt::format("      {}: {{salience: {}}}\n", id, saliences[at(k)]);
  }
  return out;
}

std::string overlay_yaml(const ScenarioSpec& spec, const Table& table, const std::vector<AgentIndex>& agents,
                         const ImportArgs& args) {
  const auto& x = table.actors.position;
  const auto [low, high] = std::minmax_element(x.begin(), x.end());
  const Rescale rescale{*low, *high};
  std::string out = header(args, rescale);
  out += fmt::format("extends: {}\nagents:\n", nlohmann::json(extends_path(args)).dump());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const bool replace = args.salience == "replace";
    out += agent_yaml(spec, agents[i], rescale(x[i]), replace ? std::optional(table.actors.salience[i]) : std::nullopt, args);
  }
  return out;
}

int import_command(const ImportArgs& args) {
  const ScenarioSpec spec = load(args.scenario);
  find_issue(spec, args);
  const auto scale = agents::bdm::parse_scale(args.scale).value_or(agents::bdm::Scale::kAuto);
  const Table table = agents::bdm::read_table(args.table, scale);
  const std::string overlay = overlay_yaml(spec, table, match_agents(spec, table, args.scenario), args);
  if (args.salience == "replace" && spec.issue_count() == 1) {
    fmt::print(stderr, "note: the scenario has one issue, so every salience stays 1\n");
  }
  if (!args.out) {
    std::cout << overlay;
    return kOk;
  }
  write_file_atomically(*args.out, overlay);
  fmt::print(stderr, "wrote {}: {} agents on issue '{}'\n", *args.out, table.names.size(), args.issue);
  return kOk;
}

}  // namespace

CLI::App* register_import(CLI::App& bdm, int& exit_code) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = bdm.add_subcommand("import", "Write a scenario overlay that puts a table of actors on one issue");
  cmd->add_option("TABLE", args->table, "CSV with the columns Actor, Capability, Position, Salience")->required();
  cmd->add_option("--scenario", args->scenario, "The scenario the overlay extends")->required();
  cmd->add_option("--issue", args->issue, "The scenario issue the table is about")->required();
  cmd->add_option("--salience", args->salience,
                  "keep: only set positions (default); replace: set the table's salience on the issue and rescale "
                  "the agent's other issues so that its saliences sum to 1")
      ->check(CLI::IsMember({"keep", "replace"}));
  cmd->add_option("--scale", args->scale, "Capability and salience scale of the table: auto, unit or percent")
      ->check(CLI::IsMember({"auto", "unit", "percent"}));
  cmd->add_option("--out", args->out, "Write the overlay to this file (default: stdout)");
  cmd->callback([args, &exit_code] { exit_code = import_command(*args); });
  return cmd;
}

}  // namespace geosim::cli::bdm
