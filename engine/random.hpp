// Seeded random streams and the step-duration distributions of a scenario.
// Each consumer (a client, the arrival process, the arbiter) draws from its own
// stream derived from (seed, stream id), so the same seed gives the same run, and
// two server configurations see the very same requests (common random numbers).
#pragma once
#include <cstdint>
#include <random>
#include <vector>

namespace gilsim {

using Rng = std::mt19937_64;

/// A stream for consumer `stream` of a run seeded with `seed` (splitmix64 mixing).
Rng make_stream(uint64_t seed, uint64_t stream);

struct Distribution {
  enum class Kind { constant, exponential, uniform, lognormal, empirical } kind = Kind::constant;
  double a = 0;                ///< constant value / mean / min / lognormal mean
  double b = 0;                ///< uniform max / lognormal sigma (of the underlying normal)
  std::vector<double> values;  ///< empirical samples
  double sample(Rng& rng) const;
  double mean() const;
  /// The same shape, every value multiplied by `f`.
  Distribution scaled(double f) const;
  static Distribution constant(double v) { return {Kind::constant, v, 0, {}}; }
};

} // namespace gilsim
