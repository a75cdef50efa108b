#include "report.hpp"
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace gilsim {

using json = nlohmann::json;

namespace {
// The transport between a simulating child and its parent: every plain field
// listed once, written and read by the same list.
const auto breakdown_fields = [](auto& b, auto&& f) {
  f("queue_s", b.queue_s);
  f("loop_wait_s", b.loop_wait_s);
  f("gil_wait_s", b.gil_wait_s);
  f("cpu_s", b.cpu_s);
  f("io_s", b.io_s);
  f("pool_wait_s", b.pool_wait_s);
  f("db_s", b.db_s);
};
const auto error_fields = [](auto& e, auto&& f) {
  f("timeout", e.timeout);
  f("refused", e.refused);
  f("killed", e.killed);
  f("db", e.db);
  f("pool_timeout", e.pool_timeout);
};
const auto result_fields = [](auto& r, auto&& f) {
  f("label", r.label);
  f("worker_class", r.worker_class);
  f("cores", r.cores);
  f("window_s", r.window_s);
  f("completed", r.completed);
  f("waited", r.waited);
  f("batch_completed", r.batch_completed);
  f("cpu_busy_core_s", r.cpu_busy_core_s);
  f("gil_held_fraction", r.gil_held_fraction);
  f("gil_wait_fraction", r.gil_wait_fraction);
  f("peak_memory_mb", r.peak_memory_mb);
  f("peak_db_connections", r.peak_db_connections);
  f("worker_kills", r.worker_kills);
  f("worker_restarts", r.worker_restarts);
  f("monitor_reports", r.monitor_reports);
  f("mean_in_system", r.mean_in_system);
  f("in_system_tenths", r.in_system_tenths);
  f("mean_sojourn_s", r.mean_sojourn_s);
  f("departure_rate", r.departure_rate);
  f("simulated_requests", r.simulated_requests);
};
/// Writes the fields `visit` lists into a JSON object.
template <class T, class V> json write_fields(const T& t, V visit)
{
  json j = json::object();
  visit(t, [&](const char* k, const auto& v) { j[k] = v; });
  return j;
}
/// Reads the fields `visit` lists from a JSON object.
template <class T, class V> void read_fields(const json& j, T& t, V visit)
{
  visit(t, [&](const char* k, auto& v) { j.at(k).get_to(v); });
}
const auto worker_fields = [](auto& w, auto&& f) {
  f("worker", w.worker);
  f("born_s", w.born_s);
  f("died_s", w.died_s);
  f("died_of", w.died_of);
  f("lived_s", w.lived_s);
  f("served", w.served);
  f("connections_peak", w.connections_peak);
  f("connections_mean", w.connections_mean);
  f("cpu_cores", w.cpu_cores);
  f("gil_held_fraction", w.gil_held_fraction);
  f("gil_wait_fraction", w.gil_wait_fraction);
};
json histogram_json(const Histogram& h)
{
  json buckets = json::array();
  for (auto [i, c] : h.buckets())
    buckets.push_back({i, c});
  return {{"buckets", buckets}, {"sum", h.sum()}, {"max", h.max()}};
}
Histogram histogram_from(const json& j)
{
  std::map<int, uint64_t> b;
  for (const auto& p : j.at("buckets"))
    b[p[0].get<int>()] = p[1].get<uint64_t>();
  return Histogram::from(b, j.at("sum"), j.at("max"));
}
json per_process_json(const std::vector<Results::ProcessLock>& v)
{
  json a = json::array();
  for (const auto& p : v)
    a.push_back({{"worker", p.worker}, {"held_fraction", p.held_fraction}, {"wait_fraction", p.wait_fraction}});
  return a;
}
} // namespace

json results_to_json(const Results& r)
{
  json j               = write_fields(r, result_fields);
  j["errors"]          = write_fields(r.errors, error_fields);
  j["breakdown"]       = write_fields(r.breakdown, breakdown_fields);
  j["latency"]         = histogram_json(r.latency);
  j["gil_per_process"] = per_process_json(r.gil_per_process);
  j["per_worker"]      = json::array();
  for (const auto& w : r.per_worker)
    j["per_worker"].push_back(write_fields(w, worker_fields));
  j["per_endpoint"] = json::array();
  for (const auto& e : r.per_endpoint)
    j["per_endpoint"].push_back({{"name", e.name}, {"latency", histogram_json(e.latency)}});
  return j;
}

Results results_from_json(const json& j)
{
  Results r;
  read_fields(j, r, result_fields);
  read_fields(j.at("errors"), r.errors, error_fields);
  read_fields(j.at("breakdown"), r.breakdown, breakdown_fields);
  r.latency = histogram_from(j.at("latency"));
  for (const auto& p : j.at("gil_per_process"))
    r.gil_per_process.push_back({p.at("worker").get<int>(), p.at("held_fraction").get<double>(), p.at("wait_fraction").get<double>()});
  for (const auto& w : j.at("per_worker"))
    read_fields(w, r.per_worker.emplace_back(), worker_fields);
  for (const auto& e : j.at("per_endpoint"))
    r.per_endpoint.push_back({e.at("name").get<std::string>(), histogram_from(e.at("latency"))});
  return r;
}

Summary summarize(const std::vector<Results>& reps)
{
  Summary s;
  s.replications = static_cast<int>(reps.size());
  if (reps.empty())
    return s;
  s.label        = reps[0].label;
  s.worker_class = reps[0].worker_class;
  Results& t     = s.total;
  t.label        = s.label;
  t.worker_class = s.worker_class;
  t.cores        = reps[0].cores;
  t.batch_completed.assign(10, 0);
  std::vector<double> thr, lat;
  double n = static_cast<double>(reps.size());
  for (const auto& r : reps) {
    t.window_s += r.window_s;
    t.completed += r.completed;
    t.waited += r.waited;
    t.errors.timeout += r.errors.timeout;
    t.errors.refused += r.errors.refused;
    t.errors.killed += r.errors.killed;
    t.errors.db += r.errors.db;
    t.errors.pool_timeout += r.errors.pool_timeout;
    t.latency.merge(r.latency);
    for (std::size_t b = 0; b < r.batch_completed.size() && b < 10; ++b)
      t.batch_completed[b] += r.batch_completed[b];
    t.breakdown.add(r.breakdown);
    t.cpu_busy_core_s += r.cpu_busy_core_s;
    t.gil_held_fraction += r.gil_held_fraction / n;
    t.gil_wait_fraction += r.gil_wait_fraction / n;
    if (&r == &reps.front()) {
      t.per_worker   = r.per_worker; // the processes of one replication: replacements differ between them
      t.per_endpoint = r.per_endpoint;
    } else {
      for (std::size_t i = 0; i < t.per_endpoint.size() && i < r.per_endpoint.size(); ++i)
        t.per_endpoint[i].latency.merge(r.per_endpoint[i].latency);
    }
    if (&r == &reps.front())
      t.gil_per_process = r.gil_per_process;
    else
      for (std::size_t i = 0; i < t.gil_per_process.size() && i < r.gil_per_process.size(); ++i) {
        t.gil_per_process[i].held_fraction += r.gil_per_process[i].held_fraction;
        t.gil_per_process[i].wait_fraction += r.gil_per_process[i].wait_fraction;
      }
    t.peak_memory_mb      = std::max(t.peak_memory_mb, r.peak_memory_mb);
    t.peak_db_connections = std::max(t.peak_db_connections, r.peak_db_connections);
    t.worker_kills += r.worker_kills;
    t.worker_restarts += r.worker_restarts;
    t.monitor_reports += r.monitor_reports;
    t.mean_in_system += r.mean_in_system / n;
    t.in_system_tenths.resize(r.in_system_tenths.size());
    for (std::size_t i = 0; i < r.in_system_tenths.size(); ++i)
      t.in_system_tenths[i] += r.in_system_tenths[i] / n;
    t.mean_sojourn_s += r.mean_sojourn_s / n;
    t.departure_rate += r.departure_rate / n;
    t.simulated_requests += r.simulated_requests;
    thr.push_back(r.throughput_rps());
    lat.push_back(r.latency.mean());
  }
  for (auto& p : t.gil_per_process) {
    p.held_fraction /= n;
    p.wait_fraction /= n;
  }
  s.throughput_rps = t.throughput_rps();
  s.latency_mean_s = t.latency.mean();
  if (reps.size() >= 2) {
    s.ci_method           = "replications";
    s.ci95_throughput_rps = ci95_half_width(thr);
    s.ci95_latency_mean_s = ci95_half_width(lat);
  } else {
    // batch means: the window cut in 10 batches, each a (nearly independent) sample
    s.ci_method = "batch means";
    std::vector<double> b;
    for (uint64_t c : t.batch_completed)
      b.push_back(c / (t.window_s / 10));
    s.ci95_throughput_rps = ci95_half_width(b);
  }
  return s;
}

namespace {
/// Each worker process of the first replication: what it served, held and used.
json per_worker_json(const Results& t)
{
  json a = json::array();
  for (const auto& w : t.per_worker) {
    json j = {{"worker", w.worker},
              {"served", w.served},
              {"throughput_rps", w.lived_s > 0 ? w.served / w.lived_s : 0.0},
              {"connections", {{"peak", w.connections_peak}, {"mean", w.connections_mean}}},
              {"cpu_cores", w.cpu_cores},
              {"gil", {{"held_fraction", w.gil_held_fraction}, {"wait_fraction", w.gil_wait_fraction}}},
              {"born_s", w.born_s},
              {"lived_s", w.lived_s}};
    if (w.died_s >= 0)
      j["died"] = {{"at_s", w.died_s}, {"of", w.died_of}};
    a.push_back(j);
  }
  return a;
}

json latency_ms_json(const Histogram& h)
{
  auto ms = [](double x) { return x * 1000; };
  return {{"mean", ms(h.mean())}, {"p50", ms(h.quantile(0.5))}, {"p90", ms(h.quantile(0.9))}, {"p99", ms(h.quantile(0.99))},
          {"p999", ms(h.quantile(0.999))}, {"max", ms(h.max())}};
}

json per_endpoint_json(const Results& t)
{
  json a = json::array();
  for (const auto& e : t.per_endpoint)
    a.push_back({{"name", e.name},
                 {"completed", e.latency.count()},
                 {"throughput_rps", t.window_s > 0 ? e.latency.count() / t.window_s : 0.0},
                 {"latency_ms", latency_ms_json(e.latency)}});
  return a;
}
} // namespace

json summary_to_json(const Summary& s)
{
  const Results& t = s.total;
  const auto& h    = t.latency;
  auto ms          = [](double x) { return x * 1000; };
  double done      = static_cast<double>(std::max<uint64_t>(t.completed, 1));
  json breakdown_ms = json::object(); // per completed request: queue_s -> queue, ...
  breakdown_fields(t.breakdown, [&](const std::string& k, double v) { breakdown_ms[k.substr(0, k.size() - 2)] = ms(v) / done; });
  json ci            = {{"throughput_rps", s.ci95_throughput_rps}, {"method", s.ci_method}};
  if (s.ci_method == "replications")
    ci["latency_mean_ms"] = ms(s.ci95_latency_mean_s);
  return {
      {"label", s.label},
      {"worker_class", s.worker_class},
      {"replications", s.replications},
      {"throughput_rps", s.throughput_rps},
      {"latency_ms", latency_ms_json(h)},
      {"completed", t.completed},
      {"waited_fraction", t.completed ? static_cast<double>(t.waited) / t.completed : 0.0},
      {"errors", write_fields(t.errors, error_fields)},
      {"cpu_utilization", t.cpu_utilization()},
      {"gil",
       {{"held_fraction", t.gil_held_fraction},
        {"wait_fraction", t.gil_wait_fraction},
        {"per_process", per_process_json(t.gil_per_process)}}},
      {"memory_mb", t.peak_memory_mb},
      {"db_connections_peak", t.peak_db_connections},
      {"worker_kills", t.worker_kills},
      {"worker_restarts", t.worker_restarts},
      {"monitor_reports", t.monitor_reports},
      {"breakdown_ms", breakdown_ms},
      {"little",
       {{"mean_in_system", t.mean_in_system},
        {"in_system_at_tenths", t.in_system_tenths},
        {"departure_rate", t.departure_rate},
        {"mean_sojourn_ms", ms(t.mean_sojourn_s)}}},
      {"ci95", ci},
      {"simulated_requests", t.simulated_requests},
      {"per_worker", per_worker_json(t)},
      {"per_endpoint", per_endpoint_json(t)}};
}

namespace {
std::string fmt(double v, int prec)
{
  std::ostringstream o;
  o << std::fixed << std::setprecision(prec) << v;
  return o.str();
}
std::string fmt_ms(double s)
{
  double ms = s * 1000;
  return fmt(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0);
}
} // namespace

namespace {
/// Columns padded to their widest cell (the first `left` left-aligned), a rule under the header.
void print_cells(std::ostream& out, const std::vector<std::vector<std::string>>& cells, std::size_t left)
{
  std::vector<std::size_t> w(cells[0].size(), 0);
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size(); ++i)
      w[i] = std::max(w[i], row[i].size());
  for (std::size_t r = 0; r < cells.size(); ++r) {
    for (std::size_t i = 0; i < cells[r].size(); ++i)
      out << "  " << (i < left ? std::left : std::right) << std::setw(static_cast<int>(w[i])) << cells[r][i];
    out << "\n";
    if (r == 0) {
      std::size_t total = 0;
      for (auto x : w)
        total += x + 2;
      out << "  " << std::string(total - 2, '-') << "\n";
    }
  }
}
std::string fmt_rate(double v) { return fmt(v, v < 100 ? 1 : 0); }
} // namespace

void print_table(std::ostream& out, const std::string& title, const std::vector<Summary>& rows)
{
  std::vector<std::vector<std::string>> cells = {
      {"configuration", "class", "req/s", "±95%", "p50 ms", "p99 ms", "errors t/r/k/db", "CPU %", "GIL wait %", "mem MB"}};
  for (const auto& s : rows) {
    const Results& t = s.total;
    const Errors& e  = t.errors;
    cells.push_back({s.label, s.worker_class, fmt_rate(s.throughput_rps), fmt_rate(s.ci95_throughput_rps),
                     fmt_ms(t.latency.quantile(0.5)), fmt_ms(t.latency.quantile(0.99)),
                     std::to_string(e.timeout) + "/" + std::to_string(e.refused) + "/" + std::to_string(e.killed) + "/" +
                         std::to_string(e.db + e.pool_timeout),
                     fmt(100 * t.cpu_utilization(), 0), fmt(100 * t.gil_wait_fraction, 0), fmt(t.peak_memory_mb, 0)});
  }
  out << title << "\n";
  print_cells(out, cells, 2);
}

void print_legend(std::ostream& out)
{
  out << "±95%: half-width of the 95 % confidence interval of req/s (batch means of one run, or across replications)\n"
         "errors t/r/k/db: requests lost to proxy timeouts / refused (backlog full) / a killed worker (requests, not\n"
         "  workers) / the database (refused or pool timeout)\n"
         "CPU %: of all the machine's cores; GIL wait %: time some thread of a process waits for its lock;\n"
         "  mem MB: peak resident memory of the arbiter and its workers\n";
}

std::string events_sentence(const Summary& s)
{
  const Results& t = s.total;
  std::vector<std::string> parts;
  auto count = [](uint64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  if (t.worker_kills)
    parts.push_back(count(t.worker_kills, "worker killed by the timeout", "workers killed by the timeout"));
  if (t.worker_restarts)
    parts.push_back(count(t.worker_restarts, "worker recycled at max_requests", "workers recycled at max_requests"));
  if (t.peak_db_connections)
    parts.push_back("at most " + count(static_cast<uint64_t>(t.peak_db_connections), "database connection", "database connections"));
  if (t.monitor_reports)
    parts.push_back("gevent's monitor saw the hub blocked " + count(t.monitor_reports, "time", "times"));
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : "; ") + p;
  return out;
}

void print_worker_table(std::ostream& out, const Summary& s)
{
  std::vector<std::vector<std::string>> cells = {
      {"worker", "lived", "served", "req/s", "conns peak", "conns mean", "CPU cores", "GIL held %", "GIL wait %"}};
  for (const auto& w : s.total.per_worker) {
    std::string lived = fmt(w.lived_s, 1) + " s" + (w.died_s >= 0 ? " (" + w.died_of + ")" : "");
    cells.push_back({std::to_string(w.worker), lived, std::to_string(w.served), fmt_rate(w.lived_s > 0 ? w.served / w.lived_s : 0),
                     std::to_string(w.connections_peak), fmt(w.connections_mean, 1), fmt(w.cpu_cores, 2),
                     fmt(100 * w.gil_held_fraction, 0), fmt(100 * w.gil_wait_fraction, 0)});
  }
  out << "  " << s.label << ", per worker" << (s.replications > 1 ? " (replication 1)" : "") << ":\n";
  print_cells(out, cells, 2);
}

void print_endpoint_table(std::ostream& out, const Summary& s)
{
  std::vector<std::vector<std::string>> cells = {{"endpoint", "completed", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"}};
  for (const auto& e : s.total.per_endpoint) {
    const Histogram& h = e.latency;
    cells.push_back({e.name, std::to_string(h.count()), fmt_rate(s.total.window_s > 0 ? h.count() / s.total.window_s : 0),
                     fmt_ms(h.quantile(0.5)), fmt_ms(h.quantile(0.9)), fmt_ms(h.quantile(0.99)), fmt_ms(h.max())});
  }
  out << "  " << s.label << ", per endpoint:\n";
  print_cells(out, cells, 1);
}

} // namespace gilsim
