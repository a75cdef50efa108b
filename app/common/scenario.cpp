#include "scenario.hpp"
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace gilsim {

using json = nlohmann::json;

namespace {

std::string describe(const json& v)
{
  std::string s = v.dump();
  if (s.size() > 60)
    s = s.substr(0, 57) + "...";
  return s;
}

/// Reads one JSON object, tracking its path; rejects unknown keys on done().
class Reader {
public:
  Reader(const json& j, std::string path, const std::string& source) : j_(j), path_(std::move(path)), source_(source)
  {
    if (!j_.is_object())
      fail(path_, "expected an object", j_);
  }
  [[noreturn]] void fail(const std::string& path, const std::string& expected, const json& got) const
  {
    throw InputError(source_ + ": " + (path.empty() ? "(top level)" : path) + ": " + expected + ", got " + describe(got));
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const json* get(const std::string& key)
  {
    used_.insert(key);
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  double number(const std::string& key, double def, double min, double max = 1e300, bool min_exclusive = false)
  {
    const json* v = get(key);
    if (!v)
      return def;
    std::ostringstream expect;
    expect << "expected a number " << (min_exclusive ? "> " : ">= ") << min;
    if (max < 1e300)
      expect << " and <= " << max;
    if (!v->is_number())
      fail(at(key), expect.str(), *v);
    double x = v->get<double>();
    if (x < min || (min_exclusive && x == min) || x > max)
      fail(at(key), expect.str(), *v);
    return x;
  }
  int integer(const std::string& key, int def, int min, int max = 1 << 30)
  {
    const json* v = get(key);
    if (!v)
      return def;
    std::string expect = min == 1   ? "expected a positive integer"
                         : min == 0 ? "expected a non-negative integer"
                                    : "expected an integer >= " + std::to_string(min);
    if (!v->is_number_integer() || v->get<long long>() < min)
      fail(at(key), expect, *v);
    if (v->get<long long>() > max)
      fail(at(key), "expected an integer <= " + std::to_string(max), *v);
    return v->get<int>();
  }
  bool boolean(const std::string& key, bool def)
  {
    const json* v = get(key);
    if (!v)
      return def;
    if (!v->is_boolean())
      fail(at(key), "expected true or false", *v);
    return v->get<bool>();
  }
  std::string string(const std::string& key, const std::string& def)
  {
    const json* v = get(key);
    if (!v)
      return def;
    if (!v->is_string())
      fail(at(key), "expected a string", *v);
    return v->get<std::string>();
  }
  std::string choice(const std::string& key, const std::string& def, const std::vector<std::string>& options)
  {
    const json* v = get(key);
    if (!v)
      return def;
    std::string list;
    for (const auto& o : options)
      list += (list.empty() ? "" : ", ") + ("\"" + o + "\"");
    if (!v->is_string() || std::find(options.begin(), options.end(), v->get<std::string>()) == options.end())
      fail(at(key), "expected one of " + list, *v);
    return v->get<std::string>();
  }
  /// A distribution of durations in milliseconds: a number, or {"dist": ...}.
  Distribution duration_ms(const std::string& key, const json& v)
  {
    std::string p = at(key);
    if (v.is_number()) {
      if (v.get<double>() < 0)
        fail(p, "expected a duration in ms >= 0", v);
      return Distribution::constant(v.get<double>() / 1000);
    }
    if (!v.is_object())
      fail(p, "expected a duration in ms (a number, or {\"dist\": ...})", v);
    Reader d(v, p, source_);
    std::string kind = d.choice("dist", "", {"constant", "deterministic", "exponential", "uniform", "lognormal", "empirical"});
    if (kind.empty())
      fail(p + ".dist", "expected one of \"constant\", \"exponential\", \"uniform\", \"lognormal\", \"empirical\"", json());
    Distribution out;
    if (kind == "constant" || kind == "deterministic") {
      out = Distribution::constant(d.required_number("value", 0) / 1000);
    } else if (kind == "exponential") {
      out = {Distribution::Kind::exponential, d.required_number("mean", 0, true) / 1000, 0, {}};
    } else if (kind == "uniform") {
      double lo = d.required_number("min", 0), hi = d.required_number("max", 0);
      if (hi < lo)
        fail(p + ".max", "expected a number >= min (" + std::to_string(lo) + ")", *d.get("max"));
      out = {Distribution::Kind::uniform, lo / 1000, hi / 1000, {}};
    } else if (kind == "lognormal") {
      out = {Distribution::Kind::lognormal, d.required_number("mean", 0, true) / 1000, d.number("sigma", 0.5, 0), {}};
    } else {
      const json* vals = d.get("values");
      if (!vals || !vals->is_array() || vals->empty())
        fail(p + ".values", "expected a non-empty array of durations in ms", vals ? *vals : json());
      out.kind = Distribution::Kind::empirical;
      for (std::size_t i = 0; i < vals->size(); ++i) {
        const json& x = (*vals)[i];
        if (!x.is_number() || x.get<double>() < 0)
          fail(p + ".values[" + std::to_string(i) + "]", "expected a duration in ms >= 0", x);
        out.values.push_back(x.get<double>() / 1000);
      }
    }
    d.done();
    return out;
  }
  double required_number(const std::string& key, double min, bool exclusive = false)
  {
    if (!j_.contains(key))
      fail(at(key), std::string("expected a number ") + (exclusive ? "> " : ">= ") + std::to_string(static_cast<int>(min)) + " (required)", json());
    return number(key, 0, min, 1e300, exclusive);
  }
  const json& raw() const { return j_; }
  const std::string& path() const { return path_; }
  const std::string& source() const { return source_; }
  void done() const
  {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!used_.count(it.key()))
        throw InputError(source_ + ": " + at(it.key()) + ": unknown key (expected one of: " + known() + ")");
  }

private:
  std::string known() const
  {
    std::string s;
    for (const auto& k : used_)
      s += (s.empty() ? "" : ", ") + k;
    return s;
  }
  const json& j_;
  std::string path_;
  const std::string& source_;
  std::set<std::string> used_;
};

const json& array_at(Reader& r, const std::string& key, bool required)
{
  static const json empty = json::array();
  const json* v           = r.get(key);
  if (!v) {
    if (required)
      r.fail(r.at(key), "expected a non-empty array (required)", json());
    return empty;
  }
  if (!v->is_array() || (required && v->empty()))
    r.fail(r.at(key), "expected a non-empty array", *v);
  return *v;
}

void read_interpreter(Reader& r, InterpreterConfig& in)
{
  in.gil                    = r.boolean("gil", in.gil);
  in.switch_interval_s      = r.number("switch_interval_ms", in.switch_interval_s * 1000, 0, 1e300, true) / 1000;
  in.free_threaded_slowdown = r.number("free_threaded_slowdown", in.free_threaded_slowdown, 1);
  in.process_mb             = r.number("process_mb", in.process_mb, 0);
  in.thread_mb              = r.number("thread_mb", in.thread_mb, 0);
  in.greenlet_mb            = r.number("greenlet_mb", in.greenlet_mb, 0);
  in.cow_dirty_fraction     = r.number("cow_dirty_fraction", in.cow_dirty_fraction, 0, 1);
  r.done();
}

Step read_step(const json& v, const std::string& path, const std::string& source)
{
  Reader r(v, path, source);
  static const std::vector<std::pair<std::string, Step::Kind>> kinds = {
      {"cpu_ms", Step::Kind::cpu}, {"io_ms", Step::Kind::io}, {"blocking_io_ms", Step::Kind::blocking_io}, {"db_ms", Step::Kind::db}};
  Step s;
  int found = 0;
  for (const auto& [key, kind] : kinds) {
    if (const json* d = r.get(key)) {
      ++found;
      s.kind       = kind;
      s.duration_s = r.duration_ms(key, *d);
    }
  }
  if (found != 1)
    r.fail(path, "expected exactly one of cpu_ms, io_ms, blocking_io_ms, db_ms", v);
  s.blocking_driver = r.boolean("blocking_driver", false);
  if (s.blocking_driver && s.kind != Step::Kind::db)
    r.fail(r.at("blocking_driver"), "expected only on a db_ms step", v["blocking_driver"]);
  r.done();
  return s;
}

WorkerClass parse_class(const std::string& s)
{
  static const std::vector<std::pair<std::string, WorkerClass>> names = {
      {"sync", WorkerClass::sync},       {"gthread", WorkerClass::gthread}, {"gevent", WorkerClass::gevent},
      {"eventlet", WorkerClass::eventlet}, {"tornado", WorkerClass::tornado}, {"uvicorn", WorkerClass::uvicorn}};
  for (const auto& [n, c] : names)
    if (n == s)
      return c;
  return WorkerClass::sync;
}

PoolConfig read_pool(const json& v, const std::string& path, const std::string& source, const PoolConfig& base)
{
  Reader pr(v, path, source);
  PoolConfig pc;
  std::string type = pr.choice("type", base.kind == PoolConfig::Kind::shared ? "shared"
                                       : base.kind == PoolConfig::Kind::none ? "none"
                                                                             : "per_process",
                               {"per_process", "shared", "none"});
  pc.kind = type == "shared" ? PoolConfig::Kind::shared
            : type == "none" ? PoolConfig::Kind::none
                             : PoolConfig::Kind::per_process;
  bool shared     = pc.kind == PoolConfig::Kind::shared;
  bool same_kind  = pc.kind == base.kind;
  pc.size         = pr.integer("pool_size", same_kind ? base.size : shared ? 20 : 5, 1);
  pc.max_overflow = pr.integer("max_overflow", same_kind ? base.max_overflow : shared ? 0 : 10, 0);
  pc.timeout_s    = pr.number("pool_timeout_s", same_kind ? base.timeout_s : shared ? 120 : 30, 0, 1e300, true);
  if (shared && pc.max_overflow != 0)
    pr.fail(pr.at("max_overflow"), "expected 0 or nothing for a shared (PgBouncer) pool", v["max_overflow"]);
  pr.done();
  return pc;
}

ServerConfig read_server(const json& v, const std::string& path, const std::string& source, const InterpreterConfig& base,
                         const PoolConfig& pool)
{
  Reader r(v, path, source);
  ServerConfig s;
  s.worker_class = parse_class(
      r.choice("worker_class", "sync", {"sync", "gthread", "gevent", "eventlet", "tornado", "uvicorn"}));
  s.workers            = r.integer("workers", 1, 1, 4096);
  s.threads            = r.integer("threads", 1, 1, 100000);
  // gunicorn/config.py: a sync worker with threads > 1 is run as gthread.
  if (s.worker_class == WorkerClass::sync && s.threads > 1)
    s.worker_class = WorkerClass::gthread;
  s.worker_connections  = r.integer("worker_connections", 1000, 1, 10000000);
  s.backlog             = r.integer("backlog", 2048, 1);
  s.timeout_s           = r.number("timeout_s", 30, 0, 1e300, true);
  s.keepalive_s         = r.number("keepalive_s", default_keepalive_s(s.worker_class), 0);
  s.max_requests        = r.integer("max_requests", 0, 0);
  s.max_requests_jitter = r.integer("max_requests_jitter", 0, 0);
  s.preload_app         = r.boolean("preload_app", false);
  s.boot_s              = r.number("boot_s", 1.0, 0);
  s.overhead_s          = r.number("overhead_ms", default_overhead_s(s.worker_class) * 1000, 0) / 1000;
  s.cooperative_io      = r.boolean("cooperative_io", true);
  s.pool                = pool;
  if (const json* p = r.get("pool"))
    s.pool = read_pool(*p, r.at("pool"), source, pool);
  s.monitor_thread      = r.boolean("monitor_thread", false);
  s.max_blocking_time_s = r.number("max_blocking_time_ms", 100, 0, 1e300, true) / 1000;
  s.interpreter         = base;
  if (const json* in = r.get("interpreter")) {
    Reader ir(*in, r.at("interpreter"), source);
    read_interpreter(ir, s.interpreter);
  }
  std::string def_label = std::string(to_string(s.worker_class)) + " " + std::to_string(s.workers) + "w" +
                          (s.worker_class == WorkerClass::gthread ? "x" + std::to_string(s.threads) + "t" : "");
  s.label = r.string("label", def_label);
  r.done();
  return s;
}

} // namespace

RunConfig Scenario::run(std::size_t server, int replication) const
{
  RunConfig c = base;
  c.server    = servers.at(server);
  c.seed      = base.seed + static_cast<uint64_t>(replication);
  return c;
}

json parse_json(const std::string& text, const std::string& source)
{
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the offset of the error; turn it into line:column
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string msg = e.what();
    auto pos        = msg.find("syntax error");
    throw InputError(source + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON (" +
                     (pos == std::string::npos ? msg : msg.substr(pos)) + ")");
  }
}

json read_json_file(const std::string& path)
{
  std::ifstream in(path);
  if (!in)
    throw InputError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_json(ss.str(), path);
}

void apply_set(json& doc, const std::string& assignment, const std::string& source)
{
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment + ": expected PATH=VALUE, e.g. servers[0].workers=8");
  std::string path = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  json v;
  try {
    v = json::parse(value);
  } catch (const json::parse_error&) {
    v = value;
  }
  // walk a.b[2].c
  json* cur = &doc;
  std::size_t i = 0;
  std::string walked;
  while (i < path.size()) {
    if (path[i] == '[') {
      auto close = path.find(']', i);
      if (close == std::string::npos)
        throw InputError("--set " + assignment + ": unclosed '[' in the path");
      std::string idx = path.substr(i + 1, close - i - 1);
      if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos)
        throw InputError("--set " + assignment + ": expected an index in [], got \"" + idx + "\"");
      std::size_t k = std::stoul(idx);
      if (!cur->is_array() || k >= cur->size())
        throw InputError("--set " + assignment + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) +
                         " has no element [" + idx + "]");
      walked += "[" + idx + "]";
      cur = &(*cur)[k];
      i   = close + 1;
      if (i < path.size() && path[i] == '.')
        ++i;
    } else {
      auto end = path.find_first_of(".[", i);
      std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
      if (key.empty())
        throw InputError("--set " + assignment + ": empty key in the path");
      if (!cur->is_object())
        throw InputError("--set " + assignment + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) + " is not an object");
      walked += (walked.empty() ? "" : ".") + key;
      cur = &(*cur)[key];
      i   = end == std::string::npos ? path.size() : end;
      if (i < path.size() && path[i] == '.')
        ++i;
    }
  }
  *cur = v;
}

Scenario load_scenario(const json& doc, const std::string& source)
{
  Scenario sc;
  sc.source = source;
  Reader top(doc, "", source);
  sc.name        = top.string("name", source);
  sc.description = top.string("description", "");
  RunConfig& c   = sc.base;

  if (const json* m = top.get("machine")) {
    Reader r(*m, "machine", source);
    c.machine.cores            = r.integer("cores", 2, 1, 1024);
    c.machine.context_switch_s = r.number("context_switch_us", 30, 0) / 1e6;
    r.done();
  }
  InterpreterConfig interp;
  if (const json* in = top.get("interpreter")) {
    Reader r(*in, "interpreter", source);
    read_interpreter(r, interp);
  }
  {
    const json* a = top.get("app");
    if (!a)
      top.fail("app", "expected an object with \"endpoints\" (required)", json());
    Reader r(*a, "app", source);
    c.app.memory_mb = r.number("memory_mb", c.app.memory_mb, 0);
    const json& eps = array_at(r, "endpoints", true);
    for (std::size_t i = 0; i < eps.size(); ++i) {
      std::string p = "app.endpoints[" + std::to_string(i) + "]";
      Reader e(eps[i], p, source);
      Endpoint ep;
      ep.name   = e.string("name", "endpoint " + std::to_string(i));
      ep.weight = e.number("weight", 1, 0, 1e300, true);
      const json& steps = array_at(e, "steps", false);
      for (std::size_t k = 0; k < steps.size(); ++k)
        ep.steps.push_back(read_step(steps[k], p + ".steps[" + std::to_string(k) + "]", source));
      e.done();
      c.app.endpoints.push_back(std::move(ep));
    }
    r.done();
  }
  if (const json* d = top.get("database")) {
    Reader r(*d, "database", source);
    auto& db           = c.database;
    db.cores           = r.integer("cores", 4, 1, 1024);
    db.max_connections = r.integer("max_connections", 100, 1);
    db.connect_s       = r.number("connect_ms", 5, 0) / 1000;
    db.rtt_s           = r.number("rtt_ms", 0.5, 0) / 1000;
    if (const json* p = r.get("pool"))
      db.pool = read_pool(*p, "database.pool", source, db.pool);
    r.done();
  }
  if (const json* l = top.get("load")) {
    Reader r(*l, "load", source);
    std::string type = r.choice("type", "closed", {"closed", "open"});
    auto& load       = c.load;
    load.type        = type == "open" ? LoadConfig::Type::open : LoadConfig::Type::closed;
    load.connections = r.integer("connections", 64, 1, 1000000);
    if (const json* t = r.get("think_ms"))
      load.think_s = r.duration_ms("think_ms", *t);
    load.keepalive = r.boolean("keepalive", true);
    load.rate_rps  = r.number("rate_rps", 100, 0, 1e300, true);
    load.retry_s   = r.number("retry_s", 1, 0, 1e300, true);
    if (load.type == LoadConfig::Type::open && l->contains("connections"))
      r.fail("load.connections", "expected no \"connections\" with an open load (it sets \"rate_rps\")", (*l)["connections"]);
    if (load.type == LoadConfig::Type::closed && l->contains("rate_rps"))
      r.fail("load.rate_rps", "expected no \"rate_rps\" with a closed load (it sets \"connections\")", (*l)["rate_rps"]);
    r.done();
  }
  if (const json* p = top.get("proxy")) {
    Reader r(*p, "proxy", source);
    c.proxy.enabled        = true;
    c.proxy.read_timeout_s     = r.number("read_timeout_s", 60, 0, 1e300, true);
    c.proxy.upstream_keepalive = r.boolean("upstream_keepalive", false);
    r.done();
  }
  c.duration_s    = top.number("duration_s", 60, 0, 1e7, true);
  c.warmup_s      = top.number("warmup_s", std::min(5.0, c.duration_s / 10), 0);
  if (c.warmup_s >= c.duration_s)
    top.fail("warmup_s", "expected a number < duration_s (" + std::to_string(c.duration_s) + ")", doc["warmup_s"]);
  {
    const json* s = top.get("seed");
    if (s && (!s->is_number_integer() || s->get<long long>() < 0))
      top.fail("seed", "expected a non-negative integer", *s);
    c.seed = s ? s->get<uint64_t>() : 1;
  }
  sc.replications = top.integer("replications", 1, 1, 1000);
  const json& servers = array_at(top, "servers", true);
  for (std::size_t i = 0; i < servers.size(); ++i)
    sc.servers.push_back(read_server(servers[i], "servers[" + std::to_string(i) + "]", source, interp, c.database.pool));
  top.get("lesson"); // lesson text is for the studio; the simulator ignores it
  const json& expect = array_at(top, "expect", false);
  for (std::size_t i = 0; i < expect.size(); ++i) {
    std::string p = "expect[" + std::to_string(i) + "]";
    Reader r(expect[i], p, source);
    Expectation e;
    e.path   = p;
    e.metric = r.string("metric", "");
    if (e.metric.empty())
      r.fail(r.at("metric"), "expected a metric path such as \"throughput_rps\" (required)", json());
    auto label = [&](const std::string& key, bool required) {
      std::string v = r.string(key, "");
      if (v.empty() && !required)
        return v;
      for (const auto& s : sc.servers)
        if (s.label == v)
          return v;
      std::string labels;
      for (const auto& s : sc.servers)
        labels += (labels.empty() ? "\"" : ", \"") + s.label + "\"";
      r.fail(r.at(key), "expected the label of a server (" + labels + ")", expect[i].value(key, json()));
    };
    e.of  = label("of", true);
    e.vs  = label("vs", false);
    e.min = r.number("min", -1e300, -1e300);
    e.max = r.number("max", 1e300, -1e300);
    e.why = r.string("why", "");
    r.done();
    sc.expect.push_back(e);
  }
  top.done();
  return sc;
}

double metric_of(const json& result, const std::string& metric, const std::string& where)
{
  const json* cur = &result;
  std::stringstream ss(metric);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (!cur->is_object() || !cur->contains(part))
      throw InputError(where + ": metric \"" + metric + "\" is not a result figure");
    cur = &(*cur)[part];
  }
  if (!cur->is_number())
    throw InputError(where + ": metric \"" + metric + "\" is not a number");
  return cur->get<double>();
}

std::vector<std::string> check_expectations(const Scenario& sc, const json& results)
{
  std::vector<std::string> failures;
  auto find = [&](const std::string& label) -> const json& {
    for (const auto& r : results)
      if (r.value("label", "") == label)
        return r;
    throw InputError(sc.source + ": no result for \"" + label + "\"");
  };
  for (const auto& e : sc.expect) {
    std::string where = sc.source + ": " + e.path;
    double v          = metric_of(find(e.of), e.metric, where);
    std::string what  = e.metric + " of \"" + e.of + "\"";
    if (!e.vs.empty()) {
      double d = metric_of(find(e.vs), e.metric, where);
      v        = d != 0 ? v / d : (v == 0 ? 1 : 1e300);
      what += " / " + e.metric + " of \"" + e.vs + "\"";
    }
    if (v < e.min || v > e.max) {
      std::ostringstream m;
      m << where << ": " << what << " = " << v << ", expected";
      if (e.min > -1e300)
        m << " >= " << e.min;
      if (e.max < 1e300)
        m << (e.min > -1e300 ? " and" : "") << " <= " << e.max;
      if (!e.why.empty())
        m << " (" << e.why << ")";
      failures.push_back(m.str());
    }
  }
  return failures;
}

json load_document(const std::string& file_or_name, std::string& source)
{
  for (const auto& [name, text] : builtin_scenarios()) {
    if (name == file_or_name) {
      source = "built-in:" + name;
      return parse_json(text, source);
    }
  }
  source = file_or_name;
  return read_json_file(file_or_name);
}

} // namespace gilsim
