// The scenario loader: JSON documents in, a Scenario out. Each field is read with
// the default and range its row in parameters() declares; a wrong value is an
// InputError naming the file, the JSON path and what was expected.
#include "scenario.hpp"
#include "parameters.hpp"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace gilsim {

using json = nlohmann::json;

namespace {

/// 1e+300, 0.001: a bound as people read it.
std::string format_number(double x)
{
  std::ostringstream s;
  s << x;
  return s.str();
}

/// `before "option" after` when `got` looks like a misspelling of one of `options`, else "".
std::string maybe_meant(const std::string& got, const std::vector<std::string>& options, const std::string& before,
                        const std::string& after)
{
  std::string m = closest_name(got, options);
  return m.empty() ? "" : before + "\"" + m + "\"" + after;
}

std::string describe(const json& v)
{
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
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
  /// `hint` follows what was got: "; did you mean ...?"
  [[noreturn]] void fail(const std::string& path, const std::string& expected, const json& got, const std::string& hint = "") const
  {
    throw InputError(source_ + ": " + (path.empty() ? "(top level)" : path) + ": " + expected + ", got " + describe(got) + hint);
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
    if (x < p.min || (p.min_exclusive && x == p.min) || (p.has_max() && x > p.max))
      fail(at(key), expect.str(), *v);
    if (x > p.max) // the bound every number has, stated when it is the one broken
      fail(at(key), "expected a number <= " + format_number(p.max), *v);
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
    bool big = v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max);
    if (!v->is_number_integer() || (!big && v->get<long long>() < min))
      fail(at(key), expect, *v);
    if (big || v->get<long long>() > max)
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
      fail(at(key), "expected one of " + list, *v,
           maybe_meant(v->is_string() ? v->get<std::string>() : "", options, "; did you mean ", "?"));
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
        throw InputError(source_ + ": " + at(it.key()) + ": unknown key" +
                         maybe_meant(it.key(), std::vector<std::string>(used_.begin(), used_.end()), ", did you mean ", "?") +
                         " (expected one of: " + known() + ")");
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

namespace {

/// Levenshtein's distance between two short strings.
std::size_t edit_distance(const std::string& a, const std::string& b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0]               = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j]         = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal       = up;
    }
  }
  return row[b.size()];
}

} // namespace

std::string closest_name(const std::string& got, const std::vector<std::string>& options)
{
  constexpr std::size_t kLongest = 80; // longer input is no misspelling of a name
  if (got.empty() || got.size() > kLongest)
    return "";
  std::string best, prefixed;
  std::size_t best_d = std::max<std::size_t>(2, got.size() / 3) + 1;
  int prefixes       = 0;
  for (const auto& o : options) {
    if (o == got)
      continue;
    if (o.rfind(got, 0) == 0 && ++prefixes)
      prefixed = o;
    std::size_t d = edit_distance(got, o.substr(0, kLongest));
    if (d < best_d) {
      best_d = d;
      best   = o;
    }
  }
  return !best.empty() ? best : prefixes == 1 ? prefixed : "";
}

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

namespace {

/// Deeper JSON is refused before it is parsed: copying and printing a document recurse.
/// A scenario needs 7 levels (app.endpoints[].steps[].io_ms.values[]).
constexpr std::size_t kMaxDepth = 64;
/// A scenario file is a few kilobytes; this bounds what reading a wrong file costs.
constexpr std::size_t kMaxFileBytes = 16 << 20;

/// "source:line:column" of byte `pos` of `text`.
std::string position(const std::string& text, std::size_t pos, const std::string& source)
{
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    bool newline = text[i] == '\n';
    line += newline;
    col = newline ? 1 : col + 1;
  }
  return source + ":" + std::to_string(line) + ":" + std::to_string(col);
}

/// Walks JSON text, valid or not, tracking the path of each value: finds what
/// the parsed document no longer shows (a key given twice), what would overflow the
/// stack (nesting), and where a token is (a number beyond a double's range).
class TextWalker {
public:
  using Visit = std::function<void(const std::string& path, std::size_t pos, const std::string& token)>;
  TextWalker(const std::string& text, const std::string& source) : t_(text), source_(source) {}
  /// Throws InputError at a key given twice or nesting deeper than kMaxDepth; calls `scalar` for numbers and literals.
  void walk(const Visit& scalar = {})
  {
    for (std::size_t i = 0; i < t_.size();) {
      char c = t_[i];
      if (c == '"')
        i = string_at(i);
      else if (c == '{' || c == '[')
        open(c == '{', i++);
      else if (c == '}' || c == ']') {
        if (!frames_.empty())
          frames_.pop_back();
        ++i;
      } else if (c == ',') {
        if (!frames_.empty())
          ++frames_.back().items;
        ++i;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ':')
        ++i;
      else
        i = scalar_at(i, scalar);
    }
  }

private:
  struct Frame {
    bool object;
    std::string path, key;
    std::size_t items = 0;
    std::set<std::string> keys;
  };
  std::string value_path() const
  {
    if (frames_.empty())
      return "";
    const Frame& f = frames_.back();
    if (!f.object)
      return f.path + "[" + std::to_string(f.items) + "]";
    return f.path.empty() ? f.key : f.path + "." + f.key;
  }
  void open(bool object, std::size_t pos)
  {
    if (frames_.size() >= kMaxDepth) {
      std::string path = value_path();
      path             = path.size() > 60 ? path.substr(0, 57) + "..." : path;
      throw InputError(position(t_, pos, source_) + ": " + path + ": expected JSON nested at most " + std::to_string(kMaxDepth) +
                       " levels deep");
    }
    frames_.push_back({object, value_path(), "", 0, {}});
  }
  /// A string at `open`: a key when it is followed by ':'. Returns the index after it.
  std::size_t string_at(std::size_t open)
  {
    std::size_t i = open + 1;
    while (i < t_.size() && t_[i] != '"')
      i += t_[i] == '\\' ? 2 : 1;
    std::size_t end = std::min(i + 1, t_.size()), next = t_.find_first_not_of(" \t\r\n", end);
    if (!frames_.empty() && frames_.back().object && next != std::string::npos && t_[next] == ':')
      key(t_.substr(open + 1, i - open - 1), open);
    return end;
  }
  void key(const std::string& k, std::size_t pos)
  {
    Frame& f = frames_.back();
    f.key    = k;
    if (!f.keys.insert(k).second)
      throw InputError(position(t_, pos, source_) + ": " + value_path() + ": expected each key once, got \"" + k +
                       "\" a second time");
  }
  std::size_t scalar_at(std::size_t from, const Visit& scalar)
  {
    std::size_t end = t_.find_first_of(" \t\r\n,:[]{}\"", from);
    end             = end == std::string::npos ? t_.size() : std::max(end, from + 1);
    if (scalar)
      scalar(value_path(), from, t_.substr(from, end - from));
    return end;
  }
  const std::string& t_;
  const std::string& source_;
  std::vector<Frame> frames_;
};

/// nlohmann's message for a syntax error, at its line and column.
[[noreturn]] void syntax_error(const std::string& text, const json::parse_error& e, const std::string& source)
{
  std::string msg = e.what();
  auto pos        = msg.find("syntax error");
  throw InputError(position(text, e.byte ? e.byte - 1 : 0, source) + ": invalid JSON (" +
                   (pos == std::string::npos ? msg : msg.substr(pos)) + ")");
}

/// A number a double cannot hold ("1e400"), named by its position and path.
[[noreturn]] void number_overflow(const std::string& text, const std::string& source)
{
  auto beyond = [](const std::string& token) {
    char* end = nullptr;
    errno     = 0;
    double x  = std::strtod(token.c_str(), &end);
    return errno == ERANGE && std::isinf(x);
  };
  TextWalker(text, source).walk([&](const std::string& path, std::size_t pos, const std::string& token) {
    if (beyond(token))
      throw InputError(position(text, pos, source) + ": " + (path.empty() ? "(top level)" : path) +
                       ": expected a number a double can hold (magnitude < 1.8e308), got " + token.substr(0, 40));
  });
  throw InputError(source + ": expected numbers a double can hold (magnitude < 1.8e308)");
}

} // namespace

json parse_json(const std::string& text, const std::string& source)
{
  TextWalker(text, source).walk();
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    syntax_error(text, e, source);
  } catch (const json::out_of_range&) {
    number_overflow(text, source);
  }
}

std::string read_text_file(const std::string& path)
{
  // O_NONBLOCK: opening a FIFO with no writer returns instead of waiting for one
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw InputError(path + ": cannot open file (" + std::strerror(errno) + ")");
  struct stat st {};
  std::string what = fstat(fd, &st) != 0   ? "cannot be examined"
                     : S_ISDIR(st.st_mode) ? "is a directory"
                     : !S_ISREG(st.st_mode) ? "is not a regular file (a FIFO, a socket or a device)"
                     : static_cast<std::size_t>(st.st_size) > kMaxFileBytes ? "is " + std::to_string(st.st_size >> 20) + " MB"
                                                                            : "";
  std::string text;
  for (char buf[65536]; what.empty();) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileBytes)
      what = "holds more than " + std::to_string(kMaxFileBytes >> 20) + " MB";
  }
  close(fd);
  if (!what.empty())
    throw InputError(path + ": " + what + ", expected a scenario file (JSON, at most " + std::to_string(kMaxFileBytes >> 20) +
                     " MB)");
  return text;
}

json read_json_file(const std::string& path) { return parse_json(read_text_file(path), path); }

namespace {

/// The longest index a path may hold: no array of a scenario comes near it.
constexpr std::size_t kMaxIndexDigits = 9;

/// The keys a scenario declares in the object at `pattern` ("servers[]"), and a
/// duration's fields when the object is a duration written as a distribution.
std::vector<std::string> keys_declared_in(const std::string& pattern)
{
  std::vector<std::string> keys;
  std::string prefix = pattern.empty() ? "" : pattern + ".";
  for (const auto& p : parameters())
    if (p.path.rfind(prefix, 0) == 0 && p.path.find_first_of(".[", prefix.size()) == std::string::npos)
      keys.push_back(p.path.substr(prefix.size()));
  const Parameter* self = find_parameter(pattern);
  if (self && self->type == Parameter::Type::duration)
    for (const auto& d : duration_fields())
      keys.push_back(d.path);
  return keys;
}

/// Refuses a key --set would add that the scenario format does not have.
void check_new_key(const std::string& walked, const std::string& key, const std::string& what, const std::string& source)
{
  std::vector<std::string> known = keys_declared_in(path_pattern(walked));
  if (known.empty() || std::find(known.begin(), known.end(), key) != known.end())
    return;
  std::string at = walked.empty() ? key : walked + "." + key, list;
  for (const auto& k : known)
    list += (list.empty() ? "" : ", ") + k;
  throw InputError(what + ": " + source + ": " + at + ": unknown key" +
                   maybe_meant(key, known, ", did you mean ", "?") + " (expected one of: " + list + ")");
}

/// Steps into element `idx` (digits) of the array at `cur`; one past the last is appended.
json* element(json* cur, const std::string& idx, const std::string& walked, const std::string& what, const std::string& source)
{
  if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos)
    throw InputError(what + ": expected an index in [], got \"" + idx + "\"");
  std::size_t k = idx.size() > kMaxIndexDigits ? std::string::npos : std::stoul(idx);
  if (cur->is_array() && k == cur->size())
    cur->push_back(nullptr);
  if (!cur->is_array() || k >= cur->size())
    throw InputError(what + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) + " has no element [" + idx +
                     "]" + (cur->is_array() ? " (it has " + std::to_string(cur->size()) + ")" : " (it is not an array)"));
  return &(*cur)[k];
}

/// Steps into member `key` of the object at `cur`; a missing object is created if `create`.
json* member(json* cur, const std::string& key, const std::string& walked, const std::string& what, const std::string& source,
             bool create)
{
  if (key.empty())
    throw InputError(what + ": empty key in the path");
  if (cur->is_null() && create)
    *cur = json::object();
  if (!cur->is_object())
    throw InputError(what + ": " + source + ": " + (walked.empty() ? "(top level)" : walked) + ": expected an object to hold \"" +
                     key + "\", got " + describe(*cur));
  if (!cur->contains(key))
    check_new_key(walked, key, what, source);
  return &(*cur)[key];
}

/// The value at `path` (a.b[2].c) in `doc`, created if the last key is new; errors start with `what`.
/// Missing objects on the way are created (a key the format does not declare is an error).
json& field_at(json& doc, const std::string& path, const std::string& what, const std::string& source)
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
      cur             = element(cur, idx, walked, what, source);
      walked += "[" + idx + "]";
      i = close + 1;
    } else {
      auto end        = path.find_first_of(".[", i);
      std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
      cur             = member(cur, key, walked, what, source, true);
      walked += (walked.empty() ? "" : ".") + key;
      i = end == std::string::npos ? path.size() : end;
    }
    if (i < path.size() && path[i] == '.')
      ++i;
  }
  return *cur;
}

/// What is wrong with `text` as UTF-8 ("invalid UTF-8 byte at index 5: 0xFF"), "" if nothing.
std::string utf8_error(const std::string& text)
{
  try {
    (void)json(text).dump();
    return "";
  } catch (const json::type_error& e) {
    std::string m = e.what();
    auto p        = m.find("invalid UTF-8");
    return p == std::string::npos ? m : m.substr(p);
  }
}

/// An assignment as an error message shows it: control characters escaped, bytes that
/// are not UTF-8 replaced, cut at 80 characters.
std::string shown(const std::string& assignment)
{
  std::string cut = assignment.substr(0, 80);
  bool plain      = utf8_error(cut).empty() &&
               std::none_of(cut.begin(), cut.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (!plain) {
    cut = json(cut).dump(-1, ' ', false, json::error_handler_t::replace);
    cut = cut.substr(1, cut.size() - 2);
  }
  return assignment.size() > 80 ? cut + "..." : cut;
}

/// VALUE of `--set PATH=VALUE`: JSON if it parses as JSON, otherwise a string.
json set_value(const std::string& value, const std::string& what)
{
  TextWalker(value, what).walk();
  try {
    return json::parse(value);
  } catch (const json::parse_error&) {
    return value;
  } catch (const json::out_of_range&) {
    number_overflow(value, what);
  }
}

} // namespace

void apply_set(json& doc, const std::string& assignment, const std::string& source)
{
  std::string what = "--set " + shown(assignment);
  auto eq          = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(what + ": expected PATH=VALUE, e.g. servers[0].workers=8");
  std::string bad = utf8_error(assignment);
  if (!bad.empty())
    throw InputError(what + ": expected UTF-8 text, got " + bad);
  std::string path = assignment.substr(0, eq);
  json v           = set_value(assignment.substr(eq + 1), what);
  field_at(doc, path, what, source) = std::move(v);
}

std::string check_field(json doc, const std::string& path, const json& value, const std::string& source)
{
  try {
    field_at(doc, path, path, source) = value;
    load_scenario(doc, source);
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

namespace {

/// Each server's label names one configuration: results and expectations are found by it.
void check_labels(const Scenario& sc, const json& servers)
{
  for (std::size_t i = 0; i < sc.servers.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (sc.servers[i].label == sc.servers[j].label) {
        std::string at = "servers[" + std::to_string(i) + "].label";
        throw InputError(sc.source + ": " + at + ": expected a label no other server has, got \"" + sc.servers[i].label +
                         "\" (servers[" + std::to_string(j) + "]'s" +
                         (servers[i].contains("label") ? "" : "; give each server a \"label\"") + ")");
      }
}

/// The longest a draw of `d` can be: 0 means every draw is 0.
double longest(const Distribution& d)
{
  switch (d.kind) {
    case Distribution::Kind::constant: return d.a;
    case Distribution::Kind::uniform: return d.b;
    case Distribution::Kind::empirical: return d.values.empty() ? 0 : *std::max_element(d.values.begin(), d.values.end());
    default: return d.a; // exponential, lognormal: a mean > 0
  }
}

/// Whether any request of `server` takes time: an overhead, a step, a database round trip.
bool requests_take_time(const RunConfig& c, const ServerConfig& server)
{
  if (server.overhead_s > 0)
    return true;
  for (const auto& e : c.app.endpoints)
    for (const auto& st : e.steps)
      if (longest(st.duration_s) > 0 || (st.kind == Step::Kind::db && c.database.rtt_s > 0))
        return true;
  return false;
}

/// Refuses a closed load whose clients would send requests forever at one instant.
void check_progress(const Scenario& sc)
{
  const RunConfig& c = sc.base;
  if (c.load.type != LoadConfig::Type::closed || longest(c.load.think_s) > 0)
    return;
  for (std::size_t i = 0; i < sc.servers.size(); ++i)
    if (!requests_take_time(c, sc.servers[i]))
      throw InputError(sc.source + ": app.endpoints: expected a request to take some time when load.think_ms is 0 (a "
                       "step, servers[" + std::to_string(i) + "].overhead_ms or load.think_ms > 0), got requests of 0 ms: "
                       "the clients would send requests forever at one instant");
}

} // namespace

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
    if (s && !s->is_number_unsigned() && !(s->is_number_integer() && s->get<long long>() >= 0))
      top.fail("seed", "expected an integer from 0 to 18446744073709551615", *s);
    c.seed = (s ? *s : top.declared("seed", Parameter::Type::integer).default_value).get<uint64_t>();
  }
  sc.replications = top.integer("replications");
  const json& servers = top.array("servers");
  for (std::size_t i = 0; i < servers.size(); ++i)
    sc.servers.push_back(read_server(servers[i], "servers[" + std::to_string(i) + "]", source, interp, c.database.pool));
  check_labels(sc, servers);
  check_progress(sc);
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

namespace {

/// Every numeric figure of a result as a metric path: "throughput_rps", "latency_ms.p99".
void metric_paths(const json& j, const std::string& prefix, std::vector<std::string>& out)
{
  for (auto it = j.begin(); j.is_object() && it != j.end(); ++it) {
    std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_number())
      out.push_back(path);
    else if (it->is_object())
      metric_paths(*it, path, out);
  }
}

} // namespace

void check_metrics(const Scenario& sc, const json& sample)
{
  std::vector<std::string> known;
  metric_paths(sample, "", known);
  for (const auto& e : sc.expect) {
    if (std::find(known.begin(), known.end(), e.metric) != known.end())
      continue;
    std::string list;
    for (const auto& k : known)
      if (k.find('.') == std::string::npos && list.size() < 100)
        list += (list.empty() ? "" : ", ") + k;
    throw InputError(sc.source + ": " + e.path + ".metric: expected a figure of a result (" + list +
                     ", ...: gilsim run --json shows them all), got \"" + e.metric + "\"" +
                     maybe_meant(e.metric, known, "; did you mean ", "?"));
  }
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
  if (file_or_name.empty())
    throw InputError("\"\": expected a scenario file or the name of a built-in scenario (gilsim list)");
  try {
    return read_json_file(file_or_name);
  } catch (const InputError& e) {
    std::vector<std::string> names;
    for (const auto& b : builtin_scenarios())
      names.push_back(b.first);
    std::string meant = access(file_or_name.c_str(), F_OK) == 0 ? "" : closest_name(file_or_name, names);
    if (meant.empty())
      throw;
    throw InputError(std::string(e.what()) + "; did you mean the built-in scenario \"" + meant + "\"? (gilsim list)");
  }
}

} // namespace gilsim
