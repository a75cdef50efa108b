#include "explain.hpp"
#include <cmath>
#include <cstdio>

namespace gilsim {

namespace {

using json = nlohmann::json;

std::string pct(double fraction)
{
  char b[16];
  std::snprintf(b, sizeof b, "%.0f %%", 100 * fraction);
  return b;
}
std::string ms(double v)
{
  char b[24];
  std::snprintf(b, sizeof b, v < 10 ? "%.1f ms" : "%.0f ms", v);
  return b;
}
std::string num(double v)
{
  char b[24];
  std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}

bool has_step(const RunConfig& c, Step::Kind k)
{
  for (const auto& e : c.app.endpoints)
    for (const auto& s : e.steps)
      if (s.kind == k)
        return true;
  return false;
}

/// How many requests the server can work on at once (threads or greenlets).
double concurrency(const ServerConfig& s)
{
  switch (s.worker_class) {
    case WorkerClass::sync: return s.workers;
    case WorkerClass::gthread: return s.workers * s.threads;
    case WorkerClass::tornado: return s.workers;
    default: return static_cast<double>(s.workers) * s.worker_connections;
  }
}

const char* slot_name(const ServerConfig& s)
{
  switch (s.worker_class) {
    case WorkerClass::sync:
    case WorkerClass::tornado: return "workers";
    case WorkerClass::gthread: return "threads";
    default: return "connections";
  }
}

struct Figures {
  double done, failed, cpu, gil_wait, queue_ms, loop_ms, pool_ms, db_ms, latency_ms;
  json errors;
};

Figures figures(const json& r)
{
  const json& b = r.at("breakdown_ms");
  double failed = 0;
  for (const auto& e : r.at("errors").items())
    failed += e.value().get<double>();
  return {r.at("completed").get<double>(), failed, r.at("cpu_utilization").get<double>(),
          r.at("gil").at("wait_fraction").get<double>(), b.value("queue", 0.0), b.value("loop_wait", 0.0),
          b.value("pool_wait", 0.0), b.value("db", 0.0), r.at("latency_ms").at("mean").get<double>(), r.at("errors")};
}

/// Requests lost to one cause, if they are a real share of the traffic.
bool lost_to(const Figures& f, const char* cause, double& share)
{
  double n = f.errors.value(cause, 0.0);
  share    = n / std::max(1.0, f.done + f.failed);
  return n > 0 && share >= 0.01;
}

bool errors_limit(const Figures& f, const RunConfig& c, Limit& out)
{
  double s = 0;
  if (lost_to(f, "timeout", s))
    out = {"proxy timeout", "the proxy timeout: " + pct(s) + " of the requests gave up after " + num(c.proxy.read_timeout_s) +
                                " s waiting for a busy server"};
  else if (lost_to(f, "refused", s))
    out = {"backlog", "the backlog: " + pct(s) + " of the connections were refused, the listen queue of " +
                          num(c.server.backlog) + " being full"};
  else if (lost_to(f, "killed", s))
    out = {"worker timeout", "the worker timeout: workers silent for " + num(c.server.timeout_s) +
                                 " s were killed, taking " + pct(s) + " of the requests with them"};
  else if (lost_to(f, "db", s))
    out = {"database", "the database: it refused " + pct(s) + " of the requests' connections (max_connections " +
                           num(c.database.max_connections) + ")"};
  else if (lost_to(f, "pool_timeout", s))
    out = {"pool", "the pool: " + pct(s) + " of the requests found no connection within its timeout"};
  else
    return false;
  return true;
}

bool waits_limit(const Figures& f, const RunConfig& c, Limit& out)
{
  auto part = [&](double v) { return f.latency_ms > 0 ? v / f.latency_ms : 0; };
  if (part(f.pool_ms) >= 0.25)
    out = {"pool", "the database pool: a request waits " + ms(f.pool_ms) + " for a connection (pool_size " +
                       num(c.server.pool.size) + " per process)"};
  else if (f.gil_wait >= 0.3 && f.cpu < 0.9)
    out = {"gil", "the GIL: its threads wait for the lock " + pct(f.gil_wait) + " of the time while the cores are " +
                      pct(f.cpu) + " busy"};
  else if (f.cpu >= 0.9)
    out = {"cores", "the cores: the " + num(c.machine.cores) + " cores are " + pct(f.cpu) + " busy"};
  else if (part(f.loop_ms) >= 0.25)
    out = has_step(c, Step::Kind::blocking_io) || !c.server.cooperative_io
              ? Limit{"blocked hub", "a blocked hub: an unpatched blocking call stalls every request of the worker, each waiting " +
                                         ms(f.loop_ms) + " for the loop, with the cores " + pct(f.cpu) + " busy"}
              : Limit{"event loop", "the event loop: a request waits " + ms(f.loop_ms) + " for its turn on the loop"};
  else if (part(f.queue_ms) >= 0.25)
    out = {"threads", "its " + num(concurrency(c.server)) + " " + slot_name(c.server) + ", all busy: a request waits " +
                          ms(f.queue_ms) + " in the queue while the cores are " + pct(f.cpu) + " busy"};
  else if (part(f.db_ms) >= 0.5)
    out = {"database", "the database: " + ms(f.db_ms) + " of each request is spent connecting and querying"};
  else
    return false;
  return true;
}

} // namespace

Limit explain_limit(const json& result, const RunConfig& cfg)
{
  Figures f = figures(result);
  Limit out;
  if (errors_limit(f, cfg, out) || waits_limit(f, cfg, out))
    return out;
  return {"load", "the load, not the server: requests rarely wait (CPU " + pct(f.cpu) + "); more clients would get more"};
}

std::string steady_state_warning(const json& result)
{
  const json& v = result.at("little").at("in_system_at_tenths");
  if (v.size() != 11)
    return "";
  int rises = 0;
  for (std::size_t i = 0; i + 1 < v.size(); ++i)
    rises += v[i + 1].get<double>() > v[i].get<double>();
  double first = v.front().get<double>(), last = v.back().get<double>();
  if (rises < 8 || last < 2 * first + 10)
    return "";
  return "not in a steady state: requests in the system grew from " + num(first) + " to " + num(last) +
         " over the window; the load exceeds what it serves, and a longer run gives worse figures";
}

std::string constant_steps_warning(const RunConfig& cfg)
{
  using K = Distribution::Kind;
  for (const auto& e : cfg.app.endpoints)
    for (const auto& s : e.steps)
      if (s.duration_s.kind != K::constant)
        return "";
  if (cfg.load.think_s.kind != K::constant)
    return "";
  return "every step takes a constant time: real services vary, so their percentiles spread more than these";
}

} // namespace gilsim
