// The scenario loader: JSON documents in, a Scenario out. Each field is read with
// the default and range its row in parameters() declares; a wrong value is an
// InputError naming the file, the JSON path and what was expected.
#include "scenario.hpp"
#include "parameters.hpp"
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

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

/// Reads one JSON object, tracking its path; defaults and ranges come from the
/// field's row in parameters(); rejects unknown keys on done().
class Reader {
public:
  Reader(const json& j, std::string path, const std::string& source)
      : Reader(j, path, source, parameters(), path.empty() ? "" : path_pattern(path) + ".")
  {
  }
  /// Reads a distribution's object: its fields are duration_fields().
  static Reader duration(const json& j, std::string path, const std::string& source)
  {
    return Reader(j, std::move(path), source, duration_fields(), "");
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
  /// The row of parameters() that declares `key` here as a field of `type`.
  const Parameter& declared(const std::string& key, Parameter::Type type) const
  {
    std::string pattern = declared_prefix_ + key;
    for (const auto& p : fields_)
      if (p.path == pattern && p.type == type)
        return p;
    throw std::logic_error("the scenario loader reads " + pattern + ", which parameters.cpp does not declare as read");
  }
  double number(const std::string& key) { return number(key, declared(key, Parameter::Type::number).default_value.get<double>()); }
  double number(const std::string& key, double def)
  {
    const Parameter& p = declared(key, Parameter::Type::number);
    const json* v      = get(key);
    if (!v)
      return def;
    std::ostringstream expect;
    expect << "expected a number " << (p.min_exclusive ? "> " : ">= ") << p.min;
    if (p.has_max())
      expect << " and <= " << p.max;
    if (!v->is_number())
      fail(at(key), expect.str(), *v);
    double x = v->get<double>();
    if (x < p.min || (p.min_exclusive && x == p.min) || x > p.max)
      fail(at(key), expect.str(), *v);
    return x;
  }
  /// A number whose default depends on the sibling named by its row's `varies_with`.
  double number_when(const std::string& key, const std::string& sibling)
  {
    return number(key, declared(key, Parameter::Type::number).default_for(sibling).get<double>());
  }
  int integer(const std::string& key) { return integer(key, declared(key, Parameter::Type::integer).default_value.get<int>()); }
  int integer(const std::string& key, int def)
  {
    const Parameter& p = declared(key, Parameter::Type::integer);
    const json* v      = get(key);
    if (!v)
      return def;
    int min = static_cast<int>(p.min), max = p.has_max() ? static_cast<int>(p.max) : kMaxInteger;
    std::string expect = min == 1   ? "expected a positive integer"
                         : min == 0 ? "expected a non-negative integer"
                                    : "expected an integer >= " + std::to_string(min);
    if (!v->is_number_integer() || v->get<long long>() < min)
      fail(at(key), expect, *v);
    if (v->get<long long>() > max)
      fail(at(key), "expected an integer <= " + std::to_string(max), *v);
    return v->get<int>();
  }
  bool boolean(const std::string& key) { return boolean(key, declared(key, Parameter::Type::boolean).default_value.get<bool>()); }
  bool boolean(const std::string& key, bool def)
  {
    declared(key, Parameter::Type::boolean);
    const json* v = get(key);
    if (!v)
      return def;
    if (!v->is_boolean())
      fail(at(key), "expected true or false", *v);
    return v->get<bool>();
  }
  std::string string(const std::string& key)
  {
    return string(key, declared(key, Parameter::Type::string).default_value.get<std::string>());
  }
  std::string string(const std::string& key, const std::string& def)
  {
    declared(key, Parameter::Type::string);
    const json* v = get(key);
    if (!v)
      return def;
    if (!v->is_string())
      fail(at(key), "expected a string", *v);
    return v->get<std::string>();
  }
  std::string choice(const std::string& key)
  {
    return choice(key, declared(key, Parameter::Type::choice).default_value.get<std::string>());
  }
  std::string choice(const std::string& key, const std::string& def)
  {
    const std::vector<std::string>& options = declared(key, Parameter::Type::choice).choices;
    const json* v                           = get(key);
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
    declared(key, Parameter::Type::duration);
    std::string p = at(key);
    if (v.is_number()) {
      if (v.get<double>() < 0)
        fail(p, "expected a duration in ms >= 0", v);
      return Distribution::constant(v.get<double>() / 1000);
    }
    if (!v.is_object())
      fail(p, "expected a duration in ms (a number, or {\"dist\": ...})", v);
    Reader d = duration(v, p, source_);
    Distribution out = d.distribution(d.choice("dist"));
    d.done();
    return out;
  }
  /// An array of objects; a required one must be non-empty.
  const json& array(const std::string& key)
  {
    static const json empty = json::array();
    bool required           = declared(key, Parameter::Type::array).required;
    const json* v           = get(key);
    if (!v) {
      if (required)
        fail(at(key), "expected a non-empty array (required)", json());
      return empty;
    }
    if (!v->is_array() || (required && v->empty()))
      fail(at(key), "expected a non-empty array", *v);
    return *v;
  }
  void done() const
  {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!used_.count(it.key()))
        throw InputError(source_ + ": " + at(it.key()) + ": unknown key (expected one of: " + known() + ")");
  }

private:
  Reader(const json& j, std::string path, const std::string& source, const std::vector<Parameter>& fields,
         std::string declared_prefix)
      : j_(j), path_(std::move(path)), source_(source), fields_(fields), declared_prefix_(std::move(declared_prefix))
  {
    if (!j_.is_object())
      fail(path_, "expected an object", j_);
  }
  /// The distribution this object describes, of kind `kind` ("" when "dist" is missing).
  Distribution distribution(const std::string& kind)
  {
    if (kind.empty())
      fail(at("dist"), "expected one of \"constant\", \"exponential\", \"uniform\", \"lognormal\", \"empirical\"", json());
    if (kind == "constant" || kind == "deterministic")
      return Distribution::constant(required_number("value") / 1000);
    if (kind == "exponential")
      return {Distribution::Kind::exponential, required_number("mean") / 1000, 0, {}};
    if (kind == "uniform") {
      double lo = required_number("min"), hi = required_number("max");
      if (hi < lo)
        fail(at("max"), "expected a number >= min (" + std::to_string(lo) + ")", *get("max"));
      return {Distribution::Kind::uniform, lo / 1000, hi / 1000, {}};
    }
    if (kind == "lognormal")
      return {Distribution::Kind::lognormal, required_number("mean") / 1000, number("sigma"), {}};
    return empirical();
  }
  Distribution empirical()
  {
    declared("values", Parameter::Type::array);
    const json* vals = get("values");
    if (!vals || !vals->is_array() || vals->empty())
      fail(at("values"), "expected a non-empty array of durations in ms", vals ? *vals : json());
    Distribution out;
    out.kind = Distribution::Kind::empirical;
    for (std::size_t i = 0; i < vals->size(); ++i) {
      const json& x = (*vals)[i];
      if (!x.is_number() || x.get<double>() < 0)
        fail(at("values[" + std::to_string(i) + "]"), "expected a duration in ms >= 0", x);
      out.values.push_back(x.get<double>() / 1000);
    }
    return out;
  }
  double required_number(const std::string& key)
  {
    const Parameter& p = declared(key, Parameter::Type::number);
    if (!j_.contains(key))
      fail(at(key), std::string("expected a number ") + (p.min_exclusive ? "> " : ">= ") + std::to_string(static_cast<int>(p.min)) +
                        " (required)",
           json());
    return number(key, 0);
  }
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
  const std::vector<Parameter>& fields_;
  std::string declared_prefix_;
  std::set<std::string> used_;
};

void read_interpreter(Reader& r, InterpreterConfig& in)
{
  in.gil                    = r.boolean("gil", in.gil);
  in.switch_interval_s      = r.number("switch_interval_ms", in.switch_interval_s * 1000) / 1000;
  in.free_threaded_slowdown = r.number("free_threaded_slowdown", in.free_threaded_slowdown);
  in.process_mb             = r.number("process_mb", in.process_mb);
  in.thread_mb              = r.number("thread_mb", in.thread_mb);
  in.greenlet_mb            = r.number("greenlet_mb", in.greenlet_mb);
  in.cow_dirty_fraction     = r.number("cow_dirty_fraction", in.cow_dirty_fraction);
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
  s.blocking_driver = r.boolean("blocking_driver");
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

/// A pool of the same type as `base` (the scenario's) inherits its sizes; another type has its own defaults.
PoolConfig read_pool(const json& v, const std::string& path, const std::string& source, const PoolConfig& base)
{
  Reader pr(v, path, source);
  PoolConfig pc;
  std::string type = pr.choice("type", to_string(base.kind));
  pc.kind          = type == "shared" ? PoolConfig::Kind::shared
                     : type == "none" ? PoolConfig::Kind::none
                                      : PoolConfig::Kind::per_process;
  bool shared      = pc.kind == PoolConfig::Kind::shared;
  bool same_kind   = pc.kind == base.kind;
  auto own_default = [&](const std::string& key, Parameter::Type t) { return pr.declared(key, t).default_for(type); };
  pc.size          = pr.integer("pool_size", same_kind ? base.size : own_default("pool_size", Parameter::Type::integer).get<int>());
  pc.max_overflow  = pr.integer("max_overflow",
                                same_kind ? base.max_overflow : own_default("max_overflow", Parameter::Type::integer).get<int>());
  pc.timeout_s     = pr.number("pool_timeout_s",
                               same_kind ? base.timeout_s : own_default("pool_timeout_s", Parameter::Type::number).get<double>());
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
  s.worker_class = parse_class(r.choice("worker_class"));
  s.workers      = r.integer("workers");
  s.threads      = r.integer("threads");
  // gunicorn/config.py: a sync worker with threads > 1 is run as gthread.
  if (s.worker_class == WorkerClass::sync && s.threads > 1)
    s.worker_class = WorkerClass::gthread;
  std::string worker_class = to_string(s.worker_class);
  s.worker_connections     = r.integer("worker_connections");
  s.backlog                = r.integer("backlog");
  s.timeout_s              = r.number("timeout_s");
  s.keepalive_s            = r.number_when("keepalive_s", worker_class);
  s.max_requests           = r.integer("max_requests");
  s.max_requests_jitter    = r.integer("max_requests_jitter");
  s.preload_app            = r.boolean("preload_app");
  s.boot_s                 = r.number("boot_s");
  s.overhead_s             = r.number_when("overhead_ms", worker_class) / 1000;
  s.cooperative_io         = r.boolean("cooperative_io");
  s.pool                   = pool;
  if (const json* p = r.get("pool"))
    s.pool = read_pool(*p, r.at("pool"), source, pool);
  s.monitor_thread      = r.boolean("monitor_thread");
  s.max_blocking_time_s = r.number("max_blocking_time_ms") / 1000;
  s.interpreter         = base;
  if (const json* in = r.get("interpreter")) {
    Reader ir(*in, r.at("interpreter"), source);
    read_interpreter(ir, s.interpreter);
  }
  std::string def_label = worker_class + " " + std::to_string(s.workers) + "w" +
                          (s.worker_class == WorkerClass::gthread ? "x" + std::to_string(s.threads) + "t" : "");
  s.label = r.string("label", def_label);
  r.done();
  return s;
}

} // namespace

const char* to_string(PoolConfig::Kind k)
{
  switch (k) {
    case PoolConfig::Kind::per_process: return "per_process";
    case PoolConfig::Kind::shared: return "shared";
    case PoolConfig::Kind::none: return "none";
  }
  return "per_process";
}

const char* to_string(LoadConfig::Type t) { return t == LoadConfig::Type::open ? "open" : "closed"; }

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

namespace {

/// The value at `path` (a.b[2].c) in `doc`, created if the last key is new; errors start with `what`.
/// With `create_objects`, a missing object on the way is created; otherwise it is an error.
json& field_at(json& doc, const std::string& path, const std::string& what, const std::string& source, bool create_objects)
{
  json* cur = &doc;
  std::size_t i = 0;
  std::string walked;
  while (i < path.size()) {
    if (path[i] == '[') {
      auto close = path.find(']', i);
      if (close == std::string::npos)
        throw InputError(what + ": unclosed '[' in the path");
      std::string idx = path.substr(i + 1, close - i - 1);
      if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos)
        throw InputError(what + ": expected an index in [], got \"" + idx + "\"");
      std::size_t k = std::stoul(idx);
      if (!cur->is_array() || k >= cur->size())
        throw InputError(what + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) +
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
        throw InputError(what + ": empty key in the path");
      if (cur->is_null() && create_objects)
        *cur = json::object();
      if (!cur->is_object())
        throw InputError(what + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) + " is not an object");
      walked += (walked.empty() ? "" : ".") + key;
      cur = &(*cur)[key];
      i   = end == std::string::npos ? path.size() : end;
      if (i < path.size() && path[i] == '.')
        ++i;
    }
  }
  return *cur;
}

} // namespace

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
  field_at(doc, path, "--set " + assignment, source, false) = v;
}

std::string check_field(json doc, const std::string& path, const json& value, const std::string& source)
{
  try {
    field_at(doc, path, path, source, true) = value;
    load_scenario(doc, source);
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

Scenario load_scenario(const json& doc, const std::string& source)
{
  Scenario sc;
  sc.source = source;
  Reader top(doc, "", source);
  sc.name        = top.string("name", source);
  sc.description = top.string("description");
  RunConfig& c   = sc.base;

  if (const json* m = top.get("machine")) {
    Reader r(*m, "machine", source);
    c.machine.cores            = r.integer("cores");
    c.machine.context_switch_s = r.number("context_switch_us") / 1e6;
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
    c.app.memory_mb = r.number("memory_mb");
    const json& eps = r.array("endpoints");
    for (std::size_t i = 0; i < eps.size(); ++i) {
      std::string p = "app.endpoints[" + std::to_string(i) + "]";
      Reader e(eps[i], p, source);
      Endpoint ep;
      ep.name   = e.string("name", "endpoint " + std::to_string(i));
      ep.weight = e.number("weight");
      const json& steps = e.array("steps");
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
    db.cores           = r.integer("cores");
    db.max_connections = r.integer("max_connections");
    db.connect_s       = r.number("connect_ms") / 1000;
    db.rtt_s           = r.number("rtt_ms") / 1000;
    if (const json* p = r.get("pool"))
      db.pool = read_pool(*p, "database.pool", source, db.pool);
    r.done();
  }
  if (const json* l = top.get("load")) {
    Reader r(*l, "load", source);
    std::string type = r.choice("type");
    auto& load       = c.load;
    load.type        = type == "open" ? LoadConfig::Type::open : LoadConfig::Type::closed;
    load.connections = r.integer("connections");
    if (const json* t = r.get("think_ms"))
      load.think_s = r.duration_ms("think_ms", *t);
    load.keepalive = r.boolean("keepalive");
    load.rate_rps  = r.number("rate_rps");
    load.retry_s   = r.number("retry_s");
    if (load.type == LoadConfig::Type::open && l->contains("connections"))
      r.fail("load.connections", "expected no \"connections\" with an open load (it sets \"rate_rps\")", (*l)["connections"]);
    if (load.type == LoadConfig::Type::closed && l->contains("rate_rps"))
      r.fail("load.rate_rps", "expected no \"rate_rps\" with a closed load (it sets \"connections\")", (*l)["rate_rps"]);
    r.done();
  }
  if (const json* p = top.get("proxy")) {
    Reader r(*p, "proxy", source);
    c.proxy.enabled        = true;
    c.proxy.read_timeout_s     = r.number("read_timeout_s");
    c.proxy.upstream_keepalive = r.boolean("upstream_keepalive");
    r.done();
  }
  c.duration_s        = top.number("duration_s");
  double warmup_cap_s = top.declared("warmup_s", Parameter::Type::number).default_value.get<double>();
  c.warmup_s          = top.number("warmup_s", std::min(warmup_cap_s, c.duration_s / 10));
  if (c.warmup_s >= c.duration_s)
    top.fail("warmup_s", "expected a number < duration_s (" + std::to_string(c.duration_s) + ")", doc["warmup_s"]);
  {
    const json* s = top.get("seed");
    if (s && (!s->is_number_integer() || s->get<long long>() < 0))
      top.fail("seed", "expected a non-negative integer", *s);
    c.seed = (s ? *s : top.declared("seed", Parameter::Type::integer).default_value).get<uint64_t>();
  }
  sc.replications = top.integer("replications");
  const json& servers = top.array("servers");
  for (std::size_t i = 0; i < servers.size(); ++i)
    sc.servers.push_back(read_server(servers[i], "servers[" + std::to_string(i) + "]", source, interp, c.database.pool));
  top.string("lesson", ""); // lesson text is for the studio; the simulator ignores it
  const json& expect = top.array("expect");
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
    e.min = r.number("min", e.min);
    e.max = r.number("max", e.max);
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
