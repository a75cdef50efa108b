// Scenarios as runs, and runs back into figures: the one path `run`, `sweep`,
// `collect` and the tests take. A batch expands server configurations into runs
// (one per replication), keeps each distinct run once (by its hash, run_data.hpp),
// takes what a cache folder already holds, simulates the rest in one pool of child
// processes, and summarises each configuration from its runs.
#pragma once
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gilsim {

/// The runs that make one server configuration of one scenario, by replication.
struct ConfigurationRuns {
  std::size_t server = 0;
  std::vector<std::size_t> runs;  ///< indices into Batch::runs
};

/// Where replication 0 of server configuration `server` writes its trace (an empty file: none).
using TraceFor = std::function<TraceConfig(std::size_t server)>;

/// Distinct runs, and the configurations they make.
class Batch {
public:
  /// Adds the runs of `servers` of `sc`; the configurations are appended in that order.
  void add(const Scenario& sc, const std::vector<std::size_t>& servers, const TraceFor& trace = {});
  /// Adds one run unless an identical one (same hash, same trace file) is there; returns its index.
  std::size_t add_run(const RunConfig& c);

  const std::vector<RunConfig>& runs() const { return runs_; }
  const std::vector<std::string>& hashes() const { return hashes_; }
  const std::vector<ConfigurationRuns>& configurations() const { return configurations_; }
  /// Runs asked for, duplicates included.
  std::size_t requested() const { return requested_; }

private:
  std::vector<RunConfig> runs_;
  std::vector<std::string> hashes_;
  std::vector<ConfigurationRuns> configurations_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;  ///< (hash, trace file) -> run
  std::size_t requested_ = 0;
};

struct ExecuteOptions {
  int jobs = 2;
  std::string cache_dir;  ///< results read from and written to DIR/<hash>.json ("": none)
  ProgressTag progress;   ///< `progress TAG ...` lines from each child (run index -> tag)
  bool bar = false;       ///< a progress bar on stderr
};

/// What execute() did: runs taken from the cache, runs simulated.
struct Executed {
  std::vector<Results> results;  ///< by run
  std::size_t cached = 0, simulated = 0;
};

/// Every run's results: from the cache where it has them (traced runs are always simulated,
/// since their trace is wanted), the others simulated, longest first, and stored as each finishes.
Executed execute(const Batch& b, const ExecuteOptions& o);
/// Each configuration's summary over its replications, in the order they were added.
std::vector<Summary> summarise(const Batch& b, const std::vector<Results>& results);
/// All of a scenario's configurations, simulated and summarised.
std::vector<Summary> simulate_scenario(const Scenario& sc, int jobs = 2);

} // namespace gilsim
