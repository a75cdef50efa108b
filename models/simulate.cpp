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

  Results res      = srv.stats.results(cfg.duration_s);
  res.label        = cfg.server.label;
  res.worker_class = to_string(cfg.server.worker_class);
  if (srv.trace)
    srv.trace->finish(cfg.duration_s);
  return res;
}

} // namespace gilsim
