// gilsim: run scenarios and parameter sweeps in batch.
//   gilsim run [FILE|NAME] [--seed N] [--set PATH=VALUE]... [--json] [--server K]
//              [--trace-file F | --trace-dir D | --trace-out F.json] [--trace-from S --trace-until S] [--progress]
//   gilsim sweep FILE --vary PATH=v1,v2,... [--vary ...] [--csv|--json]
//   gilsim validate FILE [--target gunicorn|server|both] [--seconds S] [--json]
//   gilsim list
//   gilsim schema [--markdown]
#include "chrome_trace.hpp"
#include "explain.hpp"
#include "parameter_docs.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include "validate.hpp"
#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace gilsim;
using json = nlohmann::json;

namespace {

const std::vector<std::string> kDefault = {"default-cpu-bound", "default-io-bound", "default-mixed"};

struct TraceOptions {
  std::string file;        ///< one configuration's trace
  std::string dir;         ///< DIR/<k>.gtrace for configuration k
  double from_s  = NAN;    ///< default: the end of the warm-up
  double until_s = NAN;    ///< default: from + seconds
  double seconds = 2;
  bool any() const { return !file.empty() || !dir.empty(); }
};

struct RunOptions {
  std::vector<std::string> sets;
  std::string seed;        ///< digits, checked by seed_digits(); "": the scenario's
  int replications = 0;
  double duration_s = 0;
  int jobs = 2;
  int server = -1;         ///< only this configuration (-1: all)
  bool progress = false;
  TraceOptions trace;
  double max_memory_mb = default_memory_limit_mb();
  double max_time_s    = 3600;
};

/// A number option's check: finite and in [lo, hi] (lo itself refused when `above`).
CLI::Validator number_in(double lo, double hi, bool above = false)
{
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        double x  = std::strtod(text.c_str(), &end);
        if (end != text.c_str() && *end == '\0' && std::isfinite(x) && (above ? x > lo : x >= lo) && x <= hi)
          return "";
        std::ostringstream m;
        m << "expected a number " << (above ? "> " : ">= ") << lo << " and <= " << hi << ", got " << text.substr(0, 40);
        return m.str();
      },
      "");
}

/// --seed's check: an integer a seed can be (0 to 2^64 - 1).
CLI::Validator seed_digits()
{
  return CLI::Validator(
      [](std::string& text) -> std::string {
        errno     = 0;
        bool ok   = !text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos;
        auto seed = ok ? std::strtoull(text.c_str(), nullptr, 10) : 0;
        if (ok && errno == 0 && !(seed == ULLONG_MAX && text != "18446744073709551615"))
          return "";
        return "expected an integer from 0 to 18446744073709551615, got " + text.substr(0, 40);
      },
      "");
}

/// --duration shorter than an explicit warmup_s: an error if --set gave both, else the
/// warm-up shrinks to a tenth of the run, said on stderr.
void fit_warmup(json& doc, const std::string& source, const RunOptions& o)
{
  if (!doc.contains("warmup_s") || !doc["warmup_s"].is_number() || doc["warmup_s"].get<double>() < o.duration_s)
    return;
  std::ostringstream m;
  m << "--duration " << o.duration_s << ": " << source << ": warmup_s is " << doc["warmup_s"].dump();
  for (const auto& s : o.sets)
    if (s.rfind("warmup_s=", 0) == 0)
      throw InputError(m.str() + " (--set " + s + "), expected a warm-up shorter than the run");
  static bool said = false;
  if (!said)
    std::cerr << "gilsim: note: " << m.str() << ", not shorter than the run: warm-up set to " << o.duration_s / 10 << " s\n";
  said            = true;
  doc["warmup_s"] = o.duration_s / 10;
}

/// The scenario document with the command line's overrides applied.
json with_options(json doc, const std::string& source, const RunOptions& o)
{
  for (const auto& s : o.sets)
    apply_set(doc, s, source);
  if (!o.seed.empty())
    doc["seed"] = std::stoull(o.seed);
  if (o.replications > 0)
    doc["replications"] = o.replications;
  if (o.duration_s > 0) {
    doc["duration_s"] = o.duration_s;
    fit_warmup(doc, source, o);
  }
  return doc;
}

/// The document with only server configuration `k` (all of them for k < 0), for validate --server.
json only_server(json doc, const std::string& source, int k)
{
  if (k < 0)
    return doc;
  Scenario sc = load_scenario(doc, source);
  if (static_cast<std::size_t>(k) >= sc.servers.size())
    throw InputError("--server " + std::to_string(k) + ": " + source + " has " + std::to_string(sc.servers.size()) +
                     " server configurations (0 to " + std::to_string(sc.servers.size() - 1) + ")");
  doc["servers"] = json::array({doc["servers"][static_cast<std::size_t>(k)]});
  doc.erase("expect");
  return doc;
}

/// The server configurations to run: all, or the one --server names.
std::vector<std::size_t> selected(const Scenario& sc, const RunOptions& o)
{
  if (o.server < 0) {
    std::vector<std::size_t> all(sc.servers.size());
    for (std::size_t s = 0; s < all.size(); ++s)
      all[s] = s;
    return all;
  }
  if (static_cast<std::size_t>(o.server) >= sc.servers.size())
    throw InputError("--server " + std::to_string(o.server) + ": " + sc.source + " has " + std::to_string(sc.servers.size()) +
                     " server configurations (0 to " + std::to_string(sc.servers.size() - 1) + ")");
  return {static_cast<std::size_t>(o.server)};
}

/// DIR/NAME-K.gtrace: configuration K of the scenario NAME (a built-in name or the file's stem).
std::string trace_path(const std::string& dir, const Scenario& sc, std::size_t k)
{
  std::string stem = sc.source.rfind("built-in:", 0) == 0 ? sc.source.substr(9) : std::filesystem::path(sc.source).stem().string();
  return dir + "/" + stem + "-" + std::to_string(k) + ".gtrace";
}

/// Where configuration `s`'s trace goes, and which window: replication 0 only.
TraceConfig trace_of(const Scenario& sc, const json& doc, std::size_t s, const TraceOptions& t)
{
  TraceConfig tc;
  tc.file    = t.file.empty() ? trace_path(t.dir, sc, s) : t.file;
  tc.from_s  = std::isnan(t.from_s) ? sc.base.warmup_s : t.from_s;
  tc.until_s = std::isnan(t.until_s) ? std::min(sc.base.duration_s, tc.from_s + t.seconds) : t.until_s;
  if (!(tc.from_s >= 0 && tc.from_s < tc.until_s && tc.until_s <= sc.base.duration_s))
    throw InputError("--trace-from/--trace-until: expected 0 <= from < until <= duration_s (" +
                     std::to_string(sc.base.duration_s) + " s), got [" + std::to_string(tc.from_s) + ", " +
                     std::to_string(tc.until_s) + ")");
  json header    = {{"scenario", sc.name},      {"source", sc.source},         {"server", s},
                    {"label", sc.servers[s].label}, {"worker_class", to_string(sc.servers[s].worker_class)},
                    {"cores", sc.base.machine.cores}, {"duration_s", sc.base.duration_s}, {"warmup_s", sc.base.warmup_s},
                    {"seed", sc.base.seed},       {"document", doc}};
  tc.header_json = header.dump();
  return tc;
}

struct Simulated {
  std::vector<std::size_t> servers;  ///< which configurations, in the order of `rows`
  std::vector<Summary> rows;
};

Simulated simulate_scenario(const Scenario& sc, const json& doc, const RunOptions& o)
{
  Simulated out{selected(sc, o), {}};
  if (!o.trace.file.empty() && out.servers.size() != 1)
    throw InputError("--trace-file: " + sc.source + " has " + std::to_string(sc.servers.size()) +
                     " server configurations: choose one with --server K, or use --trace-dir");
  std::vector<RunConfig> runs;
  for (std::size_t s : out.servers)
    for (int r = 0; r < sc.replications; ++r) {
      runs.push_back(sc.run(s, r));
      if (o.trace.any() && r == 0)
        runs.back().trace = trace_of(sc, doc, s, o.trace);
    }
  ProgressTag tag;
  if (o.progress)
    tag = [&](std::size_t i) {
      return std::to_string(out.servers[i / sc.replications]) + " " + std::to_string(i % sc.replications);
    };
  auto results = run_all(runs, o.jobs, tag);
  for (std::size_t k = 0; k < out.servers.size(); ++k) {
    auto first = results.begin() + static_cast<long>(k * sc.replications);
    out.rows.push_back(summarize(std::vector<Results>(first, first + sc.replications)));
  }
  return out;
}

/// A configuration's `--json` entry, with what limits it.
json result_json(const Scenario& sc, const Simulated& sim, std::size_t k)
{
  json j       = summary_to_json(sim.rows[k]);
  Limit l      = explain_limit(j, sc.run(sim.servers[k], 0));
  j["server"]  = sim.servers[k];
  j["limit"]   = {{"kind", l.kind}, {"sentence", l.sentence}};
  j["warnings"] = json::array();
  for (const std::string& w : {steady_state_warning(j), constant_steps_warning(sc.run(sim.servers[k], 0))})
    if (!w.empty())
      j["warnings"].push_back(w);
  return j;
}

json results_json(const Scenario& sc, const Simulated& sim)
{
  json results = json::array();
  for (std::size_t k = 0; k < sim.rows.size(); ++k)
    results.push_back(result_json(sc, sim, k));
  return results;
}

json scenario_json(const Scenario& sc, const Simulated& sim)
{
  json results = results_json(sc, sim);
  return {{"scenario", sc.name},
          {"source", sc.source},
          {"seed", sc.base.seed},
          {"duration_s", sc.base.duration_s},
          {"warmup_s", sc.base.warmup_s},
          {"cores", sc.base.machine.cores},
          {"results", results}};
}

/// Prints each expectation of a scenario as met or not; returns the number unmet.
int report_expectations(std::ostream& out, const Scenario& sc, const Simulated& sim)
{
  if (sc.expect.empty() || sim.servers.size() != sc.servers.size())
    return 0;
  auto failures = check_expectations(sc, results_json(sc, sim));
  out << "  expected: " << sc.expect.size() - failures.size() << " of " << sc.expect.size() << " met\n";
  for (const auto& f : failures)
    out << "  UNMET " << f << "\n";
  return static_cast<int>(failures.size());
}

/// What `run` prints beyond the table.
struct Detail {
  bool per_worker = false, per_endpoint = false;
};

struct Done {
  Scenario sc;
  Simulated sim;
};

/// A scenario checked and ready to simulate.
struct Planned {
  Scenario sc;
  json doc;
};

/// The document with the command line's overrides, loaded, its expectations' metrics checked.
Planned plan(json doc, const std::string& source, const RunOptions& o)
{
  doc         = with_options(std::move(doc), source, o);
  Scenario sc = load_scenario(doc, source);
  json sample = summary_to_json(Summary{});
  sample["server"] = 0;
  check_metrics(sc, sample);
  selected(sc, o);
  return {sc, doc};
}

std::string megabytes(double mb) { return std::to_string(static_cast<long long>(std::ceil(mb))) + " MB"; }

std::string duration_text(double s)
{
  std::ostringstream m;
  m.precision(2);
  if (s < 120)
    m << std::fixed << s << " s";
  else if (s < 7200)
    m << std::fixed << s / 60 << " minutes";
  else
    m << std::fixed << s / 3600 << " hours";
  return m.str();
}

/// Refuses what would not fit in --max-memory or --max-time, estimated from the configurations
/// before anything runs; says on stderr when it will take more than a minute.
void check_budget(const std::vector<Planned>& planned, const RunOptions& o)
{
  std::size_t runs = 0;
  double cpu_s = 0, slowest_s = 0;
  std::string slowest;
  for (const auto& p : planned)
    runs += selected(p.sc, o).size() * static_cast<std::size_t>(p.sc.replications);
  double parallel = static_cast<double>(std::min<std::size_t>(static_cast<std::size_t>(std::max(1, o.jobs)), std::max<std::size_t>(runs, 1)));
  for (const auto& p : planned)
    for (std::size_t k : selected(p.sc, o)) {
      Cost c = estimate_cost(p.sc.run(k, 0));
      std::string where = p.sc.source + ": servers[" + std::to_string(k) + "]";
      if (c.memory_mb * parallel > o.max_memory_mb)
        throw InputError(where + ": the simulation needs about " + megabytes(c.memory_mb) + " of memory (" + c.memory_why + ")" +
                         (parallel > 1 ? " in each of " + std::to_string(static_cast<int>(parallel)) + " --jobs" : "") +
                         ", expected at most --max-memory " + megabytes(o.max_memory_mb) +
                         " (default: half of this machine's RAM); make it smaller, or raise --max-memory");
      cpu_s += c.cpu_s * p.sc.replications;
      if (c.cpu_s >= slowest_s) {
        slowest_s = c.cpu_s;
        slowest   = where + ": " + c.cpu_why;
      }
    }
  double wall_s = cpu_s / parallel;
  if (wall_s > o.max_time_s)
    throw InputError(slowest + ": the runs would take about " + duration_text(wall_s) + ", expected at most --max-time " +
                     std::to_string(static_cast<long long>(o.max_time_s)) + " s; shorten duration_s (--duration), or raise --max-time");
  if (wall_s > 60)
    std::cerr << "gilsim: note: this will take about " << duration_text(wall_s) << " (" << slowest << ")\n";
}

/// --trace-out: the traces, written to a temporary folder, as one Chrome/Perfetto JSON file.
void write_chrome_trace(const std::vector<Done>& done, const std::string& dir, const std::string& out)
{
  std::vector<trace::Trace> traces;
  std::vector<LabelledTrace> labelled;
  traces.reserve(64);
  for (const auto& d : done)
    for (std::size_t k = 0; k < d.sim.servers.size(); ++k) {
      traces.push_back(trace::read(trace_path(dir, d.sc, d.sim.servers[k])));
      std::string label = d.sim.rows[k].label;
      labelled.push_back({done.size() > 1 ? d.sc.name + " / " + label : label, nullptr});
    }
  for (std::size_t i = 0; i < traces.size(); ++i)
    labelled[i].trace = &traces[i];
  std::ofstream f(out);
  if (!f)
    throw InputError(out + ": cannot write the trace file");
  f << chrome_trace(labelled).dump() << "\n";
}

/// A temporary folder that is removed with everything in it when it goes out of scope.
struct TempDir {
  std::string path;
  TempDir()
  {
    char tmpl[] = "/tmp/gilsim-trace-XXXXXX";
    if (!mkdtemp(tmpl))
      throw std::runtime_error("cannot create a temporary folder in /tmp");
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

void print_json(const std::vector<Done>& done)
{
  if (done.size() == 1) {
    std::cout << scenario_json(done[0].sc, done[0].sim).dump(2) << "\n";
    return;
  }
  json scenarios = json::array(), flat = json::array();
  for (const auto& d : done) {
    scenarios.push_back(scenario_json(d.sc, d.sim));
    for (json x : results_json(d.sc, d.sim)) {
      x["scenario"] = d.sc.name;
      flat.push_back(x);
    }
  }
  std::cout << json{{"scenarios", scenarios}, {"results", flat}}.dump(2) << "\n";
}

/// Under the table, per configuration: what limits it, its warnings, its
/// workers' events, and the per-worker / per-endpoint tables if asked for.
void print_readings(const Scenario& sc, const Simulated& sim, const Detail& detail)
{
  std::string constant = constant_steps_warning(sc.run(sim.servers[0], 0));
  if (!constant.empty())
    std::cout << "  note: " << constant << "\n";
  json results = results_json(sc, sim);
  for (std::size_t k = 0; k < sim.rows.size(); ++k) {
    const std::string& label = sim.rows[k].label;
    std::cout << "  " << label << ": limited by " << results[k]["limit"]["sentence"].get<std::string>() << "\n";
    std::string steady = steady_state_warning(results[k]);
    if (!steady.empty())
      std::cout << "  " << label << ": warning: " << steady << "\n";
    std::string events = events_sentence(sim.rows[k]);
    if (!events.empty())
      std::cout << "  " << label << ": " << events << "\n";
  }
  for (const Summary& s : sim.rows) {
    if (detail.per_worker)
      print_worker_table(std::cout, s);
    if (detail.per_endpoint)
      print_endpoint_table(std::cout, s);
  }
}

/// The table, what limits each configuration, and the expectations; returns the number unmet.
int print_tables(const std::vector<Done>& done, const Detail& detail)
{
  int unmet = 0;
  for (const auto& [sc, sim] : done) {
    std::string title = sc.name + "  (" + std::to_string(sc.base.machine.cores) + " cores, " +
                        std::to_string(static_cast<int>(sc.base.duration_s)) + " s, seed " + std::to_string(sc.base.seed) +
                        (sc.replications > 1 ? ", " + std::to_string(sc.replications) + " replications" : "") + ")";
    print_table(std::cout, title, sim.rows);
    print_readings(sc, sim, detail);
    unmet += report_expectations(std::cout, sc, sim);
    std::cout << "\n";
  }
  print_legend(std::cout);
  return unmet;
}

int cmd_run(const std::string& file, bool file_given, RunOptions o, bool as_json, const std::string& trace_out, bool check,
            const Detail& detail)
{
  std::vector<std::string> names = file_given ? std::vector<std::string>{file} : kDefault;
  std::vector<Planned> planned;
  for (const auto& n : names) {
    std::string source;
    json doc = load_document(n, source);
    planned.push_back(plan(std::move(doc), source, o));
  }
  check_budget(planned, o);
  std::unique_ptr<TempDir> tmp;
  if (!trace_out.empty() && !o.trace.any()) {
    tmp         = std::make_unique<TempDir>();
    o.trace.dir = tmp->path;
  }
  std::vector<Done> done;
  for (const auto& p : planned)
    done.push_back({p.sc, simulate_scenario(p.sc, p.doc, o)});
  if (!trace_out.empty())
    write_chrome_trace(done, o.trace.dir, trace_out);
  int unmet = 0;
  if (as_json) {
    if (check)
      for (const auto& d : done)
        unmet += report_expectations(std::cerr, d.sc, d.sim);
    print_json(done);
  } else {
    unmet = print_tables(done, detail);
  }
  return check && unmet ? 1 : 0;
}

int cmd_sweep(const std::string& file, const std::vector<std::string>& vary, const RunOptions& o, bool as_json, bool as_csv)
{
  std::string source;
  json doc = load_document(file, source);
  struct Axis {
    std::string path;
    std::vector<std::string> values;
  };
  std::vector<Axis> axes;
  for (const auto& v : vary) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= v.size())
      throw InputError("--vary " + v + ": expected PATH=v1,v2,... e.g. servers[0].workers=1,2,4,8");
    Axis a{v.substr(0, eq), {}};
    std::string rest = v.substr(eq + 1), item;
    std::stringstream ss(rest);
    while (std::getline(ss, item, ','))
      a.values.push_back(item);
    axes.push_back(a);
  }
  std::vector<std::vector<std::string>> points = {{}};
  for (const auto& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points)
      for (const auto& v : a.values) {
        auto q = p;
        q.push_back(v);
        next.push_back(q);
      }
    points = next;
  }
  std::vector<Planned> planned; // every point checked before the first runs
  std::vector<RunOptions> point_options;
  for (const auto& p : points) {
    RunOptions po = o;
    for (std::size_t i = 0; i < axes.size(); ++i)
      po.sets.push_back(axes[i].path + "=" + p[i]);
    planned.push_back(plan(doc, source, po));
    point_options.push_back(po);
  }
  check_budget(planned, o);
  json out = json::array();
  if (as_csv) {
    for (const auto& a : axes)
      std::cout << a.path << ",";
    std::cout << "label,worker_class,throughput_rps,ci95_rps,latency_mean_ms,p50_ms,p99_ms,errors,cpu_utilization,gil_wait_fraction,memory_mb\n";
  }
  for (std::size_t n = 0; n < points.size(); ++n) {
    const auto& p = points[n];
    std::string tag;
    for (std::size_t i = 0; i < axes.size(); ++i)
      tag += (tag.empty() ? "" : ", ") + axes[i].path + "=" + p[i];
    const Scenario& sc = planned[n].sc;
    Simulated sim      = simulate_scenario(sc, planned[n].doc, point_options[n]);
    const auto& rows = sim.rows;
    if (as_json) {
      json j = scenario_json(sc, sim);
      json at = json::object();
      for (std::size_t i = 0; i < axes.size(); ++i)
        at[axes[i].path] = p[i];
      j["point"] = at;
      out.push_back(j);
    } else if (as_csv) {
      for (const auto& s : rows) {
        const Results& t = s.total;
        for (const auto& v : p)
          std::cout << v << ",";
        std::cout << '"' << s.label << "\"," << s.worker_class << "," << s.throughput_rps << "," << s.ci95_throughput_rps
                  << "," << t.latency.mean() * 1000 << "," << t.latency.quantile(0.5) * 1000 << ","
                  << t.latency.quantile(0.99) * 1000 << "," << t.errors.total() << "," << t.cpu_utilization() << ","
                  << t.gil_wait_fraction << "," << t.peak_memory_mb << "\n";
      }
    } else {
      print_table(std::cout, sc.name + "  [" + tag + "]", rows);
      std::cout << "\n";
    }
  }
  if (as_json)
    std::cout << json{{"sweep", out}}.dump(2) << "\n";
  return 0;
}

using StateSeconds = std::array<double, trace_format::kStates>;

/// Seconds per state of one lane in the window.
StateSeconds state_seconds(const trace::Trace& t, const trace::LaneStates& s)
{
  StateSeconds in{};
  for (std::size_t i = 0; i < s.size(); ++i)
    in[static_cast<std::size_t>(s.state[i])] += (i + 1 < s.size() ? s.start[i + 1] : t.until_s) - s.start[i];
  return in;
}

/// One line per lane, in tree order: a process, its threads, their greenlets.
void print_lanes(const trace::Trace& t, uint32_t lane, int depth)
{
  const auto& l = t.lanes[lane];
  std::cout << std::string(static_cast<std::size_t>(2 + 2 * depth), ' ') << l.name << " [" << trace::to_string(l.kind)
            << "]: " << t.states[lane].size() << " intervals";
  StateSeconds in = state_seconds(t, t.states[lane]);
  for (int k = 0; k < trace_format::kStates; ++k)
    if (in[static_cast<std::size_t>(k)] > 0)
      std::cout << ", " << trace::to_string(static_cast<trace::State>(k)) << " " << in[static_cast<std::size_t>(k)] << " s";
  std::cout << "\n";
  for (uint32_t c : l.children)
    print_lanes(t, c, depth + 1);
}

/// `gilsim trace FILE`: what a trace file holds, per lane and in all.
/// Refuses what is not a regular file (a FIFO would wait for a writer, a device never end).
void require_regular_file(const std::string& file)
{
  int fd = open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw InputError(file + ": cannot open file (" + std::strerror(errno) + ")");
  struct stat st {};
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  close(fd);
  if (!regular)
    throw InputError(file + ": expected a trace file (a regular file), got " + (S_ISDIR(st.st_mode) ? "a directory" : "a FIFO, a socket or a device"));
}

int cmd_trace_info(const std::string& file)
{
  require_regular_file(file);
  trace::Trace t = trace::read(file);
  std::cout << file << ": " << t.header.value("label", "") << " (" << t.header.value("scenario", "") << "), window "
            << t.from_s << " s to " << t.until_s << " s\n";
  for (const auto& l : t.lanes)
    if (l.parent < 0)
      print_lanes(t, l.id, 0);
  std::size_t holds = 0, drops = 0;
  for (const auto& l : t.locks) {
    holds += l.holds.size();
    drops += l.drop_requests.size();
    double held = 0;
    for (const auto& h : l.holds)
      held += h.end_s - h.start_s;
    std::cout << "  " << t.lanes[l.process_lane].name << "'s lock: held " << held << " s by " << l.holds.size() << " grants\n";
  }
  auto bytes = std::filesystem::file_size(file);
  std::cout << "  " << t.lanes.size() << " lanes, " << t.interval_count() << " intervals, " << holds << " lock grants, " << drops
            << " drop requests, " << t.counters.size() << " counters, " << t.requests.size() << " requests, "
            << t.workers.size() << " worker events;\n  " << bytes << " bytes: " << t.json_bytes
            << " of header and aggregates, the records "
            << (t.interval_count() ? static_cast<double>(bytes - t.json_bytes) / static_cast<double>(t.interval_count()) : 0)
            << " bytes per interval\n";
  return 0;
}

} // namespace

int main(int argc, char** argv)
{
  CLI::App app{"gilsim: simulate the concurrency models of Python web servers (Gunicorn worker types, the GIL)"};
  app.require_subcommand(1);
  RunOptions o;
  std::string file, trace_out;
  bool as_json = false, as_csv = false, check = false;
  Detail detail;
  std::vector<std::string> vary;

  auto add_common = [&](CLI::App* c) {
    c->add_option("--set", o.sets, "Override one scenario value: PATH=VALUE, e.g. servers[0].workers=8 (repeatable)");
    c->add_option("--seed", o.seed, "Random seed (default: the scenario's)")->check(seed_digits());
    c->add_option("--replications", o.replications, "Independent replications per configuration")->check(CLI::Range(1, 1000));
    c->add_option("--duration", o.duration_s, "Simulated seconds (overrides duration_s)")->check(number_in(0, 1e7, true));
    c->add_option("--jobs,-j", o.jobs, "Simulations run in parallel (child processes)")->check(CLI::Range(1, 256));
    c->add_flag("--json", as_json, "Print a JSON document instead of a table");
    c->add_option("--max-memory", o.max_memory_mb, "Refuse runs estimated to need more MB of memory (default: half of the RAM)")
        ->check(number_in(0, 1e9, true));
    c->add_option("--max-time", o.max_time_s, "Refuse runs estimated to take longer, in seconds (default 3600)")
        ->check(number_in(0, 1e9, true));
  };
  auto* run = app.add_subcommand("run", "Run a scenario (default: sync vs gthread vs gevent on three workloads)");
  run->add_option("FILE", file, "Scenario file, or the name of a built-in scenario (see `gilsim list`)");
  add_common(run);
  run->add_option("--server", o.server, "Simulate only server configuration K (0-based)")->check(CLI::NonNegativeNumber);
  run->add_option("--trace-file", o.trace.file, "Write the trace of the configuration's window to this file (with one configuration)");
  run->add_option("--trace-dir", o.trace.dir, "Write each configuration's trace to DIR/NAME-K.gtrace");
  run->add_option("--trace-out", trace_out, "Write a Chrome/Perfetto trace JSON (ui.perfetto.dev)");
  run->add_option("--trace-from", o.trace.from_s, "Start of the traced window, simulated seconds (default: the end of the warm-up)")
      ->check(number_in(0, 1e7));
  run->add_option("--trace-until", o.trace.until_s, "End of the traced window (default: --trace-seconds after its start)")
      ->check(number_in(0, 1e7, true));
  run->add_option("--trace-seconds", o.trace.seconds, "Length of the traced window (default 2)")->check(number_in(0, 1e7, true));
  run->add_flag("--progress", o.progress, "Report the simulated seconds done on stderr: progress SERVER REPLICATION S DURATION");
  run->add_flag("--check", check, "Exit 1 if any of the scenario's expectations is unmet");
  run->add_flag("--per-worker", detail.per_worker, "Under the table: each worker process's requests, connections, CPU and lock");
  run->add_flag("--per-endpoint", detail.per_endpoint, "Under the table: each endpoint's requests and latency percentiles");

  auto* sweep = app.add_subcommand("sweep", "Run a scenario over a grid of parameter values");
  sweep->add_option("FILE", file, "Scenario file or built-in name")->required();
  sweep->add_option("--vary", vary, "PATH=v1,v2,... (repeatable: the grid is their product)")->required();
  add_common(sweep);
  sweep->add_flag("--csv", as_csv, "Print CSV");

  auto* list = app.add_subcommand("list", "List the built-in scenarios");
  auto* info = app.add_subcommand("trace", "Summarise a trace file (lanes, states, lock, requests)");
  info->add_option("FILE", file, "A trace written by run --trace-file or --trace-dir")->required();
  bool markdown = false;
  auto* schema  = app.add_subcommand("schema", "Print the scenario format's JSON Schema (scenarios/schema.json)");
  schema->add_flag("--markdown", markdown, "Print the field tables of docs/scenarios.md instead");

  validate::Options vo;
  std::string target = "gunicorn";
  auto* val = app.add_subcommand("validate", "Run the scenario on real Gunicorn or gilsim-server under wrk and compare with the simulation");
  val->add_option("FILE", file, "Scenario file or built-in name")->required();
  val->add_option("--target", target, "What to run for real: gunicorn, server (gilsim-server) or both")
      ->check(CLI::IsMember({"gunicorn", "server", "both"}));
  val->add_option("--set", o.sets, "Override one scenario value: PATH=VALUE (repeatable)");
  val->add_option("--seconds", vo.seconds, "Measured seconds per configuration")->check(number_in(1, 3600));
  val->add_option("--warmup", vo.warmup_s, "Seconds of load before measuring")->check(number_in(0, 600));
  val->add_option("--server", o.server, "Only server configuration K (0-based)")->check(CLI::NonNegativeNumber);
  val->add_option("--trace-dir", vo.trace_dir,
                  "gilsim-server: record each gthread configuration's real timeline in DIR/real-K/ (the first 2 s measured)");
  val->add_flag("--json", as_json, "Print a JSON document instead of a table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (list->parsed()) {
      for (const auto& [name, text] : builtin_scenarios()) {
        json d = json::parse(text);
        std::cout << name << "\n    " << d.value("name", "") << "\n";
      }
      return 0;
    }
    if (info->parsed())
      return cmd_trace_info(file);
    if (schema->parsed()) {
      std::cout << (markdown ? parameters_markdown() : scenario_schema_text());
      return 0;
    }
    if (val->parsed()) {
      std::string source;
      json doc    = only_server(with_options(load_document(file, source), source, o), source, o.server);
      Scenario sc = load_scenario(doc, source);
      char self[4096];
      ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
      std::string exe        = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string(argv[0]);
      std::string server_bin = exe.substr(0, exe.rfind('/')) + "/gilsim-server";
      if (target == "both")
        for (const auto& e : sc.base.app.endpoints)
          for (const auto& st : e.steps)
            if (st.kind == Step::Kind::db)
              throw InputError(source + ": db_ms steps: gilsim-server has no database; use --target gunicorn");
      json reports = json::object();
      for (const std::string t : {"gunicorn", "server"}) {
        if (target != t && target != "both")
          continue;
        if (!reports.empty() && !as_json)
          std::cout << "\n";
        reports[t] = validate::validate_gunicorn(sc, vo, as_json ? nullptr : &std::cout, doc, t == "server" ? server_bin : "");
      }
      if (as_json)
        std::cout << (target == "both" ? reports : reports[target]).dump(2) << "\n";
      return 0;
    }
    if (run->parsed())
      return cmd_run(file, run->get_option("FILE")->count() > 0, o, as_json, trace_out, check, detail);
    return cmd_sweep(file, vary, o, as_json, as_csv);
  } catch (const InputError& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  } catch (const Interrupted& e) { // the children are gone, and with the stack their files
    std::signal(e.signal, SIG_DFL);
    std::raise(e.signal);
    return 128 + e.signal;
  } catch (const TraceError& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 3;
  }
}
