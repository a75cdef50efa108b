// gilsim: run scenarios and parameter sweeps in batch.
//   gilsim run [FILE|NAME] [--seed N] [--set PATH=VALUE]... [--json] [--trace-out F]
//   gilsim sweep FILE --vary PATH=v1,v2,... [--vary ...] [--csv|--json]
//   gilsim validate FILE [--target gunicorn|server|both] [--seconds S] [--json]
//   gilsim list
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include "validate.hpp"
#include <CLI/CLI.hpp>
#include <fstream>
#include <unistd.h>
#include <iostream>

using namespace gilsim;
using json = nlohmann::json;

namespace {

const std::vector<std::string> kDefault = {"default-cpu-bound", "default-io-bound", "default-mixed"};

struct RunOptions {
  std::vector<std::string> sets;
  long long seed = -1;
  int replications = 0;
  double duration_s = 0;
  double trace_s = 0;
  int jobs = 2;
};

/// The scenario document with the command line's overrides applied.
json with_options(json doc, const std::string& source, const RunOptions& o)
{
  for (const auto& s : o.sets)
    apply_set(doc, s, source);
  if (o.seed >= 0)
    doc["seed"] = o.seed;
  if (o.replications > 0)
    doc["replications"] = o.replications;
  if (o.duration_s > 0) {
    doc["duration_s"] = o.duration_s;
    if (doc.contains("warmup_s") && doc["warmup_s"].is_number() && doc["warmup_s"].get<double>() >= o.duration_s)
      doc["warmup_s"] = o.duration_s / 10;
  }
  return doc;
}

Scenario prepare(const json& doc, const std::string& source, const RunOptions& o)
{
  return load_scenario(with_options(doc, source, o), source);
}

std::vector<Summary> simulate_scenario(const Scenario& sc, const RunOptions& o)
{
  std::vector<RunConfig> runs;
  for (std::size_t s = 0; s < sc.servers.size(); ++s)
    for (int r = 0; r < sc.replications; ++r) {
      RunConfig c = sc.run(s, r);
      if (o.trace_s > 0 && r == 0)
        c.trace_until_s = std::min(o.trace_s, c.duration_s);
      runs.push_back(c);
    }
  auto results = run_all(runs, o.jobs);
  std::vector<Summary> out;
  for (std::size_t s = 0; s < sc.servers.size(); ++s) {
    std::vector<Results> reps(results.begin() + static_cast<long>(s * sc.replications),
                              results.begin() + static_cast<long>((s + 1) * sc.replications));
    out.push_back(summarize(reps));
  }
  return out;
}

json scenario_json(const Scenario& sc, const std::vector<Summary>& rows)
{
  json results = json::array();
  for (const auto& s : rows)
    results.push_back(summary_to_json(s));
  return {{"scenario", sc.name},
          {"source", sc.source},
          {"seed", sc.base.seed},
          {"duration_s", sc.base.duration_s},
          {"warmup_s", sc.base.warmup_s},
          {"cores", sc.base.machine.cores},
          {"results", results}};
}

/// Prints each expectation of a scenario as met or not; returns the number unmet.
int report_expectations(std::ostream& out, const Scenario& sc, const std::vector<Summary>& rows)
{
  if (sc.expect.empty())
    return 0;
  json results = json::array();
  for (const auto& s : rows)
    results.push_back(summary_to_json(s));
  auto failures = check_expectations(sc, results);
  out << "  expected: " << sc.expect.size() - failures.size() << " of " << sc.expect.size() << " met\n";
  for (const auto& f : failures)
    out << "  UNMET " << f << "\n";
  return static_cast<int>(failures.size());
}

int cmd_run(const std::string& file, const RunOptions& o, bool as_json, const std::string& trace_out, bool check)
{
  std::vector<std::string> names = file.empty() ? kDefault : std::vector<std::string>{file};
  std::vector<std::pair<Scenario, std::vector<Summary>>> done;
  for (const auto& n : names) {
    std::string source;
    json doc    = load_document(n, source);
    Scenario sc = prepare(doc, source, o);
    done.emplace_back(sc, simulate_scenario(sc, o));
  }
  if (!trace_out.empty()) {
    std::vector<Summary> all;
    for (auto& [sc, rows] : done)
      for (auto& r : rows) {
        all.push_back(r);
        all.back().label = (done.size() > 1 ? sc.name + " / " : "") + r.label;
      }
    std::ofstream f(trace_out);
    if (!f)
      throw InputError(trace_out + ": cannot write the trace file");
    f << chrome_trace(all).dump() << "\n";
  }
  int unmet = 0;
  if (as_json) {
    if (check)
      for (auto& [sc, rows] : done)
        unmet += report_expectations(std::cerr, sc, rows);
    if (done.size() == 1) {
      std::cout << scenario_json(done[0].first, done[0].second).dump(2) << "\n";
    } else {
      json scenarios = json::array(), flat = json::array();
      for (auto& [sc, rows] : done) {
        scenarios.push_back(scenario_json(sc, rows));
        for (auto& r : rows) {
          json x        = summary_to_json(r);
          x["scenario"] = sc.name;
          flat.push_back(x);
        }
      }
      std::cout << json{{"scenarios", scenarios}, {"results", flat}}.dump(2) << "\n";
    }
    return check && unmet ? 1 : 0;
  }
  for (auto& [sc, rows] : done) {
    std::string title = sc.name + "  (" + std::to_string(sc.base.machine.cores) + " cores, " +
                        std::to_string(static_cast<int>(sc.base.duration_s)) + " s, seed " + std::to_string(sc.base.seed) +
                        (sc.replications > 1 ? ", " + std::to_string(sc.replications) + " replications" : "") + ")";
    print_table(std::cout, title, rows);
    unmet += report_expectations(std::cout, sc, rows);
    std::cout << "\n";
  }
  std::cout << "errors t/r/k/db: proxy timeouts / refused (backlog full) / worker killed / database (refused or pool timeout)\n";
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
  json out = json::array();
  if (as_csv) {
    for (const auto& a : axes)
      std::cout << a.path << ",";
    std::cout << "label,worker_class,throughput_rps,ci95_rps,latency_mean_ms,p50_ms,p99_ms,errors,cpu_utilization,gil_wait_fraction,memory_mb\n";
  }
  for (const auto& p : points) {
    RunOptions po = o;
    std::string tag;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      po.sets.push_back(axes[i].path + "=" + p[i]);
      tag += (tag.empty() ? "" : ", ") + axes[i].path + "=" + p[i];
    }
    Scenario sc = prepare(doc, source, po);
    auto rows   = simulate_scenario(sc, po);
    if (as_json) {
      json j = scenario_json(sc, rows);
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

} // namespace

int main(int argc, char** argv)
{
  CLI::App app{"gilsim: simulate the concurrency models of Python web servers (Gunicorn worker types, the GIL)"};
  app.require_subcommand(1);
  RunOptions o;
  std::string file, trace_out;
  bool as_json = false, as_csv = false, check = false;
  std::vector<std::string> vary;

  auto add_common = [&](CLI::App* c) {
    c->add_option("--set", o.sets, "Override one scenario value: PATH=VALUE, e.g. servers[0].workers=8 (repeatable)");
    c->add_option("--seed", o.seed, "Random seed (default: the scenario's)")->check(CLI::NonNegativeNumber);
    c->add_option("--replications", o.replications, "Independent replications per configuration")->check(CLI::Range(1, 1000));
    c->add_option("--duration", o.duration_s, "Simulated seconds (overrides duration_s)")->check(CLI::PositiveNumber);
    c->add_option("--jobs,-j", o.jobs, "Simulations run in parallel (child processes)")->check(CLI::Range(1, 256));
    c->add_flag("--json", as_json, "Print a JSON document instead of a table");
  };
  auto* run = app.add_subcommand("run", "Run a scenario (default: sync vs gthread vs gevent on three workloads)");
  run->add_option("FILE", file, "Scenario file, or the name of a built-in scenario (see `gilsim list`)");
  add_common(run);
  run->add_option("--trace-out", trace_out, "Write a Chrome/Perfetto trace JSON (ui.perfetto.dev)");
  run->add_flag("--check", check, "Exit 1 if any of the scenario's expectations is unmet");
  run->add_option("--trace-seconds", o.trace_s, "Seconds of simulated time to trace (default 2)")->check(CLI::PositiveNumber);

  auto* sweep = app.add_subcommand("sweep", "Run a scenario over a grid of parameter values");
  sweep->add_option("FILE", file, "Scenario file or built-in name")->required();
  sweep->add_option("--vary", vary, "PATH=v1,v2,... (repeatable: the grid is their product)")->required();
  add_common(sweep);
  sweep->add_flag("--csv", as_csv, "Print CSV");

  auto* list = app.add_subcommand("list", "List the built-in scenarios");

  validate::Options vo;
  std::string target = "gunicorn";
  auto* val = app.add_subcommand("validate", "Run the scenario on real Gunicorn or gilsim-server under wrk and compare with the simulation");
  val->add_option("FILE", file, "Scenario file or built-in name")->required();
  val->add_option("--target", target, "What to run for real: gunicorn, server (gilsim-server) or both")
      ->check(CLI::IsMember({"gunicorn", "server", "both"}));
  val->add_option("--set", o.sets, "Override one scenario value: PATH=VALUE (repeatable)");
  val->add_option("--seconds", vo.seconds, "Measured seconds per configuration")->check(CLI::Range(1.0, 3600.0));
  val->add_option("--warmup", vo.warmup_s, "Seconds of load before measuring")->check(CLI::Range(0.0, 600.0));
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
    if (val->parsed()) {
      std::string source;
      json doc    = with_options(load_document(file, source), source, o);
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
    if (run->parsed()) {
      if (!trace_out.empty() && o.trace_s <= 0)
        o.trace_s = 2;
      return cmd_run(file, o, as_json, trace_out, check);
    }
    return cmd_sweep(file, vary, o, as_json, as_csv);
  } catch (const InputError& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gilsim: " << e.what() << "\n";
    return 3;
  }
}
