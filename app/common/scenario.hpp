// Scenario files: JSON in, model configuration out. Every field has the real
// system's default, so a scenario states only what it changes; unknown keys and
// wrong values are errors naming the file, the JSON path and what was expected.
#pragma once
#include "../../models/config.hpp"
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace gilsim {

/// A user's input is wrong; `what()` names the file, the JSON path and the expectation.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A figure a scenario promises: metric(of) [/ metric(vs)] within [min, max].
struct Expectation {
  std::string metric;        ///< a path into a result: "throughput_rps", "latency_ms.p99", "errors.timeout"
  std::string of, vs;        ///< server labels; `vs` empty: an absolute value
  double min = -1e300, max = 1e300;
  std::string why;
  std::string path;          ///< where it was written: "expect[2]"
};

struct Scenario {
  std::string source;        ///< file name, or "built-in:NAME"
  std::string name, description;
  RunConfig base;            ///< everything but the server
  std::vector<ServerConfig> servers;
  int replications = 1;
  std::vector<Expectation> expect;
  /// One run per server configuration and replication (seed, seed+1, ...).
  RunConfig run(std::size_t server, int replication) const;
};

/// Parses a JSON file (errors: file name, line and column). Only a regular file of at
/// most 16 MB is read; a key given twice and nesting deeper than 64 levels are errors.
nlohmann::json read_json_file(const std::string& path);
/// The bytes of a regular file of at most 16 MB (a FIFO, a device, a directory: InputError).
std::string read_text_file(const std::string& path);
nlohmann::json parse_json(const std::string& text, const std::string& source);

/// Applies `PATH=VALUE` (e.g. `servers[0].workers=8`) to a document. VALUE is
/// JSON if it parses as JSON, otherwise a string. Missing objects on the path are
/// created; a key the scenario format does not declare is an error.
void apply_set(nlohmann::json& doc, const std::string& assignment, const std::string& source);

Scenario load_scenario(const nlohmann::json& doc, const std::string& source);
/// The loader's message for `doc` with `value` at `path` ("servers[0].pool.pool_size"; missing
/// objects on the way are created), "" if that loads: how the studio flags a field. The message
/// may name another field the value makes inconsistent (warmup_s against duration_s).
std::string check_field(nlohmann::json doc, const std::string& path, const nlohmann::json& value, const std::string& source);

/// The option `got` is most likely a misspelling of ("wrokers" -> "workers"), "" if none is close.
std::string closest_name(const std::string& got, const std::vector<std::string>& options);

/// The names a scenario file gives a pool's type and a load's type.
const char* to_string(PoolConfig::Kind k);
const char* to_string(LoadConfig::Type t);

/// Checks a scenario's expectations against its `--json` results array; returns
/// one message per unmet expectation (empty: all met).
std::vector<std::string> check_expectations(const Scenario& sc, const nlohmann::json& results);
/// Refuses an expectation whose metric is not a number of `sample` (a result of --json),
/// before anything runs.
void check_metrics(const Scenario& sc, const nlohmann::json& sample);
/// Reads a metric path ("latency_ms.p99") from one result; throws InputError if absent.
double metric_of(const nlohmann::json& result, const std::string& metric, const std::string& where);

/// Built-in scenarios (the files under scenarios/, compiled in), by name.
const std::vector<std::pair<std::string, std::string>>& builtin_scenarios();
/// Loads FILE, or a built-in scenario name; applies assignments.
nlohmann::json load_document(const std::string& file_or_name, std::string& source);

} // namespace gilsim
