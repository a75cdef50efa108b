// A seeded synthetic trace of a threaded server for the tests, the benchmark
// and demos: per process a main loop and worker threads taking turns on one
// interpreter lock (drop request after a switch interval, forced switch).
#pragma once
#include "engine/trace_file.hpp"
#include <cstdint>
#include <limits>
#include <memory>

struct SyntheticTraceOptions {
  int processes          = 2;
  int threads            = 4;    ///< worker threads per process, besides its main loop
  int greenlets          = 0;    ///< per worker thread, each request running on one of them
  int cores              = 2;
  double from_s          = 0;
  double duration_s      = 1;
  double cpu_ms          = 2;    ///< mean CPU per request (two bursts around its I/O)
  double io_ms           = 6;    ///< mean I/O per request
  double think_ms        = 2;    ///< mean idle time before a thread's next request
  double switch_interval_ms = 5;
  double kill_at_s       = std::numeric_limits<double>::quiet_NaN(); ///< the first process is killed then
  uint64_t seed          = 1;
};

std::shared_ptr<gilsim::trace::Trace> makeSyntheticTrace(const SyntheticTraceOptions& options);
