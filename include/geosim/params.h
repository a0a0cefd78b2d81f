#pragma once
#include <span>
#include <string_view>

namespace geosim {

/// The model's tunable constants (MODEL.md sections 8 and 9), per quarterly tick.
/// Field names are the scenario keys under `params:`; comments give the MODEL.md symbol.
struct Params {
  double engagement_rate = 0.10;         ///< gamma, P1
  double attention_floor = 0.05;         ///< eps_a, P1
  double institution_weight = 0.05;      ///< iota, P2
  double coop_steepness = 6.0;           ///< beta, P3
  double coop_threshold = 0.5;           ///< theta, P3
  double coop_affinity_weight = 2.0;     ///< kappa, P3
  double affinity_rate = 0.10;           ///< alpha, P4
  double exploitation_penalty = 0.05;    ///< chi, P4
  double balance_rate = 0.05;            ///< eta, P4
  double affinity_reversion = 0.02;      ///< rho, P4
  double self_weight = 1.0;              ///< omega, P5
  double trade_growth = 0.01;            ///< g_e, P6
  double trade_affinity = 0.02;          ///< zeta, P6
  double capital_share = 50.0;           ///< phi_K, P6
  double invest_rate = 0.01;             ///< phi_I, P6
  double invest_steepness = 6.0;         ///< beta_I, P6
  double invest_threshold = 0.5;         ///< theta_I, P6
  double invest_affinity_weight = 2.0;   ///< kappa_I, P6
  double invest_depreciation = 0.02;     ///< delta_I, P6
  double bloc_threshold = 0.2;           ///< bloc_threshold, metrics
  double bdm_interval = 1.0;             ///< cadence of the bdm rule in ticks (integer part), MODEL.md section 7
};

/// Describes one field of Params: its scenario key, MODEL.md symbol, closed range and meaning.
struct ParamInfo {
  std::string_view key;
  std::string_view symbol;
  double Params::*field;
  double min;  ///< inclusive lower bound (-inf when unbounded)
  double max;  ///< inclusive upper bound (+inf when unbounded)
  bool max_exclusive;
  std::string_view meaning;
};

/// Every parameter, in MODEL.md section 9 order.
std::span<const ParamInfo> param_table();

/// The entry for `key`, or nullptr.
const ParamInfo* find_param(std::string_view key);

}  // namespace geosim
