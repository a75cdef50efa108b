#include "batch.hpp"
#include "progress_bar.hpp"
#include "result_files.hpp"
#include "../../models/run_data.hpp"
#include <algorithm>
#include <memory>
#include <numeric>

namespace gilsim {

void Batch::add(const Scenario& sc, const std::vector<std::size_t>& servers, const TraceFor& trace)
{
  for (std::size_t s : servers) {
    ConfigurationRuns c{s, {}};
    for (int r = 0; r < sc.replications; ++r) {
      RunConfig run = sc.run(s, r);
      if (trace && r == 0)
        run.trace = trace(s);
      c.runs.push_back(add_run(run));
    }
    configurations_.push_back(c);
  }
}

std::size_t Batch::add_run(const RunConfig& c)
{
  ++requested_;
  std::string hash = run_hash(c);
  auto [at, added] = index_.emplace(std::make_pair(hash, c.trace.file), runs_.size());
  if (added) {
    runs_.push_back(c);
    hashes_.push_back(hash);
  }
  return at->second;
}

namespace {

/// The runs the cache does not hold, with the results of those it does.
std::vector<std::size_t> from_cache(const Batch& b, const std::string& dir, Executed& e)
{
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < b.runs().size(); ++i) {
    auto stored = dir.empty() || !b.runs()[i].trace.file.empty() ? std::nullopt : read_result(dir, b.hashes()[i]);
    if (stored)
      e.results[i] = stored->results;
    else
      todo.push_back(i);
  }
  e.cached = b.runs().size() - todo.size();
  return todo;
}

/// The longest runs first, so that the pool's last runs are short.
void longest_first(std::vector<std::size_t>& todo, std::vector<double>& cost_s)
{
  std::vector<std::size_t> order(todo.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost_s[a] > cost_s[b]; });
  std::vector<std::size_t> t;
  std::vector<double> c;
  for (std::size_t k : order) {
    t.push_back(todo[k]);
    c.push_back(cost_s[k]);
  }
  todo.swap(t);
  cost_s.swap(c);
}

} // namespace

Executed execute(const Batch& b, const ExecuteOptions& o)
{
  Executed e;
  e.results.resize(b.runs().size());
  std::vector<std::size_t> todo = from_cache(b, o.cache_dir, e);
  std::vector<double> cost_s;
  std::vector<RunConfig> runs;
  for (std::size_t i : todo)
    cost_s.push_back(estimate_cost(b.runs()[i]).cpu_s);
  longest_first(todo, cost_s);
  for (std::size_t i : todo)
    runs.push_back(b.runs()[i]);
  std::unique_ptr<ProgressBar> bar = o.bar && !todo.empty() ? std::make_unique<ProgressBar>(cost_s) : nullptr;
  ProgressTag tag;
  if (o.progress)
    tag = [&](std::size_t k) { return o.progress(todo[k]); };
  auto done = [&](std::size_t k, const Results& r) {
    e.results[todo[k]] = r;
    if (!o.cache_dir.empty())
      write_result(o.cache_dir, b.hashes()[todo[k]], r);
    if (bar)
      bar->done(k, r.simulated_requests);
  };
  run_all(runs, o.jobs, tag, done);
  e.simulated = todo.size();
  return e;
}

std::vector<Summary> summarise(const Batch& b, const std::vector<Results>& results)
{
  std::vector<Summary> out;
  for (const auto& c : b.configurations()) {
    std::vector<Results> reps;
    for (std::size_t i : c.runs)
      reps.push_back(results[i]);
    out.push_back(summarize(reps));
  }
  return out;
}

std::vector<Summary> simulate_scenario(const Scenario& sc, int jobs)
{
  std::vector<std::size_t> all(sc.servers.size());
  std::iota(all.begin(), all.end(), 0);
  Batch b;
  b.add(sc, all);
  return summarise(b, execute(b, {jobs, "", {}, false}).results);
}

} // namespace gilsim
