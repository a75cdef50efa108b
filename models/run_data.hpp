// A run as data: one configuration, one replication, one seed — its resolved
// configuration (every default filled in) as canonical JSON, and a hash of it
// with gilsim's version that names the run (for a trace's header, a cache of
// results, a plan of runs spread over machines).
#pragma once
#include "config.hpp"
#include <nlohmann/json.hpp>
#include <string>

namespace gilsim {

/// Every field of the run's configuration that changes its result (not where a trace goes).
nlohmann::json run_json(const RunConfig& c);
/// The run run_json describes (no trace); throws nlohmann's errors or std::invalid_argument on
/// anything else. run_hash(run_from_json(run_json(c))) == run_hash(c).
RunConfig run_from_json(const nlohmann::json& j);
/// The canonical text of run_json: keys sorted, no spaces, numbers as the shortest exact form.
std::string canonical(const nlohmann::json& j);
/// SHA-256 (hex) of "gilsim <version>\n" + the canonical JSON.
std::string run_hash(const RunConfig& c);
extern const char* const kGilsimVersion;

} // namespace gilsim
