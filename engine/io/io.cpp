#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <istream>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "geosim/io.h"
#include "geosim/version.h"

namespace geosim {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view what) {
  throw IoError(fmt::format("{}: error: cannot {}: {}", path.string(), what, std::strerror(errno)));
}

const char* mode_name(Mode mode) { return mode == Mode::kExpected ? "expected" : "stochastic"; }

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path temporary = path.string() + fmt::format(".tmp.{}", ::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) fail(path, "write");
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size() &&
                       std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    std::remove(temporary.c_str());
    errno = saved;
    fail(path, "write");
  }
}

// Reads the stream buffer directly (one sentry per record, not one per character) and reuses
// the strings already in `fields`.
bool read_csv_record(std::istream& in, std::vector<std::string>& fields) {
  using Traits = std::char_traits<char>;
  if (in.peek() == Traits::eof()) {
    fields.clear();
    return false;
  }
  std::streambuf& buffer = *in.rdbuf();
  std::size_t count = 0;
  const auto next_field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    return field;
  };
  std::string* field = &next_field();
  bool quoted = false;
  for (;;) {
    const Traits::int_type got = buffer.sbumpc();
    if (Traits::eq_int_type(got, Traits::eof())) {
      in.setstate(std::ios::eofbit);
      break;
    }
    const char c = Traits::to_char_type(got);
    if (quoted) {
      if (c != '"') {
        *field += c;
      } else if (Traits::eq_int_type(buffer.sgetc(), Traits::to_int_type('"'))) {
        *field += '"';
        buffer.sbumpc();
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      field = &next_field();
    } else if (c == '\n') {
      break;
    } else {
      *field += c;
    }
  }
  fields.resize(count);
  return true;
}

std::string timeseries_csv(const TimeSeries& series) {
  fmt::memory_buffer out;
  for (std::size_t column = 0; column < series.columns.size(); ++column) {
    fmt::format_to(std::back_inserter(out), "{}{}", column ? "," : "", series.columns[column]);
  }
  out.push_back('\n');
  for (const auto& row : series.rows) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      fmt::format_to(std::back_inserter(out), "{}{}", column ? "," : "", row[column]);
    }
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

namespace {

void append_affinity(fmt::memory_buffer& out, const ScenarioSpec& spec, const char* when, const std::vector<double>& values) {
  const std::size_t n = spec.agents.size();
  for (std::size_t i = 0; i < n && values.size() == n * n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) fmt::format_to(std::back_inserter(out), "{},{},{},{}\n", when, spec.agents[i].id, spec.agents[j].id, values[i * n + j]);
    }
  }
}

}  // namespace

std::string affinity_csv(const ScenarioSpec& spec, const std::vector<double>& initial, const std::vector<double>& final) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "when,i,j,mean\n");
  append_affinity(out, spec, "start", initial);
  append_affinity(out, spec, "end", final);
  return fmt::to_string(out);
}

std::string capability_csv(const ScenarioSpec& spec, const std::vector<double>& shares) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "agent,mean\n");
  for (std::size_t i = 0; i < spec.agents.size() && i < shares.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{},{}\n", spec.agents[i].id, shares[i]);
  }
  return fmt::to_string(out);
}

std::string summary_json(const ScenarioSpec& spec, const RunOptions& options, const RunResult& result) {
  nlohmann::ordered_json json;
  json["scenario"] = spec.sources.empty() ? "" : spec.sources.front().path;
  json["name"] = spec.name;
  json["inputs_hash"] = spec.inputs_hash;
  json["seed"] = options.seed;
  json["mode"] = mode_name(options.mode);
  json["ticks"] = options.ticks;
  json["record_every"] = options.record_every;
  if (spec.run.start) json["start"] = *spec.run.start;
  json["version"] = std::string(version());
  json["git_commit"] = std::string(git_commit());
  json["compiler"] = std::string(compiler());
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const MetricSummary& metric : result.summary) {
    metrics[metric.metric] = {{"final", metric.final_value}, {"late_mean", metric.late_mean}};
  }
  json["summary"] = std::move(metrics);
  return json.dump(2) + "\n";
}

}  // namespace geosim
