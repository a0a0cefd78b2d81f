// The forecast of `geosim bdm` and its reports: terminal table, rounds.csv, offers.csv, JSON.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bdm_commands.h"

namespace geosim::cli::bdm {
namespace {

using agents::bdm::Offer;
using agents::bdm::Round;

std::size_t at(int index) { return static_cast<std::size_t>(index); }

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string scale_note(const agents::bdm::Table& table) {
  auto scale = [](bool percent) { return percent ? "0-100" : "unit"; };
  return fmt::format("capability on the {} scale, salience on the {} scale", scale(table.capability_percent),
                     scale(table.salience_percent));
}

std::size_t name_width(const Forecast& forecast) {
  std::size_t width = 5;
  for (const std::string& name : forecast.table.names) width = std::max(width, name.size());
  return width;
}

std::string offer_line(const Forecast& forecast, const Offer& offer, std::size_t width) {
  const auto& names = forecast.table.names;
  return fmt::format("  {:<{}}  {:<{}}  {:<13}  {:>10.6f}  {:>10.6f}  {:>12.6f}\n", names[at(offer.actor)], width,
                     names[at(offer.proposer)], width, agents::bdm::kind_name(offer.kind), offer.eu_actor,
                     offer.eu_proposer, offer.position);
}

std::string round_block(const Forecast& forecast, int r, std::size_t width) {
  const Round& round = forecast.rounds[at(r - 1)];
  std::string out = fmt::format("\nround {}: median {:.6f}, mean {:.6f}\n", r, forecast.medians[at(r)], forecast.means[at(r)]);
  out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>14}\n", "actor", width, "security", "risk r", "position after");
  for (std::size_t i = 0; i < forecast.table.names.size(); ++i) {
    out += fmt::format("  {:<{}}  {:>10.6f}  {:>10.6f}  {:>14.6f}\n", forecast.table.names[i], width, round.security[i],
                       round.risk[i], forecast.positions[at(r)][i]);
  }
  if (round.accepted.empty()) return out + "  no offer taken: nobody moves\n";
  out += fmt::format("  offers taken ({} of {} made):\n", round.accepted.size(), round.offers.size());
  out += fmt::format("  {:<{}}  {:<{}}  {:<13}  {:>10}  {:>10}  {:>12}\n", "actor", width, "proposer", width, "kind",
                     "E_ij", "E_ji", "new position");
  for (const Offer& offer : round.accepted) out += offer_line(forecast, offer, width);
  return out;
}

// round.accepted is in actor order, at most one offer per actor.
bool is_accepted(const Round& round, const Offer& offer) {
  const auto taken = std::lower_bound(round.accepted.begin(), round.accepted.end(), offer.actor,
                                      [](const Offer& a, int actor) { return a.actor < actor; });
  return taken != round.accepted.end() && taken->actor == offer.actor && taken->proposer == offer.proposer;
}

nlohmann::ordered_json by_name(const Forecast& forecast, const std::vector<double>& values) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < values.size(); ++i) json[forecast.table.names[i]] = values[i];
  return json;
}

nlohmann::ordered_json offer_json(const Forecast& forecast, const Round& round, const Offer& offer) {
  return {{"actor", forecast.table.names[at(offer.actor)]},
          {"proposer", forecast.table.names[at(offer.proposer)]},
          {"kind", agents::bdm::kind_name(offer.kind)},
          {"e_ij", offer.eu_actor},
          {"e_ji", offer.eu_proposer},
          {"position", offer.position},
          {"accepted", is_accepted(round, offer)}};
}

nlohmann::ordered_json round_json(const Forecast& forecast, int r) {
  nlohmann::ordered_json json{{"round", r}, {"median", forecast.medians[at(r)]}, {"mean", forecast.means[at(r)]}};
  json["positions"] = by_name(forecast, forecast.positions[at(r)]);
  if (r == 0) return json;
  const Round& round = forecast.rounds[at(r - 1)];
  json["security"] = by_name(forecast, round.security);
  json["risk"] = by_name(forecast, round.risk);
  json["offers"] = nlohmann::ordered_json::array();
  for (const Offer& offer : round.offers) json["offers"].push_back(offer_json(forecast, round, offer));
  return json;
}

nlohmann::ordered_json table_json(const agents::bdm::Table& table) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int i = 0; i < table.actors.size(); ++i) {
    rows.push_back({{"actor", table.names[at(i)]},
                    {"capability", table.actors.capability[at(i)]},
                    {"position", table.actors.position[at(i)]},
                    {"salience", table.actors.salience[at(i)]}});
  }
  return rows;
}

}  // namespace

Forecast run_forecast(agents::bdm::Table table, int rounds) {
  Forecast forecast{std::move(table), {}, {}, {}, {}};
  agents::bdm::Actors actors = forecast.table.actors;
  auto record = [&] {
    forecast.positions.push_back(actors.position);
    forecast.medians.push_back(agents::bdm::weighted_median(actors));
    forecast.means.push_back(agents::bdm::weighted_mean(actors));
  };
  record();
  for (int r = 1; r <= rounds; ++r) {
    forecast.rounds.push_back(agents::bdm::play_round(actors, true));
    actors.position = forecast.rounds.back().position;
    record();
  }
  return forecast;
}

std::string terminal_report(const Forecast& forecast) {
  const std::size_t width = name_width(forecast);
  const std::size_t rounds = forecast.rounds.size();
  std::string out = fmt::format("{}: {} actors, {} round{} ({})\n", forecast.table.file, forecast.table.names.size(),
                                rounds, rounds == 1 ? "" : "s", scale_note(forecast.table));
  out += "E_ij: the actor's expected utility of challenging the proposer; E_ji: its estimate of the proposer's\n";
  out += fmt::format("\nround 0 (the table): median {:.6f}, mean {:.6f}\n", forecast.medians[0], forecast.means[0]);
  for (int r = 1; r <= static_cast<int>(forecast.rounds.size()); ++r) out += round_block(forecast, r, width);
  return out;
}

std::string rounds_csv(const Forecast& forecast) {
  std::string out = "round,actor,position\n";
  for (std::size_t r = 0; r < forecast.positions.size(); ++r) {
    for (std::size_t i = 0; i < forecast.table.names.size(); ++i) {
      out += fmt::format("{},{},{}\n", r, csv_cell(forecast.table.names[i]), forecast.positions[r][i]);
    }
  }
  return out;
}

std::string offers_csv(const Forecast& forecast) {
  std::string out = "round,actor,proposer,kind,e_ij,e_ji,position,accepted\n";
  const auto& names = forecast.table.names;
  for (std::size_t r = 0; r < forecast.rounds.size(); ++r) {
    const Round& round = forecast.rounds[r];
    for (const Offer& offer : round.offers) {
      out += fmt::format("{},{},{},{},{},{},{},{}\n", r + 1, csv_cell(names[at(offer.actor)]),
                         csv_cell(names[at(offer.proposer)]), agents::bdm::kind_name(offer.kind), offer.eu_actor,
                         offer.eu_proposer, offer.position, is_accepted(round, offer) ? 1 : 0);
    }
  }
  return out;
}

std::string summary_json(const Forecast& forecast) {
  nlohmann::ordered_json json;
  json["file"] = forecast.table.file;
  json["actors"] = forecast.table.names.size();
  json["rounds"] = forecast.rounds.size();
  json["capability_scale"] = forecast.table.capability_percent ? "percent" : "unit";
  json["salience_scale"] = forecast.table.salience_percent ? "percent" : "unit";
  json["table"] = table_json(forecast.table);
  json["history"] = nlohmann::ordered_json::array();
  for (int r = 0; r <= static_cast<int>(forecast.rounds.size()); ++r) json["history"].push_back(round_json(forecast, r));
  return json.dump(2) + "\n";
}

}  // namespace geosim::cli::bdm
