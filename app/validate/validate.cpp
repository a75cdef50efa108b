#include "validate.hpp"
#include "real_gunicorn.hpp"
#include "real_postgres.hpp"
#include "report.hpp"
#include "runner.hpp"
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>
#include <unistd.h>
#include <thread>

namespace gilsim::validate {

using json = nlohmann::json;

namespace {

std::string pct(double predicted, double measured)
{
  if (measured == 0)
    return "-";
  std::ostringstream o;
  o << std::showpos << std::fixed << std::setprecision(0) << 100 * (predicted - measured) / measured << "%";
  return o.str();
}

std::string num(double v, int prec)
{
  std::ostringstream o;
  o << std::fixed << std::setprecision(prec) << v;
  return o.str();
}

/// Every pair of configurations the simulation tells apart (throughputs more
/// than 10 % apart) is ordered the same way by the measurement.
bool same_ranking(const std::vector<double>& predicted, const std::vector<double>& measured)
{
  for (std::size_t i = 0; i < predicted.size(); ++i)
    for (std::size_t j = 0; j < predicted.size(); ++j)
      if (predicted[i] > 1.1 * predicted[j] && measured[i] <= measured[j])
        return false;
  return true;
}

} // namespace

namespace {
/// Where configuration `i`'s real timeline goes: gilsim-server's gthread mode records one.
std::string real_trace_dir(const Options& o, const ServerConfig& c, std::size_t i)
{
  if (o.trace_dir.empty() || c.worker_class != WorkerClass::gthread)
    return "";
  std::string dir = o.trace_dir + "/real-" + std::to_string(i);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}
} // namespace

json validate_gunicorn(const Scenario& sc, const Options& o, std::ostream* out, const json& doc, const std::string& server_bin)
{
  const RunConfig& base = sc.base;
  if (base.load.type != LoadConfig::Type::closed)
    throw InputError(sc.source + ": load.type: expected \"closed\" for validation (wrk keeps a fixed number of connections)");
  if (base.load.think_s.mean() > 0)
    throw InputError(sc.source + ": load.think_ms: expected none for validation (wrk does not think)");
  bool has_db = false, blocking_driver = false;
  for (const auto& e : base.app.endpoints)
    for (const auto& st : e.steps)
      if (st.kind == Step::Kind::db) {
        has_db          = true;
        blocking_driver = blocking_driver || st.blocking_driver;
      }
  if (has_db) {
    if (!server_bin.empty())
      throw InputError(sc.source + ": db_ms steps: gilsim-server has no database; validate them with --target gunicorn");
    auto lacking = RealDatabase::missing_tools();
    if (!lacking.empty()) {
      std::string m;
      for (const auto& t : lacking)
        m += (m.empty() ? "" : ", ") + t;
      throw InputError("validating db_ms steps needs " + m + ": run `bash .ci/install-validation` (as root)");
    }
  }
  auto missing = missing_tools();
  if (!missing.empty()) {
    std::string m;
    for (const auto& t : missing)
      m += (m.empty() ? "" : ", ") + t;
    throw InputError("validation needs " + m + ": run `bash .ci/install-validation` (as root)");
  }
  if (std::thread::hardware_concurrency() < 2)
    throw InputError("validation needs 2 cores: one for the server, one for the load generator");

  Setup s;
  char dir[] = "/tmp/gilsim-validate-XXXXXX";
  if (!mkdtemp(dir))
    throw std::runtime_error("cannot create a directory in /tmp");
  s.workdir = dir;
  s.port    = 18000 + static_cast<int>(getpid() % 1000);
  if (!server_bin.empty()) {
    s.target     = Setup::Target::server;
    s.server_bin = server_bin;
  }
  prepare(s, base.app, doc);
  s.loops_per_ms = calibrate_loops(s);

  // `db` steps: a real PostgreSQL (and PgBouncer for shared pools) on the
  // load generator's core, as the simulated database has cores of its own.
  s.db_blocking_driver = blocking_driver;
  std::unique_ptr<RealDatabase> database;
  json db_calibration;
  if (has_db) {
    database = std::make_unique<RealDatabase>(s.workdir + "-pg", s.port + 900, base.database.max_connections, s.load_cores);
    s.db           = database.get();
    db_calibration = json::parse(capture({"/usr/bin/python3", s.workdir + "/gilsim_app.py", "--db", database->url()}, s.server_cores));
  }

  // Calibration 2: each worker class's own CPU cost per request (HTTP parsing,
  // WSGI, accept/close in the kernel), measured on the server's core with an
  // endpoint that does nothing, one worker, loaded by 4 connections.
  auto cpu_per_request = [&](std::size_t i, Setup::Serve what) {
    s.server_index     = static_cast<int>(i);
    s.serve            = what;
    ServerConfig probe = sc.servers[i];
    probe.workers      = 1;
    probe.threads      = 1;
    probe.max_requests = 0;
    Measured m         = run(s, probe, 4, 1, 3);
    s.serve            = Setup::Serve::scenario;
    return m.requests > 0 ? m.cpu_s / static_cast<double>(m.requests) : 0;
  };
  std::map<WorkerClass, double> overhead_s;
  for (std::size_t i = 0; i < sc.servers.size(); ++i)
    if (!overhead_s.count(sc.servers[i].worker_class))
      overhead_s[sc.servers[i].worker_class] = cpu_per_request(i, Setup::Serve::empty);
  // Calibration 3, for db steps: the driver's CPU per query (SQLAlchemy's
  // checkout, psycopg2, psycogreen's switches, a new connection when there is
  // no pool), per configuration: an endpoint with one 0 ms query, less the
  // empty endpoint's cost.
  std::vector<double> driver_s(sc.servers.size(), 0);
  if (has_db)
    for (std::size_t i = 0; i < sc.servers.size(); ++i)
      driver_s[i] = std::max(0.0, cpu_per_request(i, Setup::Serve::query) - overhead_s[sc.servers[i].worker_class]);

  // The real runs first, then the simulations of what really ran: the
  // server's cores, wrk's keep-alive connections straight to Gunicorn, and
  // CPU steps at the speed the app's loop actually ran (this VM's speed drifts
  // by tens of percent; the app measures its loop during the run).
  std::vector<Measured> measured;
  std::vector<std::string> real_traces(sc.servers.size());
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    s.server_index = static_cast<int>(i);
    s.trace_dir    = s.target == Setup::Target::server ? real_trace_dir(o, sc.servers[i], i) : "";
    s.trace_seconds  = std::min(o.trace_seconds, o.seconds);
    s.trace_offset_s = base.warmup_s;
    real_traces[i]   = s.trace_dir;
    measured.push_back(run(s, sc.servers[i], base.load.connections, o.warmup_s, o.seconds));
  }
  s.trace_dir.clear();

  std::vector<RunConfig> runs;
  std::vector<double> slowdowns;
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    RunConfig c         = sc.run(i, 0);
    c.machine.cores     = static_cast<int>(s.server_cores.size());
    c.proxy.enabled     = false;
    c.load.keepalive    = true;
    double slowdown     = measured[i].loops_per_ms > 0 ? s.loops_per_ms / measured[i].loops_per_ms : 1.0;
    c.server.overhead_s = overhead_s[c.server.worker_class];
    for (auto& e : c.app.endpoints) {
      std::vector<Step> steps;
      for (auto st : e.steps) {
        if (st.kind == Step::Kind::cpu)
          st.duration_s = st.duration_s.scaled(slowdown);
        if (st.kind == Step::Kind::db) {
          // the driver's own Python work per query, measured
          Step driver;
          driver.kind       = Step::Kind::cpu;
          driver.duration_s = Distribution{Distribution::Kind::constant, driver_s[i], 0, {}};
          steps.push_back(driver);
        }
        steps.push_back(st);
      }
      e.steps = steps;
    }
    if (has_db) {
      c.database.connect_s = db_calibration["connect_ms"].get<double>() / 1000;
      c.database.rtt_s     = db_calibration["rtt_ms"].get<double>() / 1000;
    }
    slowdowns.push_back(slowdown);
    runs.push_back(c);
  }
  auto predicted = run_all(runs, o.jobs);
  std::filesystem::remove_all(s.workdir);

  json rows = json::array();
  std::vector<double> pred_rps, real_rps;
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    Summary p         = summarize({predicted[i]});
    const Measured& m = measured[i];
    const auto& h     = p.total.latency;
    pred_rps.push_back(p.throughput_rps);
    real_rps.push_back(m.throughput_rps);
    rows.push_back({{"label", sc.servers[i].label},
                    {"worker_class", p.worker_class},
                    {"overhead_ms", overhead_s[sc.servers[i].worker_class] * 1000},
                    {"db_driver_cpu_ms", driver_s[i] * 1000},
                    {"cpu_loop_loops_per_ms_during_run", m.loops_per_ms},
                    {"cpu_step_scale", slowdowns[i]},
                    {"predicted",
                     {{"throughput_rps", p.throughput_rps},
                      {"latency_ms", {{"mean", h.mean() * 1000}, {"p50", h.quantile(0.5) * 1000}, {"p90", h.quantile(0.9) * 1000}, {"p99", h.quantile(0.99) * 1000}}},
                      {"errors", p.total.errors.total()},
                      {"worker_kills", p.total.worker_kills},
                      {"cpu_utilization", p.total.cpu_utilization()}}},
                    {"measured",
                     {{"throughput_rps", m.throughput_rps},
                      {"latency_ms", {{"mean", m.latency_mean_ms}, {"p50", m.p50_ms}, {"p90", m.p90_ms}, {"p99", m.p99_ms}}},
                      {"errors", m.errors},
                      {"worker_kills", m.worker_kills},
                      {"cpu_utilization", m.cpu_utilization}}},
                    {"real_trace_dir", real_traces[i]},
                    {"relative_error",
                     {{"throughput", m.throughput_rps ? (p.throughput_rps - m.throughput_rps) / m.throughput_rps : 0},
                      {"p50", m.p50_ms ? (h.quantile(0.5) * 1000 - m.p50_ms) / m.p50_ms : 0}}}});
  }
  bool ranked_alike = same_ranking(pred_rps, real_rps);
  bool kills_alike  = true;
  for (std::size_t i = 0; i < sc.servers.size(); ++i)
    kills_alike = kills_alike && ((predicted[i].worker_kills > 0) == (measured[i].worker_kills > 0));
  const char* target = server_bin.empty() ? "gunicorn" : "server";
  json report = {{"scenario", sc.name},
                 {"target", target},
                 {"server_cores", s.server_cores},
                 {"load_cores", s.load_cores},
                 {"connections", base.load.connections},
                 {"measured_seconds", o.seconds},
                 {"calibration", {{"cpu_loops_per_ms", s.loops_per_ms}, {"overhead", "server CPU seconds per empty request, per worker class"}, {"database", db_calibration}}},
                 {"same_ranking", ranked_alike},
                 {"same_kills", kills_alike},
                 {"results", rows}};
  if (out) {
    std::ostream& os = *out;
    os << sc.name << ": predicted vs real " << (server_bin.empty() ? "Gunicorn" : "gilsim-server") << " (server on core 0, wrk on core 1, " << base.load.connections
       << " connections, " << o.seconds << " s)\n";
    os << "  calibrated: Python loop " << num(s.loops_per_ms, 0) << " iterations/ms; per-request overhead";
    for (auto [cls, v] : overhead_s)
      os << " " << to_string(cls) << " " << num(v * 1000, 2) << " ms";
    os << "; CPU steps scaled by the loop speed measured during each run\n";
    if (has_db)
      os << "  database (real PostgreSQL" << (std::any_of(sc.servers.begin(), sc.servers.end(), [](const ServerConfig& c) { return c.pool.kind == PoolConfig::Kind::shared; }) ? " + PgBouncer" : "")
         << "): connect " << num(db_calibration["connect_ms"], 2) << " ms, round trip " << num(db_calibration["rtt_ms"], 2)
         << " ms; the driver's CPU per query, per configuration (simulated as CPU before each db step):";
    for (std::size_t i = 0; i < sc.servers.size() && has_db; ++i)
      os << (i ? "," : "") << " " << num(driver_s[i] * 1000, 2) << " ms";
    if (has_db)
      os << "\n";
    os << "  " << std::left << std::setw(28) << "configuration" << std::right << std::setw(10) << "req/s sim" << std::setw(10)
       << "real" << std::setw(7) << "err" << std::setw(10) << "p50 sim" << std::setw(9) << "real" << std::setw(7) << "err"
       << std::setw(10) << "p99 sim" << std::setw(9) << "real" << std::setw(9) << "CPU sim" << std::setw(6) << "real"
       << std::setw(12) << "errors s/r" << std::setw(10) << "kills s/r" << "\n";
    for (const auto& r : rows) {
      const json& p = r["predicted"];
      const json& m = r["measured"];
      os << "  " << std::left << std::setw(28) << r["label"].get<std::string>().substr(0, 27) << std::right << std::setw(10)
         << num(p["throughput_rps"], 1) << std::setw(10) << num(m["throughput_rps"], 1) << std::setw(7)
         << pct(p["throughput_rps"], m["throughput_rps"]) << std::setw(10) << num(p["latency_ms"]["p50"], 1)
         << std::setw(9) << num(m["latency_ms"]["p50"], 1) << std::setw(7) << pct(p["latency_ms"]["p50"], m["latency_ms"]["p50"])
         << std::setw(10) << num(p["latency_ms"]["p99"], 1) << std::setw(9) << num(m["latency_ms"]["p99"], 1) << std::setw(8)
         << num(100 * p["cpu_utilization"].get<double>(), 0) << "%" << std::setw(5)
         << num(100 * m["cpu_utilization"].get<double>(), 0) << "%" << std::setw(12)
         << (std::to_string(p["errors"].get<long>()) + "/" + std::to_string(m["errors"].get<long>())) << std::setw(10)
         << (std::to_string(p["worker_kills"].get<long>()) + "/" + std::to_string(m["worker_kills"].get<long>())) << "\n";
    }
    os << "  ranking by throughput: " << (ranked_alike ? "the same" : "DIFFERENT")
       << "; workers killed by the timeout: " << (kills_alike ? "the same classes" : "DIFFERENT classes") << "\n";
  }
  return report;
}

} // namespace gilsim::validate
