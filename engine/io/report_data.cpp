// Reading a run, sweep or compare folder for report.html. The CSV files are the engine's own
// (no quoting except runs.csv's error field), so a small splitter that honours quotes suffices.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string_view>

#include "geosim/error.h"
#include "report.h"

namespace geosim::report {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void not_a_folder(const fs::path& dir) {
  throw InputError({{{dir.string(), 0, 0},
                     "not a run, sweep, compare or experiment folder: expected summary.json and timeseries.csv "
                     "(geosim run), manifest.json and bands.csv (geosim sweep), manifest.json and compare.csv "
                     "(geosim compare) or manifest.json and contrasts.csv (geosim experiment or batch)",
                     ""}});
}

std::ifstream open_or_throw(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: error: cannot read the file", path.string()));
  return in;
}

// Splits at commas outside double quotes; views point into `line`.
void split(std::string_view line, Fields& fields) {
  fields.clear();
  bool quoted = false;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ',' && !quoted) {
      fields.push_back(line.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  fields.push_back(line.substr(begin));
}

double parse(std::string_view text) {
  double value = kNaN;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : kNaN;
}

// Calls `row` with each line's fields after the header; returns the header.
std::vector<std::string> for_each_row(const fs::path& path, const std::function<void(const Fields&)>& row) {
  std::ifstream in = open_or_throw(path);
  std::string line;
  std::getline(in, line);
  Fields fields;
  split(line, fields);
  std::vector<std::string> header(fields.begin(), fields.end());
  while (std::getline(in, line)) {
    // A quoted field may span lines (an error message with a newline).
    while (std::count(line.begin(), line.end(), '"') % 2 == 1 && in) {
      std::string more;
      if (!std::getline(in, more)) break;
      line.push_back('\n');
      line += more;
    }
    split(line, fields);
    if (fields.size() == header.size()) row(fields);
  }
  return header;
}

std::size_t column_of(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  return static_cast<std::size_t>(it - header.begin());
}

void read_bands(VariantData& variant, const fs::path& path) {
  for_each_row(path, [&](const Fields& f) {
    const std::string metric(f[1]);
    auto [it, added] = variant.bands.try_emplace(metric);
    if (added) variant.metrics.push_back(metric);
    Band& band = it->second;
    band.tick.push_back(parse(f[0]));
    band.q05.push_back(parse(f[5]));
    band.q25.push_back(parse(f[6]));
    band.q50.push_back(parse(f[7]));
    band.q75.push_back(parse(f[8]));
    band.q95.push_back(parse(f[9]));
  });
}

// A single run's timeseries as degenerate bands (every quantile is the value).
void read_timeseries(VariantData& variant, const fs::path& path) {
  std::vector<std::vector<double>> rows;
  const auto header = for_each_row(path, [&](const Fields& f) {
    rows.emplace_back();
    for (std::string_view field : f) rows.back().push_back(parse(field));
  });
  for (std::size_t c = 1; c < header.size(); ++c) {
    variant.metrics.push_back(header[c]);
    Band& band = variant.bands[header[c]];
    for (const auto& row : rows) band.tick.push_back(row[0]);
    for (auto* q : {&band.q05, &band.q25, &band.q50, &band.q75, &band.q95}) {
      for (const auto& row : rows) q->push_back(row[c]);
    }
  }
}

// capability.csv gives the agents in scenario order; affinity.csv the start and end matrices.
void read_structure(VariantData& variant) {
  if (!fs::exists(variant.dir / "capability.csv") || !fs::exists(variant.dir / "affinity.csv")) return;
  for_each_row(variant.dir / "capability.csv", [&](const Fields& f) {
    variant.agents.emplace_back(f[0]);
    variant.capability.push_back(parse(f[1]));
  });
  const std::size_t n = variant.agents.size();
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) index[variant.agents[i]] = i;
  variant.start.assign(n * n, 0.0);
  variant.end.assign(n * n, 0.0);
  for_each_row(variant.dir / "affinity.csv", [&](const Fields& f) {
    const auto i = index.find(f[1]), j = index.find(f[2]);
    if (i == index.end() || j == index.end()) return;
    (f[0] == "start" ? variant.start : variant.end)[i->second * n + j->second] = parse(f[3]);
  });
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in = open_or_throw(path);
  auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw InputError({{{path.string(), 0, 0}, "not valid JSON written by geosim", ""}});
  }
  return json;
}

std::string text_of(const nlohmann::json& json, const char* key) {
  if (!json.contains(key)) return "";
  const auto& value = json.at(key);
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// run.start from the first source (the scenario, then its extends chain) that sets it.
std::optional<std::string> start_from_sources(const nlohmann::json& sources) {
  for (const auto& source : sources) {
    try {
      const YAML::Node root = YAML::Load(source.value("text", ""));
      if (root.IsMap() && root["run"] && root["run"].IsMap() && root["run"]["start"]) {
        return root["run"]["start"].as<std::string>();
      }
    } catch (const YAML::Exception&) {
      // A source that no longer parses has no start to offer; the others may.
    }
  }
  return std::nullopt;
}

void read_sweep(Folder& folder) {
  const auto manifest = read_json(folder.dir / "manifest.json");
  if (!manifest.contains("variants") || !manifest.at("variants").is_array()) not_a_folder(folder.dir);
  const bool compare = folder.kind == FolderKind::kCompare;
  for (const auto& v : manifest.at("variants")) {
    VariantData variant;
    const std::string name = v.value("name", "");
    variant.label = folder.kind == FolderKind::kExperiment ? name : compare ? (name == "a" ? "A" : "B") : "";
    variant.scenario = v.value("scenario", "");
    variant.dir = folder.dir / name;
    read_bands(variant, variant.dir / "bands.csv");
    read_structure(variant);
    folder.facts.emplace_back(compare || folder.kind == FolderKind::kExperiment ? fmt::format("scenario {}", variant.label) : "scenario",
                              fmt::format("{} (hash {})", variant.scenario, v.value("inputs_hash", "")));
    if (!folder.start && v.contains("sources")) folder.start = start_from_sources(v.at("sources"));
    folder.variants.push_back(std::move(variant));
  }
  const auto design = manifest.value("design", nlohmann::json::object());
  folder.facts.emplace_back("design", fmt::format("{}, {} points x {} replicates, seed {}", text_of(design, "kind"),
                                                  text_of(design, "points"), text_of(design, "replicates"),
                                                  text_of(design, "seed")));
  folder.facts.emplace_back("runs", fmt::format("{} ({} done, {} failed; status {})", text_of(manifest, "runs"),
                                                text_of(manifest, "runs_done"), text_of(manifest, "runs_failed"),
                                                text_of(manifest, "status")));
  folder.facts.emplace_back("settings", fmt::format("{} mode, {} ticks, recorded every {}", text_of(manifest, "mode"),
                                                    text_of(manifest, "ticks"), text_of(manifest, "record_every")));
  folder.facts.emplace_back("version", fmt::format("geosim {} ({})", text_of(manifest, "version"),
                                                   text_of(manifest, "git_commit")));
  folder.facts.emplace_back("date", fmt::format("started {}, finished {}", text_of(manifest, "start_time"),
                                                text_of(manifest, "end_time")));
}

void read_compare(Folder& folder) {
  for_each_row(folder.dir / "compare.csv", [&](const Fields& f) {
    folder.compare.push_back({std::string(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[4]), parse(f[5]),
                              parse(f[6]), parse(f[7]), parse(f[8])});
  });
  VariantData diff;
  read_bands(diff, folder.dir / "diff_bands.csv");
  folder.diff = std::move(diff.bands);
}

void read_experiment(Folder& folder) {
  const auto manifest = read_json(folder.dir / "manifest.json");
  if (manifest.contains("experiment")) {
    const auto& experiment = manifest.at("experiment");
    folder.facts.insert(folder.facts.begin(), {"experiment", fmt::format("{} (hash {})", text_of(experiment, "path"),
                                                                         text_of(experiment, "hash"))});
  }
  for (std::size_t v = 1; v < folder.variants.size(); ++v) {  // variant 0 is the baseline
    VariantData& variant = folder.variants[v];
    VariantData diff;
    read_bands(diff, variant.dir / "diff_bands.csv");
    variant.diff = std::move(diff.bands);
  }
  for_each_row(folder.dir / "contrasts.csv", [&](const Fields& f) {
    if (f.size() < 18) return;
    folder.contrasts.push_back({std::string(f[0]), std::string(f[1]), f[2] == "higher", static_cast<int>(parse(f[3])),
                                parse(f[4]), parse(f[5]), parse(f[8]), parse(f[9]), parse(f[10]), parse(f[11]),
                                parse(f[12]), parse(f[14]), parse(f[16]), f[17] == "yes"});
  });
}

void read_run(Folder& folder) {
  const auto summary = read_json(folder.dir / "summary.json");
  VariantData variant;
  variant.scenario = summary.value("scenario", "");
  variant.dir = folder.dir;
  read_timeseries(variant, folder.dir / "timeseries.csv");
  read_structure(variant);
  if (summary.contains("start") && summary.at("start").is_string()) folder.start = summary.at("start").get<std::string>();
  folder.facts.emplace_back("scenario", fmt::format("{} (hash {})", variant.scenario, text_of(summary, "inputs_hash")));
  folder.facts.emplace_back("run", fmt::format("one run, seed {}, {} mode, {} ticks", text_of(summary, "seed"),
                                               text_of(summary, "mode"), text_of(summary, "ticks")));
  folder.facts.emplace_back("version", fmt::format("geosim {} ({})", text_of(summary, "version"),
                                                   text_of(summary, "git_commit")));
  folder.variants.push_back(std::move(variant));
}

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> rank(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = (static_cast<double>(i + j) / 2) + 1;
    i = j + 1;
  }
  return rank;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : kNaN;
}

struct Stream {
  std::vector<std::size_t> columns;  ///< index in the row of each wanted column (npos: absent)
  std::size_t status = 0;
};

Stream locate(const std::vector<std::string>& header, const std::vector<std::string>& wanted) {
  Stream stream;
  stream.status = column_of(header, "status");
  for (const auto& name : wanted) {
    const std::size_t at = column_of(header, name);
    stream.columns.push_back(at < header.size() ? at : std::string::npos);
  }
  return stream;
}

// The first line of runs.csv, read alone.
std::vector<std::string> runs_header(const fs::path& path) {
  std::ifstream in = open_or_throw(path);
  std::string line;
  std::getline(in, line);
  Fields fields;
  split(line, fields);
  return {fields.begin(), fields.end()};
}

// Input columns lie between "error" and the first "final:" column.
std::vector<std::string> input_columns(const std::vector<std::string>& header) {
  std::vector<std::string> inputs;
  for (std::size_t c = column_of(header, "error") + 1; c < header.size() && header[c].rfind("final:", 0) != 0; ++c) {
    inputs.push_back(header[c]);
  }
  return inputs;
}

// Streams the successful rows of runs.csv, calling `row` with the wanted columns' values.
void stream_ok_rows(const fs::path& path, const std::vector<std::string>& wanted,
                    const std::function<void(const std::vector<double>&)>& row) {
  const Stream stream = locate(runs_header(path), wanted);
  std::vector<double> values(wanted.size());
  for_each_row(path, [&](const Fields& f) {
    if (stream.status >= f.size() || f[stream.status] != "ok") return;
    for (std::size_t k = 0; k < values.size(); ++k) {
      values[k] = stream.columns[k] < f.size() ? parse(f[stream.columns[k]]) : kNaN;
    }
    row(values);
  });
}

}  // namespace

std::vector<std::string> read_csv_rows(const fs::path& path, const std::function<void(const Fields&)>& row) {
  return for_each_row(path, row);
}

double parse_number(std::string_view text) { return parse(text); }

Folder read_folder(const fs::path& dir) {
  Folder folder;
  folder.dir = dir;
  if (fs::exists(dir / "manifest.json") && fs::exists(dir / "contrasts.csv")) {
    folder.kind = FolderKind::kExperiment;
    read_sweep(folder);
    read_experiment(folder);
  } else if (fs::exists(dir / "manifest.json") && fs::exists(dir / "compare.csv")) {
    folder.kind = FolderKind::kCompare;
    read_sweep(folder);
    read_compare(folder);
  } else if (fs::exists(dir / "manifest.json") && fs::exists(dir / "bands.csv")) {
    folder.kind = FolderKind::kSweep;
    read_sweep(folder);
  } else if (fs::exists(dir / "summary.json") && fs::exists(dir / "timeseries.csv")) {
    folder.kind = FolderKind::kRun;
    read_run(folder);
  } else {
    not_a_folder(dir);
  }
  return folder;
}

std::vector<Histogram> histograms(const Folder& folder, const std::vector<std::string>& columns,
                                  const std::string& outcome, Sample& sample) {
  std::vector<Histogram> result;
  for (const auto& column : columns) result.push_back({column, kNaN, kNaN, {}});
  // Pass 1: the range of each column over every variant.
  for (const VariantData& variant : folder.variants) {
    stream_ok_rows(variant.dir / "runs.csv", columns, [&](const std::vector<double>& values) {
      for (std::size_t k = 0; k < values.size(); ++k) {
        if (!std::isfinite(values[k])) continue;
        result[k].lo = std::isnan(result[k].lo) ? values[k] : std::min(result[k].lo, values[k]);
        result[k].hi = std::isnan(result[k].hi) ? values[k] : std::max(result[k].hi, values[k]);
      }
    });
  }
  // Pass 2: the counts, and the bounded sample of inputs and outcome.
  sample.inputs = input_columns(runs_header(folder.variants.front().dir / "runs.csv"));
  std::vector<std::string> wanted = columns;
  wanted.insert(wanted.end(), sample.inputs.begin(), sample.inputs.end());
  wanted.push_back(outcome);
  for (std::size_t v = 0; v < folder.variants.size(); ++v) {
    for (Histogram& h : result) h.counts.emplace_back(kBins, 0.0);
    sample.values.emplace_back();
    stream_ok_rows(folder.variants[v].dir / "runs.csv", wanted, [&](const std::vector<double>& values) {
      for (std::size_t k = 0; k < columns.size(); ++k) {
        Histogram& h = result[k];
        if (!std::isfinite(values[k])) continue;
        const double width = h.hi > h.lo ? (h.hi - h.lo) / kBins : 1.0;
        const auto bin = static_cast<std::size_t>(std::clamp((values[k] - h.lo) / width, 0.0, kBins - 1.0));
        h.counts[v][bin] += 1;
      }
      if (v == 0) ++sample.runs;
      if (sample.values[v].size() < kSampleRows) sample.values[v].emplace_back(values.begin() + static_cast<long>(columns.size()), values.end());
    });
  }
  return result;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 3 || x.size() != y.size()) return kNaN;
  return pearson(ranks(x), ranks(y));
}

}  // namespace geosim::report
