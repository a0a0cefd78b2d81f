#include "geosim/params.h"

#include <array>
#include <limits>

namespace geosim {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr std::array<ParamInfo, 21> kParams{{
    {"engagement_rate", "gamma", &Params::engagement_rate, 0, 1, false,
     "P1: share of the gap to the target attention closed per tick"},
    {"attention_floor", "eps_a", &Params::attention_floor, 0, kInf, false,
     "P1: attention every partner gets regardless of trade"},
    {"institution_weight", "iota", &Params::institution_weight, 0, kInf, false,
     "P2: interaction added by each shared institution (divided by its size)"},
    {"coop_steepness", "beta", &Params::coop_steepness, 0, kInf, false,
     "P3: steepness of the cooperation logistic in issue compatibility"},
    {"coop_threshold", "theta", &Params::coop_threshold, 0, 1, false,
     "P3: compatibility at which cooperation is even odds (without affinity)"},
    {"coop_affinity_weight", "kappa", &Params::coop_affinity_weight, -kInf, kInf, false,
     "P3: weight of affinity in the propensity to cooperate"},
    {"affinity_rate", "alpha", &Params::affinity_rate, 0, 1, false,
     "P4: rate at which affinity follows net cooperation"},
    {"exploitation_penalty", "chi", &Params::exploitation_penalty, 0, kInf, false,
     "P4: affinity lost per unit of being exploited"},
    {"balance_rate", "eta", &Params::balance_rate, 0, kInf, false,
     "P4: strength of structural-balance pressure"},
    {"affinity_reversion", "rho", &Params::affinity_reversion, 0, 1, false,
     "P4: pull of affinity back toward its baseline A0"},
    {"self_weight", "omega", &Params::self_weight, 0, kInf, false,
     "P5: weight of an agent's own position in its influence average"},
    {"trade_growth", "g_e", &Params::trade_growth, -1, kInf, false,
     "P6: trade growth per tick at baseline affinity"},
    {"trade_affinity", "zeta", &Params::trade_affinity, -kInf, kInf, false,
     "P6: trade growth per unit of affinity above its baseline"},
    {"capital_share", "phi_K", &Params::capital_share, 0, kInf, false,
     "P6: default capital pool per tick per unit of capability share (US$ bn)"},
    {"invest_rate", "phi_I", &Params::invest_rate, 0, kInf, false,
     "P6: share of the capital pool that can flow to a region per tick"},
    {"invest_steepness", "beta_I", &Params::invest_steepness, 0, kInf, false,
     "P6: steepness of the investment logistic in alignment with the host"},
    {"invest_threshold", "theta_I", &Params::invest_threshold, 0, 1, false,
     "P6: alignment with the host at which investment is even odds"},
    {"invest_affinity_weight", "kappa_I", &Params::invest_affinity_weight, -kInf, kInf, false,
     "P6: weight of affinity toward the host in investment"},
    {"invest_depreciation", "delta_I", &Params::invest_depreciation, 0, 1, false,
     "P6: share of an investment stock written off per tick"},
    {"bloc_threshold", "bloc_threshold", &Params::bloc_threshold, -1, 1, false,
     "metrics: mutual affinity above which two agents share a bloc"},
    {"bdm_interval", "bdm_interval", &Params::bdm_interval, 1, kInf, false, "cadence of the bdm rule in ticks"},
}};
}  // namespace

std::span<const ParamInfo> param_table() { return kParams; }

const ParamInfo* find_param(std::string_view key) {
  for (const auto& info : kParams) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

}  // namespace geosim
