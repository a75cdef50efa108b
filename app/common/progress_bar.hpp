// The progress of a batch on a terminal: one line on stderr, redrawn as runs finish —
// runs done of all, simulated requests per second, and the time left, estimated from
// the runs' costs (estimate_cost) at the pace so far. Erased when the batch ends.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace gilsim {

class ProgressBar {
public:
  /// `cost_s`: each run's estimated cost, in the order of done(); draws to `out` (stderr).
  explicit ProgressBar(std::vector<double> cost_s, std::FILE* out = stderr);
  ~ProgressBar();
  /// Run `run` finished after simulating `requests` requests.
  void done(std::size_t run, uint64_t requests);
  /// The line as it would be drawn now.
  std::string line() const;

private:
  void draw() const;
  std::vector<double> cost_s_;
  double total_cost_s_ = 0, done_cost_s_ = 0;
  std::size_t done_ = 0;
  uint64_t requests_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::FILE* out_;
};

/// True when stderr is a terminal: where a progress bar belongs.
bool stderr_is_terminal();

} // namespace gilsim
