// The trace a run records (gilsim run --trace-file) and the reader the studio
// links: what is in it must be what the simulation did, and a bad file must be
// refused with a message naming it.
#include "cli_helpers.hpp"
#include "engine/trace_file.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <set>

using json = nlohmann::json;
namespace tr = gilsim::trace;

namespace {

// One gthread worker of 4 threads and two gevent workers on CPU-heavy work: the lock is contended.
const char* kContended = R"({
  "name": "contended",
  "machine": { "cores": 2 },
  "app": { "endpoints": [ { "name": "page", "steps": [ { "cpu_ms": 12 }, { "io_ms": 3 } ] } ] },
  "load": { "type": "closed", "connections": 16 },
  "duration_s": 3, "warmup_s": 0.5, "seed": 3,
  "servers": [
    { "label": "gthread 1w x 4t", "worker_class": "gthread", "workers": 1, "threads": 4 },
    { "label": "gevent 2w", "worker_class": "gevent", "workers": 2 },
    { "label": "uvicorn 1w", "worker_class": "uvicorn", "workers": 1 }
  ]
})";

struct Traced {
  json result;
  tr::Trace trace;
};

Traced traced(const std::string& scenario, int server, const std::string& extra = "")
{
  std::string file = write_tmp("trace-" + std::to_string(server) + ".gtrace", "");
  auto o           = cli("run " + scenario + " --server " + std::to_string(server) + " --json --trace-file " + file + " " + extra);
  REQUIRE(o.code == 0);
  return {json::parse(o.out)["results"][0], tr::read(file)};
}

double interval_end(const tr::Trace& t, const tr::LaneStates& s, std::size_t i)
{
  return i + 1 < s.size() ? s.start[i + 1] : t.until_s;
}

std::set<tr::State> states_seen(const tr::Trace& t)
{
  std::set<tr::State> seen;
  for (const auto& s : t.states)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (interval_end(t, s, i) > s.start[i])
        seen.insert(s.state[i]);
  return seen;
}

std::string bytes_of(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string read_error(const std::string& path)
{
  try {
    tr::read(path);
  } catch (const gilsim::TraceError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("recording a trace and reporting progress change none of the figures")
{
  std::string f = write_tmp("contended.json", kContended);
  for (int server : {0, 1}) {
    auto plain = cli("run " + f + " --server " + std::to_string(server) + " --json");
    auto t     = traced(f, server, "--progress");
    REQUIRE(plain.code == 0);
    CHECK(json::parse(plain.out)["results"][0] == t.result);
  }
}

TEST_CASE("a trace covers its window with every lane's states, back to back")
{
  std::string f = write_tmp("contended.json", kContended);
  auto t        = traced(f, 0).trace;
  CHECK(t.from_s == Approx(0.5));
  CHECK(t.until_s == Approx(2.5));
  REQUIRE(!t.lanes.empty());
  for (const auto& l : t.lanes) {
    const auto& s = t.states[l.id];
    REQUIRE(s.size() > 0);
    CHECK(s.start.front() == Approx(t.from_s));
    double sum = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      CHECK(interval_end(t, s, i) >= s.start[i]);
      sum += interval_end(t, s, i) - s.start[i];
    }
    CHECK(sum == Approx(t.until_s - t.from_s));
  }
  std::set<tr::State> want = {tr::State::idle, tr::State::running, tr::State::waiting_gil, tr::State::blocked_io};
  for (tr::State s : want)
    CHECK(states_seen(t).count(s) == 1);
}

TEST_CASE("the lanes nest threads under processes and greenlets or tasks under the hub's thread")
{
  std::string f = write_tmp("contended.json", kContended);
  auto kinds_under_process = [](const tr::Trace& t) {
    std::set<tr::LaneKind> k;
    for (const auto& l : t.lanes)
      if (l.parent >= 0)
        k.insert(l.kind);
    return k;
  };
  auto gthread = traced(f, 0).trace;
  CHECK(kinds_under_process(gthread) == std::set<tr::LaneKind>{tr::LaneKind::thread});
  CHECK(std::count_if(gthread.lanes.begin(), gthread.lanes.end(), [](const auto& l) { return l.kind == tr::LaneKind::arbiter; }) == 1);
  auto gevent = traced(f, 1).trace;
  CHECK(kinds_under_process(gevent) == std::set<tr::LaneKind>{tr::LaneKind::thread, tr::LaneKind::greenlet});
  for (const auto& l : gevent.lanes)
    if (l.kind == tr::LaneKind::greenlet)
      CHECK(gevent.lanes[static_cast<std::size_t>(l.parent)].kind == tr::LaneKind::thread);
  auto uvicorn = traced(f, 2).trace;
  CHECK(kinds_under_process(uvicorn).count(tr::LaneKind::task) == 1);
}

TEST_CASE("the lock strip has one holder at a time, who is running, and drop requests while threads wait")
{
  std::string f = write_tmp("contended.json", kContended);
  auto t        = traced(f, 0).trace;
  REQUIRE(t.locks.size() == 1);
  const auto& lk = t.locks[0];
  REQUIRE(lk.holds.size() > 10);
  double held = 0;
  for (std::size_t i = 0; i < lk.holds.size(); ++i) {
    CHECK(lk.holds[i].end_s >= lk.holds[i].start_s);
    if (i > 0)
      CHECK(lk.holds[i].start_s >= lk.holds[i - 1].end_s);
    held += lk.holds[i].end_s - lk.holds[i].start_s;
  }
  CHECK(!lk.drop_requests.empty());
  CHECK(!lk.forced_switches.empty());
  // a holder in the middle of its hold is not waiting for the lock it holds
  for (const auto& h : lk.holds) {
    double mid = (h.start_s + h.end_s) / 2;
    long i     = t.states[h.lane].at(mid);
    if (h.end_s > h.start_s && i >= 0)
      CHECK(t.states[h.lane].state[static_cast<std::size_t>(i)] != tr::State::waiting_gil);
  }
  // the lock is held about as long as the threads run Python (one core at a time)
  double running = 0;
  for (const auto& l : t.lanes) {
    const auto& s = t.states[l.id];
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.state[i] == tr::State::running)
        running += interval_end(t, s, i) - s.start[i];
  }
  CHECK(held == Approx(running).epsilon(0.05));
}

TEST_CASE("a request's life in the trace runs from sent to finished through its unit's intervals")
{
  std::string f = write_tmp("contended.json", kContended);
  auto t        = traced(f, 0).trace;
  int complete  = 0;
  for (const auto& q : t.requests) {
    if (std::isnan(q.sent_s) || !q.finished || std::isnan(q.started_s))
      continue;
    ++complete;
    CHECK(q.sent_s <= q.started_s);
    CHECK(q.started_s <= q.finished_s);
    CHECK(q.worker_lane >= 0);
    REQUIRE(q.unit_lane >= 0);
    const auto& s = t.states[static_cast<std::size_t>(q.unit_lane)];
    long i        = s.at((q.started_s + q.finished_s) / 2);
    CHECK(s.request[static_cast<std::size_t>(i)] == q.id + 1);
    // its one I/O step begins once its CPU has run: its unit is blocked from then on
    REQUIRE(q.steps.size() == 1);
    CHECK(q.steps[0].kind == gilsim::trace_format::RequestEvent::step_io);
    CHECK(q.steps[0].t_s > q.started_s);
    CHECK(s.state[static_cast<std::size_t>(s.at(q.steps[0].t_s))] == tr::State::blocked_io);
  }
  CHECK(complete > 50);
}

TEST_CASE("requests in the system, which follow the request records, match the run's own count")
{
  std::string f = write_tmp("contended.json", kContended);
  auto t        = traced(f, 1).trace;
  const tr::CounterSeries* in_system = nullptr;
  for (const auto& c : t.counters)
    if (c.name == "in system")
      in_system = &c;
  REQUIRE(in_system);
  REQUIRE(in_system->t_s.size() > 100);
  // the aggregates' bucket means come from the engine's counter events, the
  // file's series from the sent and finished records
  const auto& a = t.aggregates;
  auto mean     = [&](double from, double to) {
    double area = 0, at = from;
    for (std::size_t i = 0; i < in_system->t_s.size(); ++i) {
      double next = std::min(to, in_system->t_s[i]);
      if (next > at) {
        area += in_system->value_at(at) * (next - at);
        at = next;
      }
    }
    return (area + in_system->value_at(at) * (to - at)) / (to - from);
  };
  int compared = 0;
  for (std::size_t b = 0; b < a.buckets(); ++b) {
    double from = b * a.bucket_s, to = from + a.bucket_s;
    if (from < t.from_s - 1e-9 || to > t.until_s + 1e-9)
      continue;
    CHECK(mean(from, to) == Approx(a.in_system[b]).epsilon(1e-6));
    ++compared;
  }
  CHECK(compared >= 15);
}

TEST_CASE("the aggregates count the run's completed requests bucket by bucket")
{
  std::string f = write_tmp("contended.json", kContended);
  auto t        = traced(f, 1);
  const auto& a = t.trace.aggregates;
  REQUIRE(a.buckets() == 30);
  double in_window = 0;
  for (std::size_t b = 5; b < a.buckets(); ++b)
    in_window += a.completed[b];
  CHECK(in_window == t.result["completed"].get<double>());
  double cpu = 0;
  for (std::size_t b = 5; b < a.buckets(); ++b)
    cpu += a.cpu[b] / 25;
  CHECK(cpu == Approx(t.result["cpu_utilization"].get<double>()).epsilon(0.01));
  CHECK(a.cdf_ms.size() == 101);
  CHECK(std::is_sorted(a.cdf_ms.begin(), a.cdf_ms.end()));
  CHECK(a.cdf_ms[50] == Approx(t.result["latency_ms"]["p50"].get<double>()).epsilon(0.01));
}

TEST_CASE("a worker killed by the timeout is in the trace with its reason")
{
  auto t    = traced("effect-timeout-cpu", 0, "--trace-from 0 --trace-until 30");
  auto died = std::count_if(t.trace.workers.begin(), t.trace.workers.end(),
                            [](const auto& w) { return w.event == tr::WorkerEvent::died_timeout; });
  CHECK(died == t.result["worker_kills"].get<long>() + 0);
  CHECK(died >= 1);
  CHECK(states_seen(t.trace).count(tr::State::killed) == 1);
}

TEST_CASE("the trace reader refuses a foreign, a truncated and a later-version file, naming it")
{
  std::string f    = write_tmp("contended.json", kContended);
  std::string file = write_tmp("good.gtrace", "");
  REQUIRE(cli("run " + f + " --server 0 --trace-file " + file).code == 0);
  std::string good = bytes_of(file);

  std::string foreign = write_tmp("foreign.gtrace", "{\"traceEvents\": []}");
  CHECK_THAT(read_error(foreign), Catch::Contains(foreign) && Catch::Contains("not a gilsim trace file"));

  std::string cut = write_tmp("cut.gtrace", good.substr(0, good.size() / 2));
  CHECK_THAT(read_error(cut), Catch::Contains(cut) && Catch::Contains("truncated"));

  std::string later = good;
  later[8]          = 99;
  std::string v99   = write_tmp("v99.gtrace", later);
  CHECK_THAT(read_error(v99), Catch::Contains("version 99"));

  CHECK_THAT(read_error("/nonexistent/x.gtrace"), Catch::Contains("cannot open"));
  auto o = cli("trace " + cut);
  CHECK(o.code == 2);
  CHECK_THAT(o.err, Catch::Contains("truncated"));
}

TEST_CASE("a trace window outside the run is refused before anything runs")
{
  std::string f = write_tmp("contended.json", kContended);
  auto o        = cli("run " + f + " --server 0 --trace-file /tmp/x.gtrace --trace-from 2 --trace-until 9");
  CHECK(o.code == 2);
  CHECK_THAT(o.err, Catch::Contains("--trace-from/--trace-until"));
  o = cli("run " + f + " --trace-file /tmp/x.gtrace");
  CHECK(o.code == 2);
  CHECK_THAT(o.err, Catch::Contains("--server K"));
  o = cli("run " + f + " --server 7 --json");
  CHECK(o.code == 2);
  CHECK_THAT(o.err, Catch::Contains("0 to 2"));
}

TEST_CASE("a trace beyond the interval budget is read with coarser detail, its time kept")
{
  namespace tf = gilsim::trace_format;
  std::string file = write_tmp("big.gtrace", "");
  {
    gilsim::TraceFileWriter w(file);
    w.blob(0, tf::BlobKind::header, {{"window_s", {0, 1}}});
    w.lane(0, 0, -1, 1, tf::LaneKind::thread, "busy thread");
    // 10 µs running, 30 µs waiting for the lock, 25,000 times over one second
    for (int i = 0; i < 25000; ++i) {
      w.record(tf::Kind::state, static_cast<uint8_t>(tf::State::running), i * 40e-6, 0, 1);
      w.record(tf::Kind::state, static_cast<uint8_t>(tf::State::waiting_gil), i * 40e-6 + 10e-6, 0, 1);
    }
    w.finish(1);
  }
  auto full = tr::read(file);
  CHECK(full.interval_count() == 50000);
  CHECK(full.coarsened_to_s == 0);
  tr::ReadOptions small;
  small.max_intervals = 1000;
  auto coarse         = tr::read(file, small);
  CHECK(coarse.interval_count() <= 1000);
  CHECK(coarse.coarsened_to_s > 40e-6);
  const auto& s = coarse.states[0];
  CHECK(s.start.front() == 0);
  CHECK(std::is_sorted(s.start.begin(), s.start.end()));
  for (auto st : s.state) // waiting holds three quarters of every merged run
    CHECK(st == tr::State::waiting_gil);
}

TEST_CASE("a hub's thread shows what its green threads do: blocked while an unpatched call blocks it")
{
  auto t = traced("claim-08-unpatched-blocking", 1).trace;
  int hubs = 0;
  for (const auto& l : t.lanes) {
    if (l.kind != tr::LaneKind::thread || l.children.empty())
      continue;
    ++hubs;
    const auto& s = t.states[l.id];
    double blocked = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.state[i] == tr::State::blocked_io)
        blocked += interval_end(t, s, i) - s.start[i];
    CHECK(blocked / (t.until_s - t.from_s) > 0.8);
  }
  CHECK(hubs >= 1);
}

TEST_CASE("a trace's header holds the resolved run and its hash, which names the run and nothing else")
{
  std::string f = write_tmp("contended.json", kContended);
  auto header   = [&](const std::string& extra) { return traced(f, 1, extra).trace.header; };
  json a = header(""), b = header("--trace-from 1 --trace-until 1.5"), c = header("--seed 4");
  const json& cfg = a["config"];
  CHECK(cfg["server"]["worker_class"] == "gevent");
  CHECK(cfg["server"]["workers"] == 2);
  CHECK(cfg["server"]["overhead_s"].get<double>() > 0);       // a default, filled in
  CHECK(cfg["app"]["endpoints"][0]["steps"][0]["duration_s"]["a"] == Approx(0.012));
  CHECK(cfg["seed"] == 3);
  REQUIRE(a["run"].get<std::string>().size() == 64);
  CHECK(a["run"] == b["run"]);  // where the window is changes nothing of the run
  CHECK(a["run"] != c["run"]);  // another seed is another run
  CHECK(c["config"]["seed"] == 4);
}

TEST_CASE("a trace that cannot be written (a full disk) fails the run with a message, never silently")
{
  std::string f = write_tmp("contended.json", kContended);
  auto o        = cli("run " + f + " --server 1 --trace-file /dev/full");
  CHECK(o.code != 0);
  CHECK(o.err.find("/dev/full: writing the trace failed (disk full?)") != std::string::npos);
}
