// The table of every scenario field. Defaults are read from the config structs
// (models/config.hpp, config.cpp), converted to the field's unit, so each is
// written once; sources are Gunicorn's config.py, CPython, SQLAlchemy, PgBouncer, nginx, PostgreSQL.
#include "parameters.hpp"
#include "scenario.hpp"
#include <utility>

namespace gilsim {

using json = nlohmann::json;
using Type = Parameter::Type;

namespace {

constexpr WorkerClass kWorkerClasses[] = {WorkerClass::sync,     WorkerClass::gthread, WorkerClass::gevent,
                                          WorkerClass::eventlet, WorkerClass::tornado, WorkerClass::uvicorn};
constexpr double kMsPerS = 1000, kUsPerS = 1e6;
/// The shortest period the simulated clock can step by (switch interval, monitor period,
/// retry, time between arrivals): 1 µs. Shorter, it barely moves; late in a long run, not at all.
constexpr double kShortestPeriodMs = 0.001;

/// One row of the table, written column by column.
class Declare {
public:
  Declare(std::string path, Type type, json default_value = nullptr)
  {
    p_.path          = std::move(path);
    p_.type          = type;
    p_.default_value = std::move(default_value);
  }
  Declare& unit(std::string u) { return set(p_.unit, std::move(u)); }
  Declare& at_least(double min) { return set(p_.min, min); }
  Declare& above(double min)
  {
    p_.min_exclusive = true;
    return set(p_.min, min);
  }
  Declare& at_most(double max) { return set(p_.max, max); }
  Declare& choices(std::vector<std::string> c) { return set(p_.choices, std::move(c)); }
  Declare& required() { return set(p_.required, true); }
  Declare& one_of() { return set(p_.one_of, true); }
  Declare& essential() { return set(p_.essential, true); }
  Declare& rule(std::string r) { return set(p_.default_rule, std::move(r)); }
  Declare& varies_with(std::string sibling, std::vector<DefaultWhen> defaults)
  {
    p_.defaults_when = std::move(defaults);
    return set(p_.varies_with, std::move(sibling));
  }
  Declare& help(std::string h) { return set(p_.help, std::move(h)); }
  Declare& source(std::string s) { return set(p_.source, std::move(s)); }
  operator Parameter() const { return p_; }

private:
  template <class T, class V>
  Declare& set(T& field, V&& value)
  {
    field = std::forward<V>(value);
    return *this;
  }
  Parameter p_;
};

Declare integer(std::string path, json def = nullptr) { return Declare(std::move(path), Type::integer, std::move(def)); }
Declare number(std::string path, json def = nullptr) { return Declare(std::move(path), Type::number, std::move(def)); }
Declare boolean(std::string path, bool def) { return Declare(std::move(path), Type::boolean, def); }
Declare string(std::string path, json def = nullptr) { return Declare(std::move(path), Type::string, std::move(def)); }
Declare choice(std::string path, std::string def, std::vector<std::string> options)
{
  return Declare(std::move(path), Type::choice, std::move(def)).choices(std::move(options));
}
Declare duration(std::string path, json def = nullptr)
{
  return Declare(std::move(path), Type::duration, std::move(def)).unit("ms");
}
Declare object(std::string path) { return Declare(std::move(path), Type::object); }
Declare array(std::string path) { return Declare(std::move(path), Type::array); }

void append(std::vector<Parameter>& table, std::vector<Parameter> rows)
{
  table.insert(table.end(), rows.begin(), rows.end());
}

std::vector<std::string> worker_class_names()
{
  std::vector<std::string> names;
  for (WorkerClass c : kWorkerClasses)
    names.emplace_back(to_string(c));
  return names;
}

std::vector<DefaultWhen> per_worker_class(double (*default_s)(WorkerClass), double unit_per_s)
{
  std::vector<DefaultWhen> out;
  for (WorkerClass c : kWorkerClasses)
    out.push_back({to_string(c), default_s(c) * unit_per_s});
  return out;
}

std::vector<Parameter> title_fields()
{
  return {
      string("name").rule("the file's name").help("Title shown above the results."),
      string("description", "").help("What the scenario sets up and why."),
      string("lesson").help("Text (and an ASCII picture) for the studio's lesson view; ignored by the simulator."),
  };
}

std::vector<Parameter> run_fields()
{
  const RunConfig run;
  return {
      number("duration_s", run.duration_s).unit("s").above(0).at_most(1e7).help("Simulated seconds."),
      number("warmup_s", run.warmup_s).unit("s").at_least(0).rule("min(5, duration_s / 10)")
          .help("Removed from every figure; must be < duration_s."),
      integer("seed", run.seed).at_least(0).help("Random seed; the same seed gives identical results."),
      integer("replications", Scenario{}.replications).unit("count").at_least(1).at_most(1000)
          .help("Independent runs (seeds seed, seed+1, ...) for 95 % confidence intervals."),
  };
}

std::vector<Parameter> machine_fields()
{
  const MachineConfig machine;
  return {
      object("machine").help("The server machine."),
      integer("machine.cores", machine.cores).unit("count").at_least(1).at_most(1024).essential()
          .help("Cores of equal speed; runnable threads share them.").source("gilsim's choice: a small VM"),
      number("machine.context_switch_us", machine.context_switch_s * kUsPerS).unit("µs").at_least(0)
          .help("Cost of one context switch (direct + cache), paid per scheduler slice when more threads are "
                "runnable than cores.")
          .source("gilsim's estimate of a Linux switch with its cache refill"),
  };
}

std::vector<Parameter> interpreter_fields(const std::string& at, const std::string& help)
{
  const InterpreterConfig in;
  bool per_server  = at != "interpreter";
  auto inherited   = [&](Declare d, const std::string& key) -> Parameter {
    return per_server ? d.rule("the scenario's interpreter." + key) : d;
  };
  return {
      object(at).help(help),
      inherited(boolean(at + ".gil", in.gil).essential()
                    .help("false: free-threaded CPython (3.13t+), no lock, threads on separate cores.")
                    .source("CPython's default build"),
                "gil"),
      inherited(number(at + ".switch_interval_ms", in.switch_interval_s * kMsPerS).unit("ms").at_least(kShortestPeriodMs).essential()
                    .help("A thread waiting for the lock sets a drop request after this long.")
                    .source("CPython sys.getswitchinterval(), Python/ceval_gil.c"),
                "switch_interval_ms"),
      inherited(number(at + ".free_threaded_slowdown", in.free_threaded_slowdown).unit("×").at_least(1)
                    .help("Single-thread cost of free-threaded builds (with gil false).")
                    .source("pyperformance on CPython 3.13t, PEP 703"),
                "free_threaded_slowdown"),
      inherited(number(at + ".process_mb", in.process_mb).unit("MB").at_least(0)
                    .help("RSS of a bare interpreter and Gunicorn worker.").source("gilsim's estimate"),
                "process_mb"),
      inherited(number(at + ".thread_mb", in.thread_mb).unit("MB").at_least(0)
                    .help("RSS per OS thread (touched stack and thread state).").source("gilsim's estimate"),
                "thread_mb"),
      inherited(number(at + ".greenlet_mb", in.greenlet_mb).unit("MB").at_least(0)
                    .help("RSS per greenlet / asyncio task.").source("gilsim's estimate"),
                "greenlet_mb"),
      inherited(number(at + ".cow_dirty_fraction", in.cow_dirty_fraction).unit("fraction").at_least(0).at_most(1)
                    .help("With preload_app: share of the app's pages a worker's reference counting dirties.")
                    .source("gilsim's estimate"),
                "cow_dirty_fraction"),
  };
}

std::vector<Parameter> app_fields()
{
  const AppConfig app;
  const std::string step = "app.endpoints[].steps[]";
  return {
      object("app").required().help("The application every server runs: its endpoints and what each request does."),
      number("app.memory_mb", app.memory_mb).unit("MB").at_least(0)
          .help("What importing the application adds to each process (shared copy-on-write with preload_app).")
          .source("gilsim's estimate"),
      array("app.endpoints").required().help("Endpoints; each request picks one by weight."),
      string("app.endpoints[].name").rule("\"endpoint N\"").help("Shown in traces."),
      number("app.endpoints[].weight", Endpoint{}.weight).above(0).help("Relative share of requests."),
      array("app.endpoints[].steps").essential()
          .help("Run in order after the server's own per-request overhead; each step is exactly one of cpu_ms, "
                "io_ms, blocking_io_ms, db_ms."),
      duration(step + ".cpu_ms").one_of().essential().help("Python code: holds the GIL (and its hub)."),
      duration(step + ".io_ms").one_of().essential()
          .help("I/O a loop can switch away from (monkey-patched / awaited): releases the GIL."),
      duration(step + ".blocking_io_ms").one_of().essential()
          .help("A call no loop can switch away from: releases the GIL, keeps the hub."),
      duration(step + ".db_ms").one_of().essential()
          .help("A query: a pool connection, a round trip, then service time on the database's cores."),
      boolean(step + ".blocking_driver", Step{}.blocking_driver)
          .help("db_ms only: a driver the event loop cannot switch away from (psycopg2 without psycogreen)."),
  };
}

std::vector<Parameter> pool_fields(const std::string& at, const std::string& help)
{
  const PoolConfig pool;
  bool per_server  = at != "database.pool";
  auto inherited   = [&](Declare d, const std::string& rule) -> Parameter { return per_server ? d.rule(rule) : d; };
  auto same_type   = "database.pool's, when of the same type";
  return {
      object(at).help(help),
      inherited(choice(at + ".type", to_string(pool.kind), {"per_process", "shared", "none"})
                    .help("per_process: SQLAlchemy's QueuePool in each worker; shared: one PgBouncer transaction "
                          "pool; none: a connection per query."),
                "database.pool.type"),
      inherited(integer(at + ".pool_size", pool.size).unit("count").at_least(1)
                    .varies_with("type", {{"shared", 20}})
                    .help("Connections the pool keeps.").source("SQLAlchemy pool_size; PgBouncer default_pool_size"),
                same_type),
      inherited(integer(at + ".max_overflow", pool.max_overflow).unit("count").at_least(0)
                    .varies_with("type", {{"shared", 0}})
                    .help("Connections opened beyond pool_size, closed when returned; 0 when shared.")
                    .source("SQLAlchemy max_overflow"),
                same_type),
      inherited(number(at + ".pool_timeout_s", pool.timeout_s).unit("s").above(0)
                    .varies_with("type", {{"shared", 120}})
                    .help("A request waiting longer for a connection fails (errors.pool_timeout).")
                    .source("SQLAlchemy pool_timeout; PgBouncer query_wait_timeout"),
                same_type),
  };
}

std::vector<Parameter> database_fields()
{
  const DatabaseConfig db;
  std::vector<Parameter> rows = {
      object("database").help("The PostgreSQL server db_ms steps query."),
      integer("database.cores", db.cores).unit("count").at_least(1).at_most(1024)
          .help("The database server's own cores (query service time runs there)."),
      integer("database.max_connections", db.max_connections).unit("count").at_least(1)
          .help("A connection beyond it fails the request (errors.db).").source("PostgreSQL max_connections"),
      number("database.connect_ms", db.connect_s * kMsPerS).unit("ms").at_least(0)
          .help("Setting up a new connection (TCP, auth, backend fork)."),
      number("database.rtt_ms", db.rtt_s * kMsPerS).unit("ms").at_least(0).help("Network round trip per query.")
          .source("gilsim's estimate: one data-centre hop"),
  };
  append(rows, pool_fields("database.pool", "How the application reaches the database; every server's default."));
  return rows;
}

std::vector<Parameter> load_fields()
{
  const LoadConfig load;
  return {
      object("load").help("The clients."),
      choice("load.type", to_string(load.type), {"closed", "open"}).essential()
          .help("closed: a fixed number of clients (like wrk); open: Poisson arrivals."),
      integer("load.connections", load.connections).unit("count").at_least(1).at_most(1000000).essential()
          .help("closed: concurrent clients.").source("gilsim's choice"),
      duration("load.think_ms", 0).essential()
          .help("closed: pause between a response and the next request."),
      boolean("load.keepalive", load.keepalive).essential()
          .help("closed: reuse the connection (sync workers close it anyway).").source("wrk"),
      number("load.rate_rps", load.rate_rps).unit("req/s").above(0).at_most(1 / (kShortestPeriodMs / kMsPerS)).essential()
          .help("open: mean arrivals per second."),
      number("load.retry_s", load.retry_s).unit("s").at_least(kShortestPeriodMs / kMsPerS)
          .help("A refused connection is retried after this.").source("Linux's first TCP SYN retry"),
  };
}

std::vector<Parameter> proxy_fields()
{
  const ProxyConfig proxy;
  return {
      object("proxy").essential().help("A reverse proxy (nginx) in front. Present = enabled."),
      number("proxy.read_timeout_s", proxy.read_timeout_s).unit("s").above(0).essential()
          .help("A slower response counts as errors.timeout.").source("nginx proxy_read_timeout"),
      boolean("proxy.upstream_keepalive", proxy.upstream_keepalive)
          .help("Reuse upstream connections; nginx speaks HTTP/1.0 to upstreams by default: a new connection per "
                "request.")
          .source("nginx proxy_http_version 1.0"),
  };
}

std::vector<Parameter> server_fields()
{
  const ServerConfig s;
  std::vector<Parameter> rows = {
      array("servers").required().help("Gunicorn server configurations; each faces the identical load."),
      string("servers[].label").rule("class and size, e.g. \"gthread 2wx4t\"").help("Names the server in results and expect."),
      choice("servers[].worker_class", to_string(s.worker_class), worker_class_names()).essential()
          .help("sync with threads > 1 runs as gthread, as in Gunicorn.").source("Gunicorn config.py worker_class"),
      integer("servers[].workers", s.workers).unit("count").at_least(1).at_most(4096).essential()
          .help("Worker processes the arbiter forks.").source("Gunicorn config.py workers"),
      integer("servers[].threads", s.threads).unit("count").at_least(1).at_most(100000).essential()
          .help("gthread: OS threads per worker.").source("Gunicorn config.py threads"),
      integer("servers[].worker_connections", s.worker_connections).unit("count").at_least(1).at_most(10000000)
          .essential().help("gthread, gevent, eventlet: open connections per worker.")
          .source("Gunicorn config.py worker_connections"),
      integer("servers[].backlog", s.backlog).unit("count").at_least(1)
          .help("Listen queue; a full one refuses connections.").source("Gunicorn config.py backlog"),
      number("servers[].timeout_s", s.timeout_s).unit("s").above(0).essential()
          .help("The arbiter kills a worker whose heartbeat is older.").source("Gunicorn config.py timeout"),
      number("servers[].keepalive_s", s.keepalive_s).unit("s").at_least(0)
          .varies_with("worker_class", per_worker_class(default_keepalive_s, 1))
          .help("Idle keep-alive connections are closed after this (sync: none).")
          .source("Gunicorn config.py keepalive; uvicorn timeout_keep_alive"),
      integer("servers[].max_requests", s.max_requests).unit("count").at_least(0)
          .help("Recycle a worker after this many requests (0: never).").source("Gunicorn config.py max_requests"),
      integer("servers[].max_requests_jitter", s.max_requests_jitter).unit("count").at_least(0)
          .help("A random 0..jitter added to max_requests per worker.").source("Gunicorn config.py max_requests_jitter"),
      boolean("servers[].preload_app", s.preload_app)
          .help("Import the app in the arbiter: shared memory, fast restarts.").source("Gunicorn config.py preload_app"),
      number("servers[].boot_s", s.boot_s).unit("s").at_least(0)
          .help("A new worker imports the app for this long before serving."),
      number("servers[].overhead_ms").unit("ms").at_least(0)
          .varies_with("worker_class", per_worker_class(default_overhead_s, kMsPerS))
          .help("CPU per request in the server itself (HTTP parsing, WSGI/ASGI glue).")
          .source("assumed per worker class until calibrated against real Gunicorn"),
      boolean("servers[].cooperative_io", s.cooperative_io)
          .help("Loop workers: io_ms steps switch away (monkey-patched / awaited); false models an unpatchable "
                "library or time.sleep in async def."),
      boolean("servers[].monitor_thread", s.monitor_thread)
          .help("gevent's monitor thread: reports each hub block longer than max_blocking_time_ms.")
          .source("gevent config monitor_thread"),
      number("servers[].max_blocking_time_ms", s.max_blocking_time_s * kMsPerS).unit("ms").at_least(kShortestPeriodMs)
          .help("What the monitor thread counts as a blocked hub.").source("gevent config max_blocking_time"),
  };
  append(rows, pool_fields("servers[].pool", "This server's database pool."));
  append(rows, interpreter_fields("servers[].interpreter", "Overrides the scenario's interpreter for this server."));
  return rows;
}

std::vector<Parameter> expect_fields()
{
  return {
      array("expect").help("Figures the scenario promises; gilsim run --check and the test suite verify them."),
      string("expect[].metric").required()
          .help("A path into a result of --json: throughput_rps, latency_ms.p99, errors.timeout, cpu_utilization, "
                "gil.wait_fraction, memory_mb, worker_kills, ..."),
      string("expect[].of").required().help("The label of a server."),
      string("expect[].vs").help("Another server's label: the expectation is on the ratio of:vs."),
      number("expect[].min").help("The smallest value accepted."),
      number("expect[].max").help("The largest value accepted."),
      string("expect[].why").help("Printed when the expectation fails."),
  };
}

std::vector<Parameter> all_fields()
{
  std::vector<Parameter> rows = title_fields();
  append(rows, machine_fields());
  append(rows, interpreter_fields("interpreter", "The Python interpreter every server runs."));
  append(rows, app_fields());
  append(rows, database_fields());
  append(rows, load_fields());
  append(rows, proxy_fields());
  append(rows, run_fields());
  append(rows, server_fields());
  append(rows, expect_fields());
  return rows;
}

} // namespace

const json& Parameter::default_for(const std::string& sibling) const
{
  for (const auto& d : defaults_when)
    if (d.when == sibling)
      return d.value;
  return default_value;
}

const std::vector<Parameter>& parameters()
{
  static const std::vector<Parameter> table = all_fields();
  return table;
}

const std::vector<Parameter>& duration_fields()
{
  static const std::vector<Parameter> table = {
      choice("dist", "", {"constant", "deterministic", "exponential", "uniform", "lognormal", "empirical"}).required()
          .help("The distribution; deterministic is constant."),
      number("value").unit("ms").at_least(0).help("constant / deterministic: the value (required)."),
      number("mean").unit("ms").above(0).help("exponential, lognormal: the mean (required)."),
      number("sigma", 0.5).at_least(0).help("lognormal: sigma of the underlying normal.")
          .source("gilsim's choice"),
      number("min").unit("ms").at_least(0).help("uniform: the smallest value (required)."),
      number("max").unit("ms").at_least(0).help("uniform: the largest value, >= min (required)."),
      Declare("values", Type::array).unit("ms").help("empirical: durations drawn with equal probability, each >= 0."),
  };
  return table;
}

std::string path_pattern(const std::string& path)
{
  std::string out;
  std::size_t at = 0;
  for (std::size_t open = path.find('['); open != std::string::npos; open = path.find('[', at)) {
    std::size_t close = path.find(']', open);
    if (close == std::string::npos)
      break;
    out += path.substr(at, open - at) + "[]";
    at = close + 1;
  }
  return out + path.substr(at);
}

const Parameter* find_parameter(const std::string& path)
{
  std::string pattern = path_pattern(path);
  for (const auto& p : parameters())
    if (p.path == pattern)
      return &p;
  return nullptr;
}

} // namespace gilsim
