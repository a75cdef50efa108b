// A batch written out for other machines to run (`gilsim sweep ... --plan DIR`):
//   DIR/plan.json         what the batch is (the sweep's inputs) and the gilsim version
//   DIR/runs/<hash>.json  each distinct run's resolved configuration (run_data.hpp)
//   DIR/chunks/<k>.txt    the runs of chunk k, one hash a line (a run takes ms to s: a
//                         chunk holds about a minute of them)
//   DIR/commands          one command per chunk, for GNU parallel (`parallel < DIR/commands`)
//   DIR/slurm.sh          the same as a Slurm job array (`sbatch DIR/slurm.sh`)
// `gilsim chunk DIR K` simulates chunk K into DIR/results/<hash>.json (result_files.hpp);
// `gilsim collect DIR` reads them back.
#pragma once
#include "batch.hpp"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gilsim {

struct PlanOptions {
  std::string gilsim;          ///< the command the chunks run (this executable's absolute path)
  double chunk_s     = 60;     ///< estimated CPU seconds a chunk should hold
  std::size_t min_chunks = 16; ///< so that small batches still spread (at most one run per chunk)
};

/// The runs' indices in each chunk: longest first into the lightest chunk, at most kMaxChunks.
std::vector<std::vector<std::size_t>> chunk_runs(const std::vector<double>& cost_s, const PlanOptions& o);
/// Slurm's default MaxArraySize is 1001: array indices 0..1000.
constexpr std::size_t kMaxChunks = 1000;

/// Writes the plan of `b` into DIR (created; an existing plan there is an error); `inputs` is what
/// `collect` needs to make the batch again. Returns the number of chunks.
std::size_t write_plan(const std::string& dir, const Batch& b, const nlohmann::json& inputs, const PlanOptions& o);
/// DIR/plan.json's inputs; InputError if there is none or another gilsim version wrote it.
nlohmann::json read_plan(const std::string& dir);
/// Simulates the runs of chunk `k` that DIR/results lacks, `jobs` at once (those it has count as cached).
Executed run_chunk(const std::string& dir, std::size_t k, int jobs);
/// Every run's results from DIR/results; InputError naming the runs missing (and the chunks
/// that hold them), or the gilsim versions if results of several are there.
std::vector<Results> collect_results(const std::string& dir, const Batch& b);

} // namespace gilsim
