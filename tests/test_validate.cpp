// `gilsim validate`'s pieces that do not need real servers: reading wrk's
// report, and refusing scenarios it cannot run for real.
#include "real_gunicorn.hpp"
#include "real_postgres.hpp"
#include "scenario.hpp"
#include "validate.hpp"
#include "engine/trace_file.hpp"
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <chrono>
#include <functional>
#include <optional>
#include <sched.h>
#include <thread>
#include <time.h>

using namespace gilsim;

namespace {
/// The share of core `core` a spinning thread gets over 300 ms: near 1 on an
/// idle machine, well below when other work runs there.
double core_share(int core)
{
  double share = 0;
  std::thread t([&] {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    sched_setaffinity(0, sizeof set, &set);
    timespec c0{}, c1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    auto w0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - w0 < std::chrono::milliseconds(300)) {
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    double cpu = static_cast<double>(c1.tv_sec - c0.tv_sec) + static_cast<double>(c1.tv_nsec - c0.tv_nsec) * 1e-9;
    share      = cpu / std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  });
  t.join();
  return share;
}

/// A real measurement on this shared machine can be disturbed by a neighbour:
/// if the first one misses the (wide) tolerance, measure once more and judge
/// that. Returns nothing (after a warning) when the second misses too while
/// the server's core is busy with other work: a busy machine, not a wrong model.
std::optional<nlohmann::json> measure_twice_if_noisy(const std::function<nlohmann::json()>& measure, double tolerance)
{
  auto ok = [&](const nlohmann::json& report) {
    if (report["same_ranking"] != true)
      return false;
    for (const auto& r : report["results"])
      if (std::abs(r["relative_error"]["throughput"].get<double>()) >= tolerance)
        return false;
    return true;
  };
  auto report = measure();
  if (ok(report))
    return report;
  report = measure();
  double share = core_share(0);
  if (!ok(report) && share < 0.85) {
    WARN("skipped: the server's core gave a spinning thread only " << static_cast<int>(100 * share)
                                                                    << " % of its time: the machine is busy\n"
                                                                    << report.dump(2));
    return std::nullopt;
  }
  return report;
}
} // namespace

TEST_CASE("wrk's report is read for throughput and latency percentiles and errors")
{
  const char* report = R"(Running 5s test @ http://127.0.0.1:18080/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    69.60ms   41.02ms 280.11ms   70.39%
    Req/Sec   233.63     36.74   282.00     63.33%
  Latency Distribution
     50%   61.49ms
     75%   88.66ms
     90%  121.60us
     99%    1.85s
  4170 requests in 5.01s, 596.25KB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    832.57
Transfer/sec:     32.02KB
)";
  validate::Measured m = validate::parse_wrk(report);
  CHECK(m.throughput_rps == Approx(832.57));
  CHECK(m.requests == 4170);
  CHECK(m.latency_mean_ms == Approx(69.60));
  CHECK(m.p50_ms == Approx(61.49));
  CHECK(m.p90_ms == Approx(0.1216));
  CHECK(m.p99_ms == Approx(1850));
  CHECK(m.errors == 9);
  CHECK_THROWS(validate::parse_wrk("wrk: connection refused"));
}

TEST_CASE("validation refuses loads wrk cannot generate before starting anything")
{
  auto doc = nlohmann::json::parse(R"({"app": {"endpoints": [{"steps": [{"cpu_ms": 1}]}]},
                                       "load": {"type": "open", "rate_rps": 50}, "servers": [{}]})");
  Scenario open = load_scenario(doc, "open.json");
  CHECK_THROWS_WITH(validate::validate_gunicorn(open, {}, nullptr),
                    Catch::Contains("open.json: load.type: expected \"closed\" for validation"));
  doc["load"]   = {{"type", "closed"}, {"think_ms", 10}};
  Scenario think = load_scenario(doc, "think.json");
  CHECK_THROWS_WITH(validate::validate_gunicorn(think, {}, nullptr),
                    Catch::Contains("think.json: load.think_ms: expected none for validation"));
  doc["load"]   = {{"type", "closed"}};
  doc["app"]    = nlohmann::json::parse(R"({"endpoints": [{"steps": [{"db_ms": 5}]}]})");
  Scenario db   = load_scenario(doc, "db.json");
  CHECK_THROWS_WITH(validate::validate_gunicorn(db, {}, nullptr, doc, "/bin/gilsim-server"),
                    Catch::Contains("db.json: db_ms steps: gilsim-server has no database"));

}

TEST_CASE("real Gunicorn ranks I/O-bound configurations as the simulation predicts")
{
  if (!validate::missing_tools().empty()) {
    WARN("skipped: Gunicorn or wrk is not installed (bash .ci/install-validation)");
    return;
  }
  std::string source;
  Scenario sc = load_scenario(load_document("validate-io-bound", source), source);
  validate::Options o;
  o.seconds     = 5;
  o.warmup_s    = 1;
  auto measured = measure_twice_if_noisy([&] { return validate::validate_gunicorn(sc, o, nullptr); }, 0.6);
  if (!measured)
    return;
  const auto& report = *measured;
  INFO(report.dump(2));
  CHECK(report["same_ranking"] == true);
  for (const auto& r : report["results"]) {
    // wide: a short run on a shared machine
    CHECK(std::abs(r["relative_error"]["throughput"].get<double>()) < 0.6);
    CHECK(r["measured"]["errors"].get<long>() == 0);
  }
}

TEST_CASE("gilsim-server ranks sync gthread and gevent configurations as the simulation predicts")
{
  if (!validate::missing_tools().empty()) {
    WARN("skipped: wrk is not installed (bash .ci/install-validation)");
    return;
  }
  std::string source;
  auto doc        = load_document("validate-io-bound", source);
  doc["servers"]  = nlohmann::json::parse(R"([{"label": "sync 4w", "worker_class": "sync", "workers": 4},
                                             {"label": "gthread 1w x 16t", "worker_class": "gthread", "threads": 16},
                                             {"label": "gevent 1w", "worker_class": "gevent"}])");
  Scenario sc     = load_scenario(doc, source);
  validate::Options o;
  o.seconds   = 4;
  o.warmup_s  = 1;
  auto measured =
      measure_twice_if_noisy([&] { return validate::validate_gunicorn(sc, o, nullptr, doc, GILSIM_SERVER_BIN); }, 0.6);
  if (!measured)
    return;
  const auto& report = *measured;
  INFO(report.dump(2));
  CHECK(report["target"] == "server");
  CHECK(report["same_ranking"] == true);
  for (const auto& r : report["results"])
    CHECK(std::abs(r["relative_error"]["throughput"].get<double>()) < 0.6);
}

TEST_CASE("real Gunicorn on a real PostgreSQL ranks pools as the simulation predicts and refuses without one")
{
  if (!validate::missing_tools().empty() || !validate::RealDatabase::missing_tools().empty()) {
    WARN("skipped: Gunicorn, wrk, PostgreSQL or PgBouncer is not installed (bash .ci/install-validation)");
    return;
  }
  std::string source;
  auto doc       = load_document("validate-db", source);
  doc["servers"] = nlohmann::json::parse(R"([{"label": "sync 2w", "worker_class": "sync", "workers": 2},
                                            {"label": "gevent pool", "worker_class": "gevent"},
                                            {"label": "gevent PgBouncer", "worker_class": "gevent", "pool": {"type": "shared", "pool_size": 10}},
                                            {"label": "gevent no pool", "worker_class": "gevent", "pool": {"type": "none"}}])");
  Scenario sc    = load_scenario(doc, source);
  validate::Options o;
  o.seconds   = 3;
  o.warmup_s  = 1;
  auto measured = measure_twice_if_noisy([&] { return validate::validate_gunicorn(sc, o, nullptr); }, 0.6);
  if (!measured)
    return;
  const auto& report = *measured;
  INFO(report.dump(2));
  CHECK(report["same_ranking"] == true);
  const auto& r = report["results"];
  for (int i : {0, 1, 2}) {
    CHECK(r[i]["measured"]["errors"].get<long>() == 0); // a pool keeps within max_connections
    CHECK(std::abs(r[i]["relative_error"]["throughput"].get<double>()) < 0.6);
  }
  CHECK(r[3]["measured"]["errors"].get<long>() > 0); // PostgreSQL refuses connections beyond max_connections
  CHECK(report["calibration"]["database"]["connect_ms"].get<double>() > 0);
}

TEST_CASE("gilsim-server's gthread mode records a real timeline: one lock holder at a time, who runs")
{
  if (!validate::missing_tools().empty()) {
    WARN("skipped: wrk is not installed (bash .ci/install-validation)");
    return;
  }
  auto doc = nlohmann::json::parse(R"({"name": "real timeline", "machine": {"cores": 2},
    "app": {"endpoints": [{"name": "p", "steps": [{"cpu_ms": 12}, {"io_ms": 3}]}]},
    "load": {"type": "closed", "connections": 8}, "duration_s": 4, "warmup_s": 1,
    "servers": [{"label": "gthread 1w x 4t", "worker_class": "gthread", "threads": 4}]})");
  Scenario sc = load_scenario(doc, "real-timeline");
  validate::Options o;
  o.seconds   = 3;
  o.warmup_s  = 1;
  o.trace_dir = "/tmp/gilsim-test-real-" + std::to_string(getpid());
  auto report = validate::validate_gunicorn(sc, o, nullptr, doc, GILSIM_SERVER_BIN);
  trace::Trace t = trace::read_dir(report["results"][0]["real_trace_dir"].get<std::string>());
  std::filesystem::remove_all(o.trace_dir);
  CHECK(t.header["real"] == true);
  CHECK(t.from_s == Approx(1)); // the simulated window's start: the end of the warm-up
  REQUIRE(t.locks.size() == 1);
  const auto& holds = t.locks[0].holds;
  REQUIRE(holds.size() > 20);
  double held = 0, running = 0;
  for (std::size_t i = 0; i < holds.size(); ++i) {
    if (i > 0)
      CHECK(holds[i].start_s >= holds[i - 1].end_s);
    held += holds[i].end_s - holds[i].start_s;
  }
  for (const auto& s : t.states)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.state[i] == trace::State::running)
        running += (i + 1 < s.size() ? s.start[i + 1] : t.until_s) - s.start[i];
  CHECK(running == Approx(held).epsilon(0.02)); // a thread runs Python exactly while it holds the lock
  CHECK(!t.locks[0].drop_requests.empty());     // four CPU-bound threads: the holder is asked to drop
}
