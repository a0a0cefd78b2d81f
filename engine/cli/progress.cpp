#include "progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace geosim::cli {
namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

Progress::Progress(std::uint64_t total, std::uint64_t already_done, bool quiet)
    : total_(total), start_done_(already_done), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) == 1) {}

void Progress::update(std::uint64_t done, std::uint64_t failed) {
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (quiet_ || Clock::now() - last_ < interval) return;
  last_ = Clock::now();
  print(done, failed, false);
}

void Progress::finish(std::uint64_t done, std::uint64_t failed) {
  if (!quiet_) print(done, failed, true);
}

void Progress::print(std::uint64_t done, std::uint64_t failed, bool final_line) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - start_done_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const std::string text = fmt::format("{}/{} runs  {:.0f} runs/s  ETA {}  {} failed", done, total_, rate,
                                       clock_text(eta), failed);
  if (!terminal_) {
    fmt::print(stderr, "sweep: {}\n", text);
    return;
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r[{:#<{}}{: <{}}] {}\x1b[K{}", "", filled, "", kWidth - filled, text, final_line ? "\n" : "");
}

}  // namespace geosim::cli
