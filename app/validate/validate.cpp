#include "validate.hpp"
#include "real_gunicorn.hpp"
#include "report.hpp"
#include "runner.hpp"
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>
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

json validate_gunicorn(const Scenario& sc, const Options& o, std::ostream* out, const json& doc, const std::string& server_bin)
{
  const RunConfig& base = sc.base;
  if (base.load.type != LoadConfig::Type::closed)
    throw InputError(sc.source + ": load.type: expected \"closed\" for validation (wrk keeps a fixed number of connections)");
  if (base.load.think_s.mean() > 0)
    throw InputError(sc.source + ": load.think_ms: expected none for validation (wrk does not think)");
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

  // Calibration 2: each worker class's own CPU cost per request (HTTP parsing,
  // WSGI, accept/close in the kernel), measured on the server's core with an
  // endpoint that does nothing, one worker, loaded by 4 connections.
  std::map<WorkerClass, double> overhead_s;
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    const auto& srv = sc.servers[i];
    if (overhead_s.count(srv.worker_class))
      continue;
    s.server_index = static_cast<int>(i);
    ServerConfig probe = srv;
    probe.workers      = 1;
    probe.threads      = 1;
    probe.max_requests = 0;
    s.probe            = true;
    Measured m         = run(s, probe, 4, 1, 3);
    overhead_s[srv.worker_class] = m.requests > 0 ? m.cpu_s / static_cast<double>(m.requests) : 0;
  }
  s.probe = false;

  // The real runs first, then the simulations of what really ran: the
  // server's cores, wrk's keep-alive connections straight to Gunicorn, and
  // CPU steps at the speed the app's loop actually ran (this VM's speed drifts
  // by tens of percent; the app measures its loop during the run).
  std::vector<Measured> measured;
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    s.server_index = static_cast<int>(i);
    measured.push_back(run(s, sc.servers[i], base.load.connections, o.warmup_s, o.seconds));
  }

  std::vector<RunConfig> runs;
  std::vector<double> slowdowns;
  for (std::size_t i = 0; i < sc.servers.size(); ++i) {
    RunConfig c         = sc.run(i, 0);
    c.machine.cores     = static_cast<int>(s.server_cores.size());
    c.proxy.enabled     = false;
    c.load.keepalive    = true;
    double slowdown     = measured[i].loops_per_ms > 0 ? s.loops_per_ms / measured[i].loops_per_ms : 1.0;
    c.server.overhead_s = overhead_s[c.server.worker_class];
    for (auto& e : c.app.endpoints)
      for (auto& st : e.steps)
        if (st.kind == Step::Kind::cpu)
          st.duration_s = st.duration_s.scaled(slowdown);
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
                 {"calibration", {{"cpu_loops_per_ms", s.loops_per_ms}, {"overhead", "server CPU seconds per empty request, per worker class"}}},
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
