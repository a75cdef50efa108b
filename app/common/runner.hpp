// Runs simulations in child processes (SimGrid allows one engine per process):
// each child simulates one configuration and hands back its Results as JSON.
// Up to `jobs` children run at once. With a progress tag, each child writes
// `progress TAG SIMULATED_S DURATION_S` lines to stderr as it runs.
#pragma once
#include "../../models/config.hpp"
#include "../../models/results.hpp"
#include <functional>
#include <string>
#include <vector>

namespace gilsim {

/// The tag run i reports its progress under ("server replication"); none: no progress.
using ProgressTag = std::function<std::string(std::size_t run)>;

std::vector<Results> run_all(const std::vector<RunConfig>& runs, int jobs, const ProgressTag& progress = {});

} // namespace gilsim
