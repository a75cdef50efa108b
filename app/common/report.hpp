// Results as data for people and programs: JSON (the child-process contract and
// `--json`) and the comparison table.
#pragma once
#include "../../models/results.hpp"
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace gilsim {

/// Every figure of one run, losslessly (the child -> parent contract).
nlohmann::json results_to_json(const Results& r);
Results results_from_json(const nlohmann::json& j);

/// One server configuration over its replications.
struct Summary {
  std::string label, worker_class;
  int replications = 0;
  Results total;                     ///< counts and histograms merged, fractions averaged
  double throughput_rps = 0, ci95_throughput_rps = 0;
  double latency_mean_s = 0, ci95_latency_mean_s = 0;
  std::string ci_method;             ///< "replications" or "batch means"
};
Summary summarize(const std::vector<Results>& replications);

/// The `--json` document's entry for one configuration.
nlohmann::json summary_to_json(const Summary& s);
void print_table(std::ostream& out, const std::string& title, const std::vector<Summary>& rows);
/// What the table's columns count, printed under it.
void print_legend(std::ostream& out);
/// Worker kills and recycling, database connections, monitor reports, in words ("" if none).
std::string events_sentence(const Summary& s);
/// Per worker process (first replication): requests served, connections held, CPU, lock.
void print_worker_table(std::ostream& out, const Summary& s);
/// Per endpoint: requests completed and latency percentiles.
void print_endpoint_table(std::ostream& out, const Summary& s);

} // namespace gilsim
