#!/usr/bin/env python3
"""Calibrate scenarios/baseline_2013.yaml from scenarios/data/*.csv (standard library only).

Prints the YAML that baseline_2013.yaml holds for the calibrated inputs, so that the mapping
from data to model is reproducible:

  capability (c_i)   = COW NMC v7.0 CINC 2012, as published (capabilities_2012.csv, cinc).
                       All 20 states have one. Only shares are used by the model.
  capital (K_i)      = phi_K * GDP share * d_i, rounded to 0.01 (US$ bn per tick), where
                       phi_K = 50 (MODEL.md default), GDP = World Bank 2012 current US$
                       (gdp_wb_usd_2012), the share is taken over the 19 states other than PRK,
                       and d_i = 1 for the Far East's Northeast Asian neighbours (CHN, JPN, KOR)
                       and 0.5 for every other state (a crude gravity-style distance discount).
                       TWN has no World Bank GDP: it is imputed as its AFM PPP GDP 2012 times the
                       pooled ratio sum(WB) / sum(AFM PPP) over the 18 states that have both.
                       PRK has no World Bank GDP and no outward investment to speak of: 0.
  A0_ij (symmetric)  = clip(kbar_ij + 0.40 defence_ij + 0.15 consultation_ij, -1, 1), rounded to
                       0.01, where kbar_ij is the mean of Cohen's kappa (primary, resolution-level
                       columns) over the four UNGA sessions 2010-2013 (unga_agreement_2010_2013.csv)
                       and defence / consultation are the ATOP 2013 flags (alliances_2013.csv).
                       TWN casts no UN votes: kbar = 0 (chance agreement, no information) for all
                       its dyads, and two stated exceptions replace the missing alliance data:
                       USA-TWN gets the defence term (+0.40: the Taiwan Relations Act, outside
                       ATOP) and CHN-TWN a cross-strait term of -0.20.
  trade e_ij         = COW Dyadic Trade v4.0 total_trade 2012 / 1000 (US$ bn a year), rounded to
                       0.01. The one missing flow (LAO-PRK, PRK's imports from Laos) is taken as 0
                       (the reported flow of the pair is 0).

Usage:  python3 scenarios/tools/calibrate.py            # the YAML blocks
        python3 scenarios/tools/calibrate.py --checks   # the seed-figure checks and diagnostics
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

# Scenario order of the 20 agents (baseline_2013.yaml uses the same order).
AGENTS = ["USA", "RUS", "CHN", "JPN", "KOR", "PRK", "TWN", "VNM", "PHL", "IDN",
          "MYS", "SGP", "THA", "BRN", "MMR", "KHM", "LAO", "IND", "AUS", "NZL"]
NEIGHBOURS = {"CHN", "JPN", "KOR"}        # distance factor 1; all others 0.5 (PRK: 0 anyway)
PHI_K = 50.0
W_DEFENCE = 0.40
W_CONSULT = 0.15
KAPPA_YEARS = (2010, 2011, 2012, 2013)
# Dyads without UN vote data (TWN) get kbar = 0 plus these stated terms.
TWN_TERMS = {("TWN", "USA"): W_DEFENCE, ("CHN", "TWN"): -0.20}


def read(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def key(a, b):
    return (a, b) if a < b else (b, a)


def rnd(x, digits=2):
    # Round half away from zero on the decimal text, so that C++ and Python agree.
    q = 10 ** digits
    v = abs(x) * q
    r = int(v + 0.5 + 1e-9)
    return (r / q) * (1 if x >= 0 else -1)


def load():
    caps = {r["iso3"]: r for r in read("capabilities_2012.csv")}
    kappa = {}
    for r in read("unga_agreement_2010_2013.csv"):
        if int(r["year"]) in KAPPA_YEARS:
            kappa.setdefault(key(r["iso3_a"], r["iso3_b"]), []).append(float(r["kappa"]))
    alliances = {key(r["iso3_a"], r["iso3_b"]): r for r in read("alliances_2013.csv")}
    trade = {key(r["iso3_a"], r["iso3_b"]): r for r in read("trade_2012.csv")}
    return caps, kappa, alliances, trade


def gdp_table(caps):
    both = [c for c in AGENTS if caps[c]["gdp_wb_usd_2012"] and caps[c]["gdp_afm_ppp2011_2012"]]
    ratio = (sum(float(caps[c]["gdp_wb_usd_2012"]) for c in both)
             / sum(float(caps[c]["gdp_afm_ppp2011_2012"]) for c in both))
    gdp = {}
    for c in AGENTS:
        if c == "PRK":
            continue
        wb = caps[c]["gdp_wb_usd_2012"]
        gdp[c] = float(wb) if wb else float(caps[c]["gdp_afm_ppp2011_2012"]) * ratio
    return gdp, ratio


def capital(caps):
    gdp, ratio = gdp_table(caps)
    total = sum(gdp.values())
    out = {}
    for c in AGENTS:
        if c == "PRK":
            out[c] = (0.0, 0.0, 0.0)
            continue
        share = gdp[c] / total
        d = 1.0 if c in NEIGHBOURS else 0.5
        out[c] = (rnd(PHI_K * share * d), share, d)
    return out, ratio


def affinity(a, b, kappa, alliances):
    k = key(a, b)
    al = alliances[k]
    d, cons = int(al["defense"]), int(al["consultation"])
    if "TWN" in k:
        kbar = 0.0
        extra = TWN_TERMS.get(k, 0.0)
    else:
        vals = kappa[k]
        assert len(vals) == len(KAPPA_YEARS), k
        kbar = sum(vals) / len(vals)
        extra = 0.0
    raw = kbar + W_DEFENCE * d + W_CONSULT * cons + extra
    return rnd(max(-1.0, min(1.0, raw))), kbar, d, cons, extra


def trade_bn(a, b, trade):
    r = trade[key(a, b)]
    f1 = float(r["flow1"]) if r["flow1"] else 0.0
    f2 = float(r["flow2"]) if r["flow2"] else 0.0
    return f1 + f2  # US$ million


def blocks():
    caps, kappa, alliances, trade = load()
    cap, ratio = capital(caps)
    cinc_total = sum(float(caps[c]["cinc"]) for c in AGENTS)
    print("# agents: capability = CINC 2012; capital = 50 x GDP share x distance factor")
    print(f"# (TWN GDP imputed with WB/AFM ratio {ratio:.4f})")
    for c in AGENTS:
        cinc = float(caps[c]["cinc"])
        k, share, d = cap[c]
        print(f"  {c}: capability: {caps[c]['cinc']}   # CINC 2012, share {cinc / cinc_total:.3f}")
        if c == "PRK":
            print(f"  {c}: capital: {k:.2f}   # no World Bank GDP, no outward investment: 0")
        else:
            print(f"  {c}: capital: {k:.2f}   # 50 x GDP share {share:.4f} x {d:g}")
    print()
    print("relations:")
    for i, a in enumerate(AGENTS):
        for b in AGENTS[i + 1:]:
            a0, kbar, d, cons, extra = affinity(a, b, kappa, alliances)
            e = rnd(trade_bn(a, b, trade) / 1000.0)
            why = []
            if "TWN" in (a, b):
                why.append("no UN votes: kbar 0")
            else:
                why.append(f"kbar {kbar:+.3f}")
            if d:
                why.append("defence")
            if cons:
                why.append("consultation")
            if extra > 0:
                why.append("TRA (defence term)")
            elif extra < 0:
                why.append("cross-strait term")
            item = f"  - {{between: [{a}, {b}], affinity: {a0:.2f}, trade: {e:.2f}}}"
            print(f"{item:<66}# {', '.join(why)}")


def checks():
    caps, kappa, alliances, trade = load()
    t = lambda a, b: trade_bn(a, b, trade) / 1000.0
    asia = [c for c in AGENTS if c not in ("USA", "RUS", "AUS", "NZL")]
    rus_asia = sum(t("RUS", c) for c in asia)
    rus_asia_oc = sum(t("RUS", c) for c in AGENTS if c not in ("USA", "RUS"))
    apec = ["USA", "CHN", "JPN", "KOR", "TWN", "VNM", "PHL", "IDN", "MYS", "SGP", "THA", "BRN",
            "AUS", "NZL"]
    print("Seed-figure checks (COW 2012, US$ bn):")
    print(f"  RUS-CHN trade                 {t('RUS', 'CHN'):8.2f}   seed: $83 bn in 2011")
    print(f"  CHN share of RUS trade in Asia {t('RUS', 'CHN') / rus_asia:7.3f}   (Asia = the 16 Asian"
          f" states of the set; {t('RUS', 'CHN') / rus_asia_oc:.3f} with AUS and NZL) seed: about half")
    print(f"  RUS trade with Asian states   {rus_asia:8.2f}")
    print(f"  RUS trade with APEC states    {sum(t('RUS', c) for c in apec):8.2f}   seed: $96 bn"
          " (only 15 of 21 APEC economies are in the set)")
    print(f"  USA-CHN trade                 {t('USA', 'CHN'):8.2f}   seed: above $550 bn")
    print(f"  RUS-VNM trade                 {t('RUS', 'VNM'):8.2f}   seed: more than $3.5 bn")
    ranked = sorted(((t("RUS", c), c) for c in AGENTS if c != "RUS"), reverse=True)
    print("  RUS partners by trade          " + ", ".join(f"{c} {v:.1f}" for v, c in ranked[:5]))
    print()
    print("A0 diagnostics: 2013-only kappa against the 2010-2013 mean")
    diffs = []
    for i, a in enumerate(AGENTS):
        for b in AGENTS[i + 1:]:
            k = key(a, b)
            if "TWN" in k:
                continue
            k13 = [float(r) for r in [kappa[k][-1]]][0]
            diffs.append((abs(k13 - sum(kappa[k]) / 4), a, b, k13, sum(kappa[k]) / 4))
    diffs.sort(reverse=True)
    mean_abs = sum(d[0] for d in diffs) / len(diffs)
    print(f"  mean |k2013 - kbar| = {mean_abs:.3f}; largest: " +
          ", ".join(f"{a}-{b} {k13:+.2f} vs {kb:+.2f}" for _, a, b, k13, kb in diffs[:5]))


if __name__ == "__main__":
    if "--checks" in sys.argv[1:]:
        checks()
    else:
        blocks()
