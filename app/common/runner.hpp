// Runs simulations in child processes (SimGrid allows one engine per process):
// each child simulates one configuration and hands back its Results as JSON.
// Up to `jobs` children run at once.
#pragma once
#include "../../models/config.hpp"
#include "../../models/results.hpp"
#include <vector>

namespace gilsim {

std::vector<Results> run_all(const std::vector<RunConfig>& runs, int jobs);

} // namespace gilsim
