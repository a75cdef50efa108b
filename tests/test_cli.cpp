// The gilsim command line: determinism, overrides, traces, and clear errors
// for bad input (exit code 2, naming the file, the JSON path and what was expected).
#include "cli_helpers.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <array>
#include <cstdio>
#include <fstream>
#include <set>
#include <algorithm>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

using json = nlohmann::json;

namespace {

const char* kSmall = R"({
  "name": "small",
  "app": { "endpoints": [ { "name": "p", "steps": [ { "cpu_ms": 2 }, { "io_ms": { "dist": "exponential", "mean": 20 } } ] } ] },
  "load": { "type": "closed", "connections": 16 },
  "duration_s": 10, "warmup_s": 1,
  "servers": [ { "worker_class": "sync", "workers": 2 }, { "worker_class": "gthread", "workers": 1, "threads": 4 } ]
})";

} // namespace

TEST_CASE("the same scenario and seed give identical --json output")
{
  std::string f = write_tmp("det.json", kSmall);
  auto a = cli("run " + f + " --json --seed 7");
  auto b = cli("run " + f + " --json --seed 7");
  auto c = cli("run " + f + " --json --seed 8");
  REQUIRE(a.code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
  json j = json::parse(a.out);
  REQUIRE(j["results"].size() == 2);
  const json& r = j["results"][0];
  for (const char* k : {"label", "worker_class", "throughput_rps", "latency_ms", "completed", "errors", "cpu_utilization",
                        "gil", "memory_mb", "ci95"})
    CHECK(r.contains(k));
  for (const char* k : {"mean", "p50", "p90", "p99", "max"})
    CHECK(r["latency_ms"].contains(k));
  for (const char* k : {"timeout", "refused", "killed", "db"})
    CHECK(r["errors"].contains(k));
  CHECK(r["cpu_utilization"].get<double>() > 0);
  CHECK(r["cpu_utilization"].get<double>() <= 1);
  CHECK(r["ci95"]["throughput_rps"].get<double>() > 0);
  CHECK(j["results"][1]["worker_class"] == "gthread");
  CHECK(r["gil"]["per_process"].size() == 2);
  CHECK(j["results"][1]["gil"]["per_process"][0]["wait_fraction"].get<double>() > 0);
}

TEST_CASE("the set option overrides one value of the scenario")
{
  std::string f = write_tmp("set.json", kSmall);
  auto one  = json::parse(cli("run " + f + " --json").out);
  auto more = json::parse(cli("run " + f + " --json --set servers[0].workers=8").out);
  CHECK(more["results"][0]["throughput_rps"].get<double>() > 2 * one["results"][0]["throughput_rps"].get<double>());
}

TEST_CASE("the trace-out option writes a Chrome trace with states and requests")
{
  std::string f = write_tmp("trace.json", kSmall), t = write_tmp("trace-out.json", "");
  auto o = cli("run " + f + " --trace-out " + t + " --trace-seconds 1");
  REQUIRE(o.code == 0);
  std::ifstream in(t);
  json tr = json::parse(in);
  std::set<std::string> names;
  int requests = 0;
  for (const auto& e : tr["traceEvents"]) {
    if (e["ph"] == "X")
      names.insert(e["name"].get<std::string>());
    if (e["ph"] == "b")
      ++requests;
  }
  CHECK(names.count("running"));
  CHECK(names.count("blocked-io"));
  CHECK(names.count("waiting-gil"));
  CHECK(requests > 100);
}

TEST_CASE("the default run prints the comparison of sync and gthread and gevent on three workloads")
{
  auto o = cli("run --duration 5");
  REQUIRE(o.code == 0);
  for (const char* s : {"CPU-bound", "I/O-bound", "Mixed", "sync", "gthread", "gevent", "req/s", "p99 ms"})
    CHECK(o.out.find(s) != std::string::npos);
}

TEST_CASE("bad input gives exit code 2 and a message naming the file and the JSON path and the expectation")
{
  struct Case {
    const char* what;
    std::string from, to;
    std::string message;
  };
  std::string s = kSmall;
  auto with     = [&](const std::string& from, const std::string& to) {
    std::string t = s;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  std::vector<std::pair<std::string, std::string>> cases = {
      {with("\"threads\": 4", "\"threads\": -2"), "servers[1].threads: expected a positive integer, got -2"},
      {with("\"workers\": 2", "\"wrokers\": 2"), "servers[0].wrokers: unknown key"},
      {with("\"sync\"", "\"fastapi\""), "servers[0].worker_class: expected one of \"sync\""},
      {with("{ \"cpu_ms\": 2 }", "{ \"cpu_ms\": 2, \"io_ms\": 3 }"), "app.endpoints[0].steps[0]: expected exactly one of"},
      {with("\"exponential\"", "\"gaussian\""), "app.endpoints[0].steps[1].io_ms.dist: expected one of"},
      {with("\"connections\": 16", "\"connections\": \"many\""), "load.connections: expected a positive integer, got \"many\""},
      {with("\"warmup_s\": 1", "\"warmup_s\": 10"), "warmup_s: expected a number < duration_s"},
      {with("\"duration_s\": 10,", "\"duration_s\": 10,,"), ": invalid JSON"},
      {with("\"servers\": [", "\"expect\": [ { \"metric\": \"throughput_rps\", \"of\": \"nope\" } ], \"servers\": ["),
       "expect[0].of: expected the label of a server"},
      {with("\"load\"", "\"lode\""), "lode: unknown key"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string f = write_tmp("bad" + std::to_string(i) + ".json", cases[i].first);
    auto o        = cli("run " + f);
    INFO("case " << i << ": " << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find(f) != std::string::npos);
    CHECK(o.err.find(cases[i].second) != std::string::npos);
  }
  auto missing = cli("run /nonexistent/x.json");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("/nonexistent/x.json: cannot open file") != std::string::npos);
  std::string f = write_tmp("ok.json", kSmall);
  auto bad_set  = cli("run " + f + " --set servers[5].workers=2");
  CHECK(bad_set.code == 2);
  CHECK(bad_set.err.find("servers has no element [5]") != std::string::npos);
  auto set_type = cli("run " + f + " --set servers[0].workers=zero");
  CHECK(set_type.code == 2);
  CHECK(set_type.err.find("servers[0].workers: expected a positive integer, got \"zero\"") != std::string::npos);
  auto bad_flag = cli("run " + f + " --seed -3");
  CHECK(bad_flag.code == 2);
  auto bad_cmd = cli("fly");
  CHECK(bad_cmd.code == 2);
  auto bad_target = cli("validate validate-db --target moon");
  CHECK(bad_target.code == 2);
  auto db_on_server = cli("validate validate-db --target both"); // refused before anything runs
  CHECK(db_on_server.code == 2);
  CHECK(db_on_server.err.find("validate-db: db_ms steps: gilsim-server has no database") != std::string::npos);
}

TEST_CASE("sweep runs the grid of values")
{
  std::string f = write_tmp("sweep.json", kSmall);
  auto o        = cli("sweep " + f + " --vary servers[0].workers=1,4 --csv");
  REQUIRE(o.code == 0);
  CHECK(std::count(o.out.begin(), o.out.end(), '\n') == 5); // header + 2 points x 2 servers
}
