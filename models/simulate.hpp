// Runs one server configuration under its load and returns what it measured.
// SimGrid allows one simulation per OS process: call this once per process
// (app/common/runner.hpp forks a child per run).
#pragma once
#include "config.hpp"
#include "results.hpp"
#include <functional>

namespace gilsim {

/// `progress`, if given, is told the simulated seconds done as the run goes.
Results simulate(const RunConfig& cfg, const std::function<void(double sim_s)>& progress = {});

} // namespace gilsim
