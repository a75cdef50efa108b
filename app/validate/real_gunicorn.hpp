// Real Gunicorn, run the way a scenario describes it, measured under wrk.
// Debian's /usr/bin/gunicorn serves app/validate/gilsim_app.py (the scenario's
// endpoints, for real); wrk loads it from other cores. Server and load
// generator are pinned to separate cores, so the simulated machine is the
// server's cores.
#pragma once
#include "../../models/config.hpp"
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace gilsim::validate {

class RealDatabase;

/// What wrk and /proc saw.
struct Measured {
  double throughput_rps = 0;
  double latency_mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0;
  long requests = 0;
  long errors = 0;          ///< socket errors (connect, read, write, timeout) and non-2xx responses
  double cpu_utilization = 0; ///< of the server's cores
  double cpu_s = 0;         ///< CPU seconds the server used while measured
  double loops_per_ms = 0;  ///< the app's CPU loop speed during the run (0: no CPU steps ran)
  long worker_kills = 0;    ///< "WORKER TIMEOUT" lines in Gunicorn's log (warm-up included)
};

struct Setup {
  /// What serves: Debian's Gunicorn, or gilsim-server (sync and gthread only).
  enum class Target { gunicorn, server } target = Target::gunicorn;
  std::string server_bin;   ///< gilsim-server's path
  int server_index = 0;     ///< gilsim-server: which of scenario.json's servers
  std::vector<int> server_cores{0};
  std::vector<int> load_cores{1};
  std::string workdir;      ///< holds gilsim_app.py, the endpoints and scenario files
  /// What the app serves: the scenario's endpoints, an endpoint with no steps
  /// (the server's own cost per request), or one 0 ms query (the driver's cost).
  enum class Serve { scenario, empty, query } serve = Serve::scenario;
  double loops_per_ms = 0;  ///< calibrated speed of the app's CPU loop
  int port = 18630;
  /// For `db` steps: the real PostgreSQL the app queries (PgBouncer is put in
  /// front of it for configurations with a shared pool), and whether the
  /// scenario's driver blocks the event loop.
  RealDatabase* db = nullptr;
  bool db_blocking_driver = false;
  /// gilsim-server: where its workers write their real timelines (empty: none),
  /// how long, and where the window starts on the simulation's axis.
  std::string trace_dir;
  double trace_seconds = 2, trace_offset_s = 0;
};

/// Starts `argv` in its own process group, pinned to `cores`, with `env`
/// added, output to `out_fd`/`err_fd` (-1: inherited).
pid_t spawn(const std::vector<std::string>& argv, const std::vector<int>& cores, const std::vector<std::string>& env,
            int out_fd, int err_fd = -1);
/// Runs `argv` to completion, pinned to `cores`; returns its standard output.
/// Throws std::runtime_error if it fails.
std::string capture(const std::vector<std::string>& argv, const std::vector<int>& cores,
                    const std::vector<std::string>& env = {});
/// A TCP connection to 127.0.0.1:`port` (-1 if refused); receives time out after `timeout_s`.
int connect_loopback(int port, double timeout_s);
/// Something accepts connections on 127.0.0.1:`port`.
bool listening(int port);
/// One request to 127.0.0.1:`port` got an answer within `timeout_s`: what was
/// queued before it has been served.
bool drained(int port, double timeout_s);

/// The tools the real run needs that this machine lacks (empty: all there).
std::vector<std::string> missing_tools();

/// Writes gilsim_app.py, the scenario's endpoints and an endpoint with no
/// steps into `s.workdir`; for gilsim-server also `doc` (the scenario) and
/// the same with the empty endpoint.
void prepare(Setup& s, const AppConfig& app, const nlohmann::json& doc);
/// Loops of the app's CPU loop per millisecond, on the server's first core.
double calibrate_loops(const Setup& s);
/// Starts Gunicorn (or gilsim-server, serving `s.workdir`/scenario.json or
/// empty-scenario.json) with this configuration, loads it with wrk (`connections`,
/// after `warmup_s`) for `seconds`, stops it. Throws std::runtime_error if
/// Gunicorn does not come up.
Measured run(const Setup& s, const ServerConfig& server, int connections, double warmup_s, double seconds);

/// Parses wrk's report (with --latency).
Measured parse_wrk(const std::string& report);

} // namespace gilsim::validate
