// Results that explain themselves: per worker and per endpoint figures, the
// warnings a table needs, and the events under it — each checked against the
// run's own totals.
#include "cli_helpers.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>

using json = nlohmann::json;

namespace {

// Two endpoints, persistent connections opened at once onto 2 gthread workers.
const char* kTwoEndpoints = R"({
  "name": "two endpoints",
  "app": { "endpoints": [
    { "name": "page", "weight": 3, "steps": [ { "cpu_ms": 2 }, { "io_ms": { "dist": "exponential", "mean": 20 } } ] },
    { "name": "report", "weight": 1, "steps": [ { "cpu_ms": 10 } ] } ] },
  "load": { "type": "closed", "connections": 64 },
  "duration_s": 8, "warmup_s": 2,
  "servers": [ { "label": "gthread 2w x 16t", "worker_class": "gthread", "workers": 2, "threads": 16 } ]
})";

json run_json(const std::string& scenario, const std::string& extra = "")
{
  auto o = cli("run " + scenario + " --json " + extra);
  REQUIRE(o.code == 0);
  return json::parse(o.out)["results"][0];
}

} // namespace

TEST_CASE("per worker: what each process served, held and used adds up to the run's totals")
{
  json r  = run_json(write_tmp("two-endpoints.json", kTwoEndpoints));
  auto& w = r["per_worker"];
  REQUIRE(w.size() == 2);
  double served = 0, cores = 0, held = 0;
  int peak      = 0;
  for (const auto& p : w) {
    served += p["served"].get<double>();
    cores += p["cpu_cores"].get<double>();
    held += p["gil"]["held_fraction"].get<double>() / 2;
    peak += p["connections"]["peak"].get<int>();
    CHECK(p["connections"]["mean"].get<double>() <= p["connections"]["peak"].get<double>());
  }
  CHECK(served == r["completed"].get<double>());
  CHECK(cores == Approx(r["cpu_utilization"].get<double>() * 2).epsilon(1e-6));
  CHECK(held == Approx(r["gil"]["held_fraction"].get<double>()).epsilon(1e-6));
  CHECK(peak <= 64);
}

TEST_CASE("per endpoint: each endpoint's requests and percentiles, in the scenario's order")
{
  json r  = run_json(write_tmp("two-endpoints.json", kTwoEndpoints));
  auto& e = r["per_endpoint"];
  REQUIRE(e.size() == 2);
  CHECK(e[0]["name"] == "page");
  CHECK(e[1]["name"] == "report");
  CHECK(e[0]["completed"].get<double>() + e[1]["completed"].get<double>() == r["completed"].get<double>());
  CHECK(e[0]["completed"].get<double>() > 2 * e[1]["completed"].get<double>()); // weights 3 : 1
  for (const auto& x : e)
    CHECK(x["latency_ms"]["p50"].get<double>() <= x["latency_ms"]["p99"].get<double>());
}

TEST_CASE("the table prints per-worker and per-endpoint tables on request, and its columns explained")
{
  auto o = cli("run " + write_tmp("two-endpoints.json", kTwoEndpoints) + " --per-worker --per-endpoint");
  REQUIRE(o.code == 0);
  CHECK(o.out.find("gthread 2w x 16t, per worker:") != std::string::npos);
  CHECK(o.out.find("conns peak") != std::string::npos);
  CHECK(o.out.find("gthread 2w x 16t, per endpoint:") != std::string::npos);
  CHECK(o.out.find("  report ") != std::string::npos);
  CHECK(o.out.find("a killed worker (requests, not") != std::string::npos);
  CHECK(o.out.find("±95%: half-width") != std::string::npos);
  auto plain = cli("run " + write_tmp("two-endpoints.json", kTwoEndpoints));
  CHECK(plain.out.find("per worker:") == std::string::npos);
}

TEST_CASE("a run whose queue grows for the whole window is flagged as not in a steady state")
{
  // 300 req/s offered to a gevent worker that serves about 200, no proxy to give up
  auto over = run_json("effect-overload-collapse", "--server 1 --set proxy.read_timeout_s=100000 --duration 20");
  REQUIRE(over["warnings"].size() >= 1);
  CHECK(over["warnings"].dump().find("not in a steady state") != std::string::npos);
  auto steady = run_json(write_tmp("two-endpoints.json", kTwoEndpoints));
  for (const auto& w : steady["warnings"])
    CHECK(w.get<std::string>().find("steady") == std::string::npos);
}

TEST_CASE("constant step times are noted, exponential ones are not")
{
  auto constant = run_json("effect-overload-collapse", "--server 0 --duration 10");
  CHECK(constant["warnings"].dump().find("constant time") != std::string::npos);
  auto varied = run_json(write_tmp("two-endpoints.json", kTwoEndpoints));
  CHECK(varied["warnings"].dump().find("constant time") == std::string::npos);
}

TEST_CASE("workers killed by the timeout and recycled at max_requests are said under the table")
{
  auto killed = cli("run effect-timeout-cpu --duration 40");
  REQUIRE(killed.code == 0);
  CHECK(killed.out.find("killed by the timeout") != std::string::npos);
  auto recycled = cli("run effect-max-requests --server 1 --duration 20");
  CHECK(recycled.out.find("recycled at max_requests") != std::string::npos);
}
