// A run's results as a file named by the run's hash: DIR/<hash>.json, written whole
// (a temporary file in DIR, then rename), so a reader never sees half of one. The
// cache of `--cache DIR` and a plan's results/ folder are such folders.
#pragma once
#include "../../models/results.hpp"
#include <optional>
#include <string>

namespace gilsim {

/// A results file's contents: the gilsim version that simulated it, and its figures.
struct StoredResult {
  std::string version;
  Results results;
};

std::string result_path(const std::string& dir, const std::string& hash);
/// Writes DIR/<hash>.json atomically (DIR is created if missing); throws std::runtime_error on failure.
void write_result(const std::string& dir, const std::string& hash, const Results& r);
/// DIR/<hash>.json if it exists and holds a run's results for `hash`; nothing otherwise.
std::optional<StoredResult> read_result(const std::string& dir, const std::string& hash);

} // namespace gilsim
