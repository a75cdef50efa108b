#include "simulate.hpp"
#include "load.hpp"
#include "server.hpp"
#include "../engine/trace.hpp"
#include <algorithm>

namespace gilsim {

namespace {
/// Calls `progress` with the simulated seconds done, a few times a second of wall clock at most.
void report_progress(double end_s, const std::function<void(double)>& progress)
{
  on_progress(std::max(0.1, end_s / 50), [end_s, progress](double t) { progress(std::min(t, end_s)); });
}
} // namespace

Results simulate(const RunConfig& cfg, const std::function<void(double)>& progress)
{
  std::size_t actors = static_cast<std::size_t>(cfg.load.type == LoadConfig::Type::closed ? 2 * cfg.load.connections : 0) +
                       static_cast<std::size_t>(cfg.server.workers) * (cfg.server.threads + 8);
  Platform p = create_platform(cfg.machine.cores, cfg.database.cores, actors, cfg.machine.context_switch_s);
  // The world stays alive until the process exits: SimGrid still holds its
  // blocked actors, which must not outlive what they point to.
  Server& srv = *new Server(cfg, p);
  srv.arbiter.start();
  start_load(srv);
  if (progress)
    report_progress(cfg.duration_s, progress);
  run_until(cfg.duration_s);

  srv.rec.finish(cfg.duration_s);
  Results res             = srv.rec.results();
  res.label               = cfg.server.label;
  res.worker_class        = to_string(cfg.server.worker_class);
  res.cores               = cfg.machine.cores;
  res.cpu_busy_core_s     = srv.machine.busy_core_seconds();
  res.peak_memory_mb      = srv.peak_memory_mb();
  res.peak_db_connections = srv.db.peak();
  res.worker_kills        = srv.arbiter.kills;
  res.worker_restarts     = srv.arbiter.restarts;
  res.monitor_reports     = srv.monitor_reports;
  // The lock's figures over the time each worker process lived in the window
  // (max_requests and the timeout replace processes); the list per process
  // names those alive at the end.
  double held_s = 0, wait_s = 0, lived_s = 0;
  for (auto& w : srv.arbiter.processes()) {
    double end   = std::min(cfg.duration_s, w->died_s());
    double lived = end - std::max(cfg.warmup_s, w->born_s());
    if (lived <= 0)
      continue;
    double h = w->gil().held_seconds(end), wt = w->gil().wait_seconds(end);
    held_s += h;
    wait_s += wt;
    lived_s += lived;
    if (w->alive())
      res.gil_per_process.push_back({w->number(), h / lived, wt / lived});
  }
  if (lived_s > 0) {
    res.gil_held_fraction = held_s / lived_s;
    res.gil_wait_fraction = wait_s / lived_s;
  }
  if (srv.trace)
    srv.trace->finish(cfg.duration_s);
  return res;
}

} // namespace gilsim
