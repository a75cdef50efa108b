// `gilsim validate`: the simulation against the real thing. Runs a scenario's
// server configurations on real Gunicorn under wrk and prints predicted
// against measured figures, with what was calibrated.
#pragma once
#include "scenario.hpp"
#include <nlohmann/json.hpp>
#include <ostream>

namespace gilsim::validate {

struct Options {
  double seconds = 10;      ///< measured seconds per configuration
  double warmup_s = 2;
  int jobs = 2;             ///< simulations in parallel (before any real run)
  /// gilsim-server: each gthread configuration k records a real timeline of the
  /// first `trace_seconds` of its measured run in `trace_dir`/real-k/ (one file per worker).
  std::string trace_dir;
  double trace_seconds = 2;
};

/// Returns the report as JSON; prints a table to `out` unless null. With
/// `server_bin` set, the real target is gilsim-server serving `doc` (the
/// scenario document) instead of Gunicorn.
nlohmann::json validate_gunicorn(const Scenario& sc, const Options& o, std::ostream* out, const nlohmann::json& doc = {},
                                 const std::string& server_bin = "");

} // namespace gilsim::validate
