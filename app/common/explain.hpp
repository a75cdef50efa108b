// What limits a server configuration, in one sentence computed from its
// figures (the `--json` result) and its configuration: the CLI prints it under
// its table and puts it in `--json` as "limit"; the studio shows that field.
#pragma once
#include "../../models/config.hpp"
#include <nlohmann/json.hpp>
#include <string>

namespace gilsim {

struct Limit {
  std::string kind;      ///< "proxy timeout", "backlog", "worker timeout", "database", "pool", "gil", "cores", "blocked hub", "event loop", "threads", "load"
  std::string sentence;  ///< "the GIL: its threads wait for the lock 62 % of the time while the cores are 48 % busy"
};

/// `result`: one entry of `gilsim run --json`'s results; `cfg`: the run's configuration.
Limit explain_limit(const nlohmann::json& result, const RunConfig& cfg);

/// What a configuration's figures cannot show by themselves: a run not in a
/// steady state (requests pile up for the whole window), "" if it is.
std::string steady_state_warning(const nlohmann::json& result);
/// A note when every step and the think time are constants (real services vary:
/// their percentiles spread more than these), "" otherwise.
std::string constant_steps_warning(const RunConfig& cfg);

} // namespace gilsim
