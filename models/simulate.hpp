// Runs one server configuration under its load and returns what it measured.
// SimGrid allows one simulation per OS process: call this once per process
// (app/common/runner.hpp forks a child per run).
#pragma once
#include "config.hpp"
#include "results.hpp"

namespace gilsim {

Results simulate(const RunConfig& cfg);

} // namespace gilsim
