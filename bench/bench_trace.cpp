// What recording a trace costs a simulation: each configuration of the default
// comparison runs untraced and traced, alternately, in the same process (the
// machine is shared and drifts, so the figure is the median of per-round
// ratios). Two traced cases: the whole run is the window (targets: <= 1.5x the
// untraced run of the same length), and the default 2 s window of a 60 s run.
// Also the trace file's size per interval.
//   build/bench/bench_trace [--repeat N] [--seconds S]   (rounds, default 5; run length, default 10)
#include "runner.hpp"
#include "scenario.hpp"
#include "../engine/trace_file.hpp"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using namespace gilsim;

namespace {

double wall_s(const RunConfig& c)
{
  auto t0 = std::chrono::steady_clock::now();
  run_all({c}, 1);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

RunConfig traced(RunConfig c, double from_s, double until_s, const std::string& file)
{
  c.trace = {file, from_s, until_s, "{}"};
  return c;
}

struct Row {
  std::string label;
  double ratio_whole, ratio_window, untraced_s, bytes_per_interval, record_bytes_per_interval;
};

Row measure(const Scenario& sc, std::size_t s, int repeat, double seconds)
{
  const std::string file = "/tmp/gilsim-bench-trace.gtrace";
  RunConfig plain        = sc.run(s, 0);
  RunConfig longer       = plain;
  plain.duration_s       = seconds;
  plain.warmup_s         = std::min(plain.warmup_s, seconds / 10);
  RunConfig whole        = traced(plain, 0, seconds, file);
  RunConfig window       = traced(longer, longer.warmup_s, longer.warmup_s + 2, file);
  std::vector<double> r_whole, r_window, base;
  for (int k = 0; k < repeat; ++k) {
    double a = wall_s(plain), b = wall_s(whole);
    double c = wall_s(longer), d = wall_s(window);
    r_whole.push_back(b / a);
    r_window.push_back(d / c);
    base.push_back(a);
  }
  wall_s(whole);
  trace::Trace t = trace::read(file);
  auto bytes     = static_cast<double>(std::filesystem::file_size(file));
  auto n         = static_cast<double>(std::max<uint64_t>(1, t.interval_count()));
  std::filesystem::remove(file);
  return {sc.name.substr(0, 10) + " / " + sc.servers[s].label, median(r_whole), median(r_window), median(base), bytes / n,
          (bytes - static_cast<double>(t.json_bytes)) / n};
}

} // namespace

int main(int argc, char** argv)
{
  int repeat     = 5;
  double seconds = 10;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0)
      repeat = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--seconds") == 0)
      seconds = std::max(1.0, std::atof(argv[i + 1]));
  }
  std::printf("%-36s %14s %16s %12s %14s %14s\n", "configuration", "whole run x", "2 s of 60 s x", "untraced s",
              "file B/intvl", "records B/intvl");
  for (const char* name : {"default-cpu-bound", "default-io-bound", "default-mixed"}) {
    std::string source;
    Scenario sc = load_scenario(load_document(name, source), source);
    for (std::size_t s = 0; s < sc.servers.size(); ++s) {
      Row r = measure(sc, s, repeat, seconds);
      std::printf("%-36s %14.2f %16.2f %12.3f %14.1f %14.1f\n", r.label.c_str(), r.ratio_whole, r.ratio_window, r.untraced_s,
                  r.bytes_per_interval, r.record_bytes_per_interval);
    }
  }
}
