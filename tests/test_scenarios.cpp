// Every scenario under scenarios/ loads, runs, and meets the figures it
// promises in its "expect" list (the claims of REFERENCE.md and Gunicorn's
// timeout behaviour); Little's law holds on every long enough run.
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include <catch2/catch.hpp>

using namespace gilsim;
using json = nlohmann::json;

TEST_CASE("every built-in scenario runs and meets its expectations")
{
  REQUIRE(builtin_scenarios().size() >= 15);
  int little_checked = 0;
  for (const auto& [name, text] : builtin_scenarios()) {
    {
      Scenario sc = load_scenario(parse_json(text, name), name);
      std::vector<RunConfig> runs;
      for (std::size_t s = 0; s < sc.servers.size(); ++s)
        for (int r = 0; r < sc.replications; ++r)
          runs.push_back(sc.run(s, r));
      auto res = run_all(runs, 2);
      json results = json::array();
      for (std::size_t s = 0; s < sc.servers.size(); ++s) {
        Summary sum = summarize({res.begin() + static_cast<long>(s * sc.replications),
                                 res.begin() + static_cast<long>((s + 1) * sc.replications)});
        results.push_back(summary_to_json(sum));
        const Results& t = sum.total;
        // Little's law, where the window holds many sojourns and none is long
        // enough for the window's edges to matter
        if (t.departure_rate * t.window_s > 2000 && t.latency.max() < t.window_s / 50) {
          INFO(name << " / " << sum.label << ": L = " << t.mean_in_system << ", lambda W = " << t.departure_rate * t.mean_sojourn_s);
          CHECK(t.mean_in_system == Approx(t.departure_rate * t.mean_sojourn_s).epsilon(0.02));
          ++little_checked;
        }
      }
      for (const auto& f : check_expectations(sc, results))
        FAIL_CHECK(f);
    }
  }
  CHECK(little_checked >= 20);
}

TEST_CASE("a database connection goes back only when its greenlet runs again")
{
  // Two greenlets take turns on one hub: 50 ms of Python, a 10 ms query, 50 ms
  // of Python, each. A query ends while the other greenlet computes; the
  // connection is closed by Python code, so it stays open until the hub comes
  // back to its greenlet — by then the other greenlet has opened its own. Had
  // it been closed when the query ended, the queries (10 ms, 50 ms apart)
  // would never hold two connections at once.
  json j = json::parse(R"({
    "name": "connection release", "machine": { "cores": 1 },
    "app": { "endpoints": [ { "name": "q", "steps": [ { "cpu_ms": 50 }, { "db_ms": 10 }, { "cpu_ms": 50 } ] } ] },
    "database": { "max_connections": 100 },
    "load": { "type": "closed", "connections": 2 },
    "duration_s": 20, "warmup_s": 1,
    "servers": [ { "label": "gevent, no pool", "worker_class": "gevent", "workers": 1, "pool": { "type": "none" } } ]
  })");
  Scenario sc = load_scenario(j, "connection release");
  auto res    = run_all({sc.run(0, 0)}, 1);
  CHECK(res[0].completed > 150);
  CHECK(res[0].peak_db_connections == 2);
}

TEST_CASE("the lock's figures cover every worker process that lived in the window")
{
  // One gthread worker, CPU-bound: its lock is held whenever it serves. With
  // max_requests the arbiter replaces it 14 times, and each new worker boots
  // for a second first: the lock is held for the share of the time the
  // workers served — the throughput's share — not the last worker's figure.
  json j = json::parse(R"({
    "name": "lock over recycled processes", "machine": { "cores": 2 },
    "app": { "endpoints": [ { "name": "a", "steps": [ { "cpu_ms": 10 } ] } ] },
    "load": { "type": "closed", "connections": 16 },
    "duration_s": 30, "warmup_s": 1,
    "servers": [ { "label": "kept", "worker_class": "gthread", "workers": 1, "threads": 4 },
                 { "label": "recycled", "worker_class": "gthread", "workers": 1, "threads": 4, "max_requests": 100 } ]
  })");
  Scenario sc = load_scenario(j, "lock over recycled processes");
  auto res    = run_all({sc.run(0, 0), sc.run(1, 0)}, 2);
  REQUIRE(res[1].worker_restarts >= 10);
  CHECK(res[0].gil_held_fraction == Approx(1.0).epsilon(0.01));
  double served_share = res[1].throughput_rps() / res[0].throughput_rps();
  CHECK(served_share < 0.8);
  CHECK(res[1].gil_held_fraction == Approx(served_share).epsilon(0.05));
  CHECK(res[1].gil_wait_fraction == Approx(served_share).epsilon(0.05));
}
