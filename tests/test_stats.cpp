// The statistics a run records.
#include "engine/random.hpp"
#include "engine/stats.hpp"
#include <catch2/catch.hpp>
#include <algorithm>

using namespace gilsim;

TEST_CASE("histogram percentiles are within 1 % of the exact values")
{
  Rng rng = make_stream(3, 0);
  Distribution d{Distribution::Kind::lognormal, 0.05, 1.0, {}};
  std::vector<double> xs;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    double x = d.sample(rng);
    xs.push_back(x);
    h.add(x);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    double exact = xs[static_cast<std::size_t>(std::ceil(q * xs.size())) - 1];
    CHECK(h.quantile(q) == Approx(exact).epsilon(0.01));
  }
  CHECK(h.max() == xs.back());
  Histogram back = Histogram::from(h.buckets(), h.sum(), h.max());
  CHECK(back.quantile(0.99) == h.quantile(0.99));
}

TEST_CASE("distributions have the means they are given")
{
  Rng rng = make_stream(1, 2);
  for (Distribution d : {Distribution{Distribution::Kind::exponential, 0.02, 0, {}},
                         Distribution{Distribution::Kind::uniform, 0.01, 0.03, {}},
                         Distribution{Distribution::Kind::lognormal, 0.02, 0.5, {}},
                         Distribution{Distribution::Kind::empirical, 0, 0, {0.01, 0.02, 0.03}}}) {
    double sum = 0;
    for (int i = 0; i < 200000; ++i)
      sum += d.sample(rng);
    CHECK(sum / 200000 == Approx(d.mean()).epsilon(0.01));
  }
}

TEST_CASE("the 95 % confidence interval uses Student's t")
{
  CHECK(ci95_half_width({1.0}) == 0);
  // mean 2, sample sd 1, n = 3: t(0.975, 2) = 4.303 -> 4.303 / sqrt(3)
  CHECK(ci95_half_width({1.0, 2.0, 3.0}) == Approx(4.303 / std::sqrt(3.0)).epsilon(1e-3));
}
