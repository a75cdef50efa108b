// The simulator against queueing theory: M/M/c (Erlang C), mean value analysis
// of a closed loop, and Little's law.
#include "models/analytic.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include <catch2/catch.hpp>

using namespace gilsim;
using json = nlohmann::json;

namespace {

/// Sync workers on exponential CPU work, no server overhead.
json cpu_scenario(int workers, double service_ms, json load, double duration_s)
{
  return {{"machine", {{"cores", 2}, {"context_switch_us", 0}}},
          {"app", {{"endpoints", {{{"name", "cpu"}, {"steps", {{{"cpu_ms", {{"dist", "exponential"}, {"mean", service_ms}}}}}}}}}}},
          {"load", load},
          {"duration_s", duration_s},
          {"warmup_s", 20},
          {"replications", 2},
          {"servers", {{{"label", "sync"}, {"worker_class", "sync"}, {"workers", workers}, {"overhead_ms", 0}}}}};
}

Summary run(const json& doc)
{
  Scenario sc = load_scenario(doc, "test");
  std::vector<RunConfig> runs;
  for (int r = 0; r < sc.replications; ++r)
    runs.push_back(sc.run(0, r));
  return summarize(run_all(runs, 2));
}

void check_little(const Summary& s)
{
  const Results& t = s.total;
  INFO("L = " << t.mean_in_system << ", lambda W = " << t.departure_rate * t.mean_sojourn_s);
  CHECK(t.mean_in_system == Approx(t.departure_rate * t.mean_sojourn_s).epsilon(0.02));
}

} // namespace

TEST_CASE("sync workers on exponential CPU work with Poisson arrivals match Erlang C")
{
  const double service_ms = 10;
  for (int c : {1, 2}) {
    for (double rho : {0.5, 0.8}) {
      double rate = rho * c / (service_ms / 1000);
      auto expect = analytic::erlang_c(rate, service_ms / 1000, c);
      Summary s   = run(cpu_scenario(c, service_ms, {{"type", "open"}, {"rate_rps", rate}}, 1500));
      double waited = static_cast<double>(s.total.waited) / s.total.completed;
      INFO("c = " << c << ", rho = " << rho << ": W = " << s.latency_mean_s << " s (Erlang C " << expect.mean_response_s
                  << "), P(wait) = " << waited << " (Erlang C " << expect.wait_probability << ")");
      CHECK(s.latency_mean_s == Approx(expect.mean_response_s).epsilon(0.05));
      CHECK(waited == Approx(expect.wait_probability).epsilon(0.05));
      CHECK(s.throughput_rps == Approx(rate).epsilon(0.02));
      check_little(s);
    }
  }
}

TEST_CASE("a closed loop of clients matches mean value analysis")
{
  const double service_ms = 10, think_ms = 30;
  for (int c : {1, 2}) {
    for (int n : {2, 8, 20}) {
      auto expect = analytic::mva(n, think_ms / 1000, service_ms / 1000, c);
      json load   = {{"type", "closed"}, {"connections", n}, {"think_ms", {{"dist", "exponential"}, {"mean", think_ms}}}};
      Summary s   = run(cpu_scenario(c, service_ms, load, 600));
      INFO("c = " << c << ", N = " << n << ": X = " << s.throughput_rps << " (MVA " << expect.throughput << "), R = "
                  << s.latency_mean_s << " (MVA " << expect.mean_response_s << ")");
      CHECK(s.throughput_rps == Approx(expect.throughput).epsilon(0.05));
      CHECK(s.latency_mean_s == Approx(expect.mean_response_s).epsilon(0.05));
      check_little(s);
    }
  }
}
