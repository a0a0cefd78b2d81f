#pragma once
#include <chrono>
#include <cstdint>

namespace geosim::cli {

/// Progress of a sweep on stderr: a bar redrawn in place on a terminal, a plain line every
/// few seconds otherwise, nothing when quiet.
class Progress {
 public:
  Progress(std::uint64_t total, std::uint64_t already_done, bool quiet);
  void update(std::uint64_t done, std::uint64_t failed);
  void finish(std::uint64_t done, std::uint64_t failed);

 private:
  void print(std::uint64_t done, std::uint64_t failed, bool final_line);

  using Clock = std::chrono::steady_clock;
  std::uint64_t total_;
  std::uint64_t start_done_;
  bool quiet_;
  bool terminal_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

}  // namespace geosim::cli
