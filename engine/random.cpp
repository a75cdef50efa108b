#include "random.hpp"
#include <cmath>

namespace gilsim {

Rng make_stream(uint64_t seed, uint64_t stream)
{
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL + stream + 0x632BE59BD9B4E019ULL;
  z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z          = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return Rng(z);
}

namespace {
double unit_uniform(Rng& rng) { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; }
} // namespace

// Sampling is written out (not std:: distributions) so results do not depend on
// the standard library's implementation.
double Distribution::sample(Rng& rng) const
{
  switch (kind) {
    case Kind::constant: return a;
    case Kind::exponential: return -a * std::log(unit_uniform(rng));
    case Kind::uniform: return a + (b - a) * unit_uniform(rng);
    case Kind::lognormal: {
      // a = mean of the lognormal itself, b = sigma of the underlying normal
      double mu = std::log(a) - 0.5 * b * b;
      double u1 = unit_uniform(rng), u2 = unit_uniform(rng);
      double z  = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      return std::exp(mu + b * z);
    }
    case Kind::empirical: return values[static_cast<std::size_t>(unit_uniform(rng) * values.size())];
  }
  return a;
}

Distribution Distribution::scaled(double f) const
{
  Distribution d = *this;
  d.a *= f;
  if (kind == Kind::uniform)
    d.b *= f;
  for (double& v : d.values)
    v *= f;
  return d;
}

double Distribution::mean() const
{
  switch (kind) {
    case Kind::uniform: return (a + b) / 2;
    case Kind::empirical: {
      double s = 0;
      for (double v : values)
        s += v;
      return values.empty() ? 0 : s / values.size();
    }
    default: return a;
  }
}

} // namespace gilsim
