// The sweep driver: runs are computed in parallel chunks (oneTBB) and committed strictly in
// run-id order, so outputs never depend on the thread count. A checkpoint (the statistics and
// the length of each runs.csv.partial) is written atomically every few seconds; --resume
// truncates the partial files to the checkpoint and continues, losing and repeating nothing.
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "../io/clock.h"
#include "../io/sqlite_store.h"
#include "geosim/io.h"
#include "geosim/sweep.h"
#include "geosim/version.h"
#include "contrasts.h"
#include "record_codec.h"
#include "sinks.h"
#include "tables.h"

namespace geosim {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kIsoTime[] = "%Y-%m-%dT%H:%M:%SZ";
constexpr char kMagic[] = "GEOSIMCK2";  // 2: affinity and capability sums

int thread_count(int requested) {
  return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

nlohmann::ordered_json distribution_json(const UncertainInput& input) {
  const Distribution& d = input.distribution;
  static const char* kNames[] = {"uniform", "normal", "truncnormal", "triangular", "beta", "choice"};
  return {{"path", input.path}, {"dist", kNames[static_cast<int>(d.kind)]}, {"min", d.min}, {"max", d.max},
          {"mean", d.mean}, {"sd", d.sd}, {"mode", d.mode}, {"alpha", d.alpha}, {"beta", d.beta},
          {"values", d.values}, {"weights", d.weights}, {"grid", input.grid}};
}

// Ends every rank of the job (an error after the ranks started working together).
[[noreturn]] void end_job(Cluster& cluster, const std::string& message) {
  fmt::print(stderr, "geosim: rank {}: error: {}\n", cluster.rank(), message);
  cluster.abort(1);
  std::_Exit(1);  // abort does not return; this tells the compiler so
}

class Sweep {
  // A run's records and its runs.csv lines, computed in parallel.
  using Computed = sweep::ComputedRun;

 public:
  Sweep(const SweepPlan& plan, const SweepOptions& options)
      : plan_(plan), options_(options), threads_(thread_count(options.threads)) {
    for (std::size_t v = 0; v < plan.variants.size(); ++v) {
      sinks_.push_back(std::make_unique<sweep::VariantSink>(plan, v, options.out / plan.variants[v].name));
    }
    if (!plan.outcomes.empty() && plan.variants.size() > 1) {
      // An experiment: every variant against the baseline, each pair written into the
      // variant's folder, and the contrasts across all of them.
      for (std::size_t v = 1; v < sinks_.size(); ++v) add_compare(v, sinks_[v]->dir());
      contrasts_ = std::make_unique<sweep::ContrastSink>(plan);
    } else if (sinks_.size() == 2) {
      add_compare(1, options.out);
    }
  }

  SweepSummary run() {
    if (ranks() > 1 && options_.cluster->rank() != 0) return work();
    start_time_ = utc_now(kIsoTime);
    std::uint64_t first = 0;
    try {
      if (options_.resume && already_complete()) {
        broadcast_round(kStop);
        return {plan_.runs(), plan_.runs(), stored_failed_, false};
      }
      first = options_.resume ? resume() : start_fresh();
      write_manifest("running");
    } catch (...) {
      broadcast_round(kStop);  // the other ranks wait for the first round: release them
      throw;
    }
    SweepSummary summary = ranks() > 1 ? guarded_loop(first) : loop(first);
    if (summary.interrupted) {
      checkpoint(summary.done);
      write_manifest("interrupted", &summary);
    } else {
      finish(summary);
    }
    return summary;
  }

 private:
  std::uint64_t start_fresh() {
    std::filesystem::remove(checkpoint_path());
    for (auto& sink : sinks_) sink->open(std::nullopt);
    return 0;
  }

  // A completed sweep of the same plan has nothing left to resume; a sweep of another plan
  // is never resumed (nor silently replaced).
  bool already_complete() {
    std::ifstream in(options_.out / "manifest.json");
    if (!in) return false;
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded()) return false;
    const std::string stored = json.value("fingerprint", "");
    if (stored != plan_.fingerprint()) refuse(stored);
    stored_failed_ = json.value("runs_failed", std::uint64_t{0});
    return json.value("status", "") == "complete";
  }

  [[noreturn]] void refuse(const std::string& stored) const {
    throw InputError({{{options_.out.string(), 0, 0},
                       fmt::format("cannot resume: the folder holds a different sweep (fingerprint {}, this one {}); "
                                   "use the same scenario and flags, or another --out",
                                   stored, plan_.fingerprint()),
                       ""}});
  }

  // ---- sharing the runs between ranks (README, "On a cluster")
  // Each round, rank 0 broadcasts (kRound, first run, count); rank p computes its contiguous
  // share of the round and sends it to rank 0, which commits the round in run-id order as a
  // one-process sweep would. kStop ends the ranks' loops.
  enum Message : std::uint64_t { kStop = 0, kRound = 1 };

  int ranks() const { return options_.cluster ? options_.cluster->size() : 1; }

  void broadcast_round(Message message, std::uint64_t first = 0, std::uint64_t count = 0) {
    if (ranks() > 1) options_.cluster->broadcast({message, first, count});
  }

  // Rank p's share of [first, first + count): contiguous, in rank order, sizes within one.
  std::pair<std::uint64_t, std::uint64_t> share(std::uint64_t first, std::uint64_t count, int rank) const {
    const auto p = static_cast<std::uint64_t>(rank), n = static_cast<std::uint64_t>(ranks());
    return {first + count * p / n, first + count * (p + 1) / n};
  }

  std::vector<Computed> compute_range(tbb::task_arena& arena, std::uint64_t begin, std::uint64_t end) const {
    std::vector<Computed> results(end - begin);
    arena.execute([&] {
      tbb::parallel_for(begin, end, [&](std::uint64_t id) { results[id - begin] = compute(id); });
    });
    return results;
  }

  // A worker rank: compute shares until rank 0 says stop. An error here would leave rank 0
  // waiting, so it ends the whole job.
  SweepSummary work() {
    const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads_));
    tbb::task_arena arena(threads_);
    try {
      for (;;) {
        const auto message = options_.cluster->broadcast({});
        if (message.at(0) != kRound) return {};
        const auto [begin, end] = share(message.at(1), message.at(2), options_.cluster->rank());
        options_.cluster->send_to_root(sweep::encode_runs(compute_range(arena, begin, end)));
      }
    } catch (const std::exception& error) {
      end_job(*options_.cluster, error.what());
    }
  }

  SweepSummary guarded_loop(std::uint64_t first) {
    try {
      SweepSummary summary = loop(first);
      broadcast_round(kStop);
      return summary;
    } catch (const std::exception& error) {
      end_job(*options_.cluster, error.what());
    }
  }

  void start_round(std::uint64_t first, std::uint64_t count) { broadcast_round(kRound, first, count); }

  // One round: this rank's share computed here, the others' received in rank order.
  std::vector<Computed> finish_round(tbb::task_arena& arena, std::uint64_t first, std::uint64_t count) {
    if (ranks() == 1) return compute_range(arena, first, first + count);
    const auto [begin, end] = share(first, count, 0);
    std::vector<Computed> results = compute_range(arena, begin, end);
    for (int rank = 1; rank < ranks(); ++rank) {
      const auto waiting = Clock::now();
      const std::string bytes = options_.cluster->receive(rank);
      const auto decoding = Clock::now();
      received_bytes_ += bytes.size();
      for (Computed& run : sweep::decode_runs(bytes)) results.push_back(std::move(run));
      wait_seconds_ += std::chrono::duration<double>(decoding - waiting).count();
      decode_seconds_ += std::chrono::duration<double>(Clock::now() - decoding).count();
    }
    if (results.size() != count) throw Error("a rank sent the wrong number of runs");
    return results;
  }

  void add_compare(std::size_t v, const std::filesystem::path& dir) {
    compares_.push_back({v, dir, std::make_unique<sweep::CompareSink>(*sinks_[0], *sinks_[v])});
  }

  std::filesystem::path checkpoint_path() const { return options_.out / ".checkpoint"; }

  // Returns the first run still to do.
  std::uint64_t resume() {
    std::ifstream in(checkpoint_path(), std::ios::binary);
    if (!in) return start_fresh();
    char magic[sizeof kMagic] = {};
    in.read(magic, sizeof magic);
    std::string stored(16, ' ');
    in.read(stored.data(), 16);
    if (std::string(magic) != kMagic || stored != plan_.fingerprint()) refuse(stored);
    const std::uint64_t next = sweep::read_u64(in);
    failed_ = sweep::read_u64(in);
    for (auto& sink : sinks_) sink->open(sweep::read_u64(in));
    for (auto& sink : sinks_) sink->load(in);
    for (auto& compare : compares_) compare.sink->load(in);
    if (contrasts_) contrasts_->load(in);
    return next;
  }

  void checkpoint(std::uint64_t next) {
    std::vector<std::uint64_t> sizes;
    for (auto& sink : sinks_) sizes.push_back(sink->sync());
    std::ostringstream out;
    out.write(kMagic, sizeof kMagic);
    out << plan_.fingerprint();
    sweep::write_u64(out, next);
    sweep::write_u64(out, failed_);
    for (std::uint64_t size : sizes) sweep::write_u64(out, size);
    for (auto& sink : sinks_) sink->save(out);
    for (const auto& compare : compares_) compare.sink->save(out);
    if (contrasts_) contrasts_->save(out);
    write_file_atomically(checkpoint_path(), out.str());
  }


  Computed compute(std::uint64_t id) const {
    Computed computed{compute_run(plan_, id), {}};
    const RunId run = run_id(plan_, id);
    for (std::size_t v = 0; v < sinks_.size(); ++v) {
      computed.rows.push_back(sweep::runs_row(plan_, v, run, computed.records[v]));
    }
    return computed;
  }

  // Commits a chunk in run-id order: rows and sums serially, then the per-cell statistics in
  // parallel (each cell still sees the runs in run-id order). Runs inside the arena.
  void commit(const std::vector<Computed>& chunk) {
    std::vector<std::vector<const RunRecord*>> records(sinks_.size());
    for (const Computed& computed : chunk) {
      bool failed = false;
      for (std::size_t v = 0; v < sinks_.size(); ++v) {
        sinks_[v]->commit(computed.rows[v], computed.records[v]);
        records[v].push_back(&computed.records[v]);
        failed = failed || !computed.records[v].ok;
      }
      failed_ += failed ? 1 : 0;
    }
    for (std::size_t v = 0; v < sinks_.size(); ++v) sinks_[v]->add_cells(records[v]);
    for (auto& compare : compares_) compare.sink->commit(records[0], records[compare.variant]);
    if (contrasts_) contrasts_->commit(records);
  }

  // Rounds of runs, committed in run-id order. With several ranks the next round is handed
  // out before this one is committed, so the other ranks compute while rank 0 commits.
  SweepSummary loop(std::uint64_t next) {
    SweepSummary summary;
    summary.runs = plan_.runs();
    // --threads may exceed the cores (tests run 8 threads on 2); lift oneTBB's default cap.
    const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads_));
    tbb::task_arena arena(threads_);
    std::uint64_t chunk = static_cast<std::uint64_t>(4 * threads_);
    max_chunk_ = std::max(chunk, max_chunk());
    auto last_checkpoint = Clock::now();
    const auto stopping = [&] { return options_.stop != nullptr && options_.stop->load(); };
    std::uint64_t count = round_size(chunk, next);
    if (count > 0 && !stopping()) start_round(next, count);
    summary.interrupted = stopping() && next < summary.runs;
    while (count > 0 && !summary.interrupted) {
      const auto started = Clock::now();
      const std::vector<Computed> results = finish_round(arena, next, count);
      next += count;
      // Larger chunks amortise the fork-join; the cap bounds memory and the Ctrl-C latency.
      if (Clock::now() - started < std::chrono::milliseconds(250) && chunk < max_chunk_) chunk *= 2;
      summary.interrupted = stopping() && next < summary.runs;
      count = summary.interrupted ? 0 : round_size(chunk, next);
      if (count > 0) start_round(next, count);
      const auto committing = Clock::now();
      arena.execute([&] { commit(results); });
      commit_seconds_ += std::chrono::duration<double>(Clock::now() - committing).count();
      if (options_.progress) options_.progress(next, failed_);
      if (std::chrono::duration<double>(Clock::now() - last_checkpoint).count() > options_.checkpoint_seconds) {
        checkpoint(next);
        last_checkpoint = Clock::now();
      }
    }
    summary.done = next;
    summary.failed = failed_;
    return summary;
  }

  // Every rank gets `chunk` runs a round; rank 0 holds the whole round, so it is capped.
  std::uint64_t round_size(std::uint64_t chunk, std::uint64_t next) const {
    const auto n = static_cast<std::uint64_t>(ranks());
    return std::min({chunk * n, std::max(max_chunk_, n), plan_.runs() - next});
  }

  // Runs held between compute and commit: at most ~16 MB of recorded series.
  std::uint64_t max_chunk() const {
    std::uint64_t bytes = 0;
    for (std::size_t v = 0; v < sinks_.size(); ++v) {
      const std::size_t n = plan_.variants[v].spec.agents.size();
      bytes += (sinks_[v]->ticks().size() * (sinks_[v]->metrics().size() + 1) + 2 * n * n + n) * sizeof(double) + 256;
    }
    return std::clamp<std::uint64_t>((16u << 20) / std::max<std::uint64_t>(bytes, 1), 1, 4096);
  }

  // The output files; the bands' quantiles are computed in parallel, on the sweep's threads.
  void finish(const SweepSummary& summary) {
    const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads_));
    tbb::task_arena arena(threads_);
    arena.execute([&] { write_outputs(summary); });
  }

  void write_outputs(const SweepSummary& summary) {
    for (auto& sink : sinks_) sink->finish();
    std::vector<CsvTable> tables;
    for (std::size_t v = 0; v < sinks_.size(); ++v) {
      const std::string suffix = plan_.variants[v].name.empty() ? "" : "_" + plan_.variants[v].name;
      tables.push_back({"runs" + suffix, sinks_[v]->runs_path()});
      tables.push_back({"bands" + suffix, sinks_[v]->dir() / "bands.csv"});
    }
    for (const auto& compare : compares_) {
      write_file_atomically(compare.dir / "compare.csv", compare.sink->compare_csv());
      write_file_atomically(compare.dir / "diff_bands.csv", compare.sink->diff_bands_csv());
      const std::string suffix = contrasts_ ? "_" + plan_.variants[compare.variant].name : "";
      tables.push_back({"compare" + suffix, compare.dir / "compare.csv"});
      tables.push_back({"diff_bands" + suffix, compare.dir / "diff_bands.csv"});
    }
    if (contrasts_) {
      write_file_atomically(options_.out / "contrasts.csv", contrasts_->contrasts_csv());
      tables.push_back({"contrasts", options_.out / "contrasts.csv"});
    }
    const std::string manifest = write_manifest("complete", &summary);
    write_sqlite(options_.out / "results.sqlite", tables, {{"manifest.json", manifest}});
    std::filesystem::remove(checkpoint_path());
  }

  std::string write_manifest(const std::string& status, const SweepSummary* summary = nullptr) {
    nlohmann::ordered_json json;
    json["status"] = status;
    json["fingerprint"] = plan_.fingerprint();
    nlohmann::ordered_json variants = nlohmann::ordered_json::array();
    for (const Variant& variant : plan_.variants) {
      nlohmann::ordered_json sources = nlohmann::ordered_json::array();
      for (const SourceFile& source : variant.spec.sources) sources.push_back({{"path", source.path}, {"text", source.text}});
      variants.push_back({{"name", variant.name}, {"scenario", variant.spec.sources.front().path},
                          {"inputs_hash", variant.spec.inputs_hash}, {"sources", sources}});
    }
    json["variants"] = variants;
    if (!options_.experiment.path.empty()) {
      json["experiment"] = {{"path", options_.experiment.path}, {"hash", options_.experiment.hash},
                            {"text", options_.experiment.text}};
    }
    if (!plan_.outcomes.empty()) {
      nlohmann::ordered_json outcomes = nlohmann::ordered_json::array();
      for (const Outcome& outcome : plan_.outcomes) {
        outcomes.push_back({{"outcome", outcome.label()}, {"better", outcome.higher_is_better ? "higher" : "lower"}});
      }
      json["outcomes"] = outcomes;
    }
    json["design"] = {{"kind", design_name(plan_.design.kind)}, {"points", plan_.sampler->points()},
                      {"replicates", plan_.design.replicates}, {"seed", plan_.design.seed},
                      {"scramble", plan_.design.scramble}, {"levels", plan_.design.levels}};
    if (plan_.design.kind == DesignKind::kSaltelli) json["design"]["second_order"] = plan_.design.second_order;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const UncertainInput& input : plan_.inputs) inputs.push_back(distribution_json(input));
    json["inputs"] = inputs;
    json["ticks"] = plan_.ticks;
    json["record_every"] = plan_.record_every;
    json["mode"] = plan_.mode == Mode::kExpected ? "expected" : "stochastic";
    json["runs"] = plan_.runs();
    json["threads"] = threads_;
    // What rank 0 spends per run, for the scaling model of README "On a cluster".
    if (ranks() > 1) {
      json["mpi"] = {{"ranks", ranks()}, {"bytes_received", received_bytes_}, {"wait_seconds", wait_seconds_},
                     {"decode_seconds", decode_seconds_}, {"commit_seconds", commit_seconds_}};
    }
    json["version"] = std::string(version());
    json["git_commit"] = std::string(git_commit());
    json["compiler"] = std::string(compiler());
    json["command"] = options_.command_line;
    json["start_time"] = start_time_;
    json["end_time"] = status == "running" ? nlohmann::ordered_json() : nlohmann::ordered_json(utc_now(kIsoTime));
    json["runs_done"] = summary ? summary->done : 0;
    json["runs_failed"] = summary ? summary->failed : 0;
    const std::string text = json.dump(2) + "\n";
    write_file_atomically(options_.out / "manifest.json", text);
    return text;
  }

  const SweepPlan& plan_;
  const SweepOptions& options_;
  int threads_;
  std::vector<std::unique_ptr<sweep::VariantSink>> sinks_;
  struct Compare {
    std::size_t variant;  ///< paired with variant 0
    std::filesystem::path dir;
    std::unique_ptr<sweep::CompareSink> sink;
  };
  std::vector<Compare> compares_;
  std::unique_ptr<sweep::ContrastSink> contrasts_;
  std::uint64_t failed_ = 0;
  std::uint64_t stored_failed_ = 0;
  std::uint64_t max_chunk_ = 4096;
  std::uint64_t received_bytes_ = 0;
  double wait_seconds_ = 0, decode_seconds_ = 0, commit_seconds_ = 0;
  std::string start_time_;
};

}  // namespace

SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options) { return Sweep(plan, options).run(); }

}  // namespace geosim
