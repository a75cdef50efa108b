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

} // namespace gilsim
