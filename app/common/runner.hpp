// Runs simulations in child processes (SimGrid allows one engine per process):
// each child simulates one configuration and hands back its Results as JSON.
// Up to `jobs` children run at once. With a progress tag, each child writes
// `progress TAG SIMULATED_S DURATION_S` lines to stderr as it runs; `on_done` hears of
// each run as it finishes (a cache stores it, a progress bar counts it).
// Before anything runs, estimate_cost() bounds what a run needs from its configuration.
#pragma once
#include "../../models/config.hpp"
#include "../../models/results.hpp"
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gilsim {

/// The tag run i reports its progress under ("server replication"); none: no progress.
using ProgressTag = std::function<std::string(std::size_t run)>;

/// SIGINT, SIGTERM or SIGHUP arrived while children ran: they are killed and their files gone.
struct Interrupted : std::runtime_error {
  int signal;
  explicit Interrupted(int sig) : std::runtime_error("interrupted by signal " + std::to_string(sig)), signal(sig) {}
};

/// Called in the parent as each run finishes (in the order they finish), with its index and results.
using OnDone = std::function<void(std::size_t run, const Results&)>;

std::vector<Results> run_all(const std::vector<RunConfig>& runs, int jobs, const ProgressTag& progress = {},
                             const OnDone& on_done = {});

/// What one run needs, estimated from its configuration before it starts (within a factor of a few).
struct Cost {
  double memory_mb = 0;    ///< mostly the simulation's actors: clients, threads, greenlets (64 KiB each)
  std::string memory_why;  ///< its largest term, in the scenario's words: "load.connections: 100000 clients"
  double cpu_s = 0;        ///< seconds of one core: the events of every simulated second, times duration_s
  std::string cpu_why;     ///< "about 5000 requests per simulated second for duration_s 600"
};
Cost estimate_cost(const RunConfig& run);

/// Half of this machine's RAM, in MB: the default limit of a run's memory.
double default_memory_limit_mb();

} // namespace gilsim
