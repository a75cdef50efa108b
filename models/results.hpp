// What one simulated run measured, as plain numbers (no JSON, no printing).
#pragma once
#include "../engine/observer.hpp"
#include "../engine/stats.hpp"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gilsim {

struct Errors {
  uint64_t timeout = 0;      ///< the proxy gave up (read timeout)
  uint64_t refused = 0;      ///< the listen backlog was full
  uint64_t killed = 0;       ///< the worker serving it was killed
  uint64_t db = 0;           ///< the database refused a connection (max_connections)
  uint64_t pool_timeout = 0; ///< no pool connection within pool_timeout
  uint64_t total() const { return timeout + refused + killed + db + pool_timeout; }
};

/// One worker process over its time in the window (the arbiter replaces killed and recycled ones).
struct WorkerFigures {
  int worker = 0;                ///< its number (a replacement takes its predecessor's)
  double born_s = 0, died_s = -1; ///< died_s < 0: alive at the end
  std::string died_of;           ///< "timeout", "max_requests" or empty
  double lived_s = 0;            ///< its time in the window
  uint64_t served = 0;           ///< requests it completed in the window
  int connections_peak = 0;
  double connections_mean = 0;   ///< connections it held, time-averaged over its life in the window
  double cpu_cores = 0;          ///< the cores it kept busy, on average (0..cores)
  double gil_held_fraction = 0, gil_wait_fraction = 0;
};

/// The requests of one endpoint completed in the window.
struct EndpointFigures {
  std::string name;
  Histogram latency;
};

struct Results {
  std::string label;
  std::string worker_class;
  int cores = 0;
  double window_s = 0;               ///< measured time (duration - warm-up)
  uint64_t completed = 0;
  uint64_t waited = 0;               ///< completed requests that queued before a worker unit took them
  Errors errors;
  Histogram latency;                 ///< completed requests, seconds
  std::vector<uint64_t> batch_completed; ///< completions in 10 equal batches of the window (batch means)
  Breakdown breakdown;               ///< summed over completed requests
  double cpu_busy_core_s = 0;
  double gil_held_fraction = 0;      ///< over the worker processes' time in the window
  double gil_wait_fraction = 0;
  struct ProcessLock { int worker; double held_fraction, wait_fraction; };
  std::vector<ProcessLock> gil_per_process; ///< the worker processes alive at the end, over their time in the window
  std::vector<WorkerFigures> per_worker;     ///< every worker process that lived in the window, in the order they were forked
  std::vector<EndpointFigures> per_endpoint; ///< in the scenario's order
  double peak_memory_mb = 0;
  int peak_db_connections = 0;
  uint64_t worker_kills = 0;
  uint64_t worker_restarts = 0;      ///< max_requests recycling
  uint64_t monitor_reports = 0;      ///< gevent monitor: hub blocks seen
  double mean_in_system = 0;         ///< time-average requests in the system (Little's L)
  std::vector<double> in_system_tenths; ///< requests in the system at the window's start, each tenth of it, and its end (11)
  double mean_sojourn_s = 0;         ///< mean time in system of every request that left in the window
  double departure_rate = 0;         ///< requests leaving the system per second (any outcome)
  uint64_t simulated_requests = 0;   ///< every request sent, warm-up included (for speed figures)

  double throughput_rps() const { return window_s > 0 ? completed / window_s : 0; }
  double cpu_utilization() const { return cores && window_s > 0 ? cpu_busy_core_s / (cores * window_s) : 0; }
};

} // namespace gilsim
