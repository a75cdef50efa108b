// The statistics a run records.
#include "engine/random.hpp"
#include "engine/stats.hpp"
#include "models/statistics.hpp"
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

TEST_CASE("the statistics are computed from the run's events alone")
{
  // A window [1, 3): one worker process with two threads; the lock is held
  // from 0.5 to 2.5 by thread 2, thread 3 waits from 1.5 until it gets it at 2.5.
  Statistics st(1.0, 3.0, 2);
  st.lane(0, -1, LaneKind::process, 1, "worker 1");
  st.worker(0, WorkerEvent::born, 1, 0.0);
  st.lane(1, 0, LaneKind::thread, 1, "thread 1");
  st.lane(2, 0, LaneKind::thread, 1, "thread 2");
  st.lock(1, 0, LockEvent::grant, 0.5);
  st.lock(2, 0, LockEvent::wait, 1.5);
  st.lock(1, 0, LockEvent::release, 2.5);
  st.lock(2, 0, LockEvent::grant, 2.5);
  st.counter(CounterKind::runnable_threads, 0, 3, 1.0); // 3 runnable on 2 cores: 2 busy
  st.counter(CounterKind::runnable_threads, 0, 1, 2.0);
  st.counter(CounterKind::memory_mb, 0, 120, 0.2);
  st.counter(CounterKind::memory_mb, 0, 80, 1.2);
  Breakdown waited;
  waited.queue_s = 0.25;
  st.finished({7, 0, trace_format::Outcome::ok, 1.0, 1.5, 0, waited});
  st.finished({8, 0, trace_format::Outcome::timeout, 1.0, 2.0, -1, Breakdown{}});
  st.finished({9, 0, trace_format::Outcome::ok, 0.1, 0.5, 0, Breakdown{}}); // before the window
  st.worker(0, WorkerEvent::monitor_report, 1, 2.2);
  Results r = st.results(3.0);
  CHECK(r.completed == 1);
  CHECK(r.waited == 1);
  CHECK(r.errors.timeout == 1);
  CHECK(r.latency.mean() == Approx(0.5));
  CHECK(r.gil_held_fraction == Approx(1.0));  // held all through the window
  CHECK(r.gil_wait_fraction == Approx(0.5));  // 1.5 .. 2.5 of [1, 3)
  CHECK(r.cpu_busy_core_s == Approx(2 * 1.0 + 1 * 1.0));
  CHECK(r.peak_memory_mb == 120);
  CHECK(r.monitor_reports == 1);
  CHECK(r.mean_sojourn_s == Approx((0.5 + 1.0) / 2));
  REQUIRE(r.gil_per_process.size() == 1);
  CHECK(r.gil_per_process[0].worker == 1);
}
