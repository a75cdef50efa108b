// Plain configuration of one simulated run: the machine, the interpreter, the
// application, the database, the load and one Gunicorn server configuration.
// Every default is the real system's (see docs/models.md for the sources).
#pragma once
#include "../engine/random.hpp"
#include <cstdint>
#include <string>
#include <vector>

namespace gilsim {

enum class WorkerClass { sync, gthread, gevent, eventlet, tornado, uvicorn };
const char* to_string(WorkerClass c);

struct Step {
  enum class Kind { cpu, io, blocking_io, db } kind = Kind::cpu;
  Distribution duration_s;       ///< cpu/io time, or the query's time on the database server
  bool blocking_driver = false;  ///< db only: a driver the event loop cannot switch away from (psycopg2 without psycogreen)
};

struct Endpoint {
  std::string name;
  double weight = 1;
  std::vector<Step> steps;
};

struct AppConfig {
  std::vector<Endpoint> endpoints;
  double memory_mb = 40;              ///< what importing the application adds to a process
};

struct MachineConfig {
  int cores = 2;
  double context_switch_s = 30e-6;    ///< direct + cache cost of one context switch
};

struct InterpreterConfig {
  bool gil = true;
  double switch_interval_s = 0.005;   ///< sys.getswitchinterval()
  double free_threaded_slowdown = 1.4; ///< single-thread cost of free-threaded 3.13 (PEP 703 / pyperformance)
  double process_mb = 20;             ///< RSS of a bare interpreter + Gunicorn worker
  double thread_mb = 0.25;            ///< RSS per OS thread (touched stack + thread state)
  double greenlet_mb = 0.02;          ///< per greenlet / asyncio task
  double cow_dirty_fraction = 0.3;    ///< share of a preloaded app's pages that reference counting dirties per worker
};

/// How the application reaches the database: SQLAlchemy's QueuePool in every
/// process, one PgBouncer transaction pool shared by all, or no pool at all.
struct PoolConfig {
  enum class Kind { per_process, shared, none } kind = Kind::per_process;
  int size = 5;                       ///< SQLAlchemy pool_size (PgBouncer default_pool_size 20 when shared)
  int max_overflow = 10;              ///< SQLAlchemy default
  double timeout_s = 30;              ///< SQLAlchemy pool_timeout (PgBouncer query_wait_timeout 120 s when shared)
};

struct DatabaseConfig {
  int cores = 4;
  int max_connections = 100;          ///< PostgreSQL default
  double connect_s = 0.005;           ///< new connection: TCP + auth + backend fork
  double rtt_s = 0.0005;              ///< network round trip per query
  PoolConfig pool;                    ///< the default for every server configuration
};

struct LoadConfig {
  enum class Type { closed, open } type = Type::closed;
  int connections = 64;               ///< closed: concurrent clients (wrk -c)
  Distribution think_s;               ///< closed: pause between a response and the next request
  bool keepalive = true;              ///< closed: reuse the connection (wrk does)
  double rate_rps = 100;              ///< open: Poisson arrival rate
  double retry_s = 1.0;               ///< a refused connection is retried after this (TCP SYN retry)
};

struct ProxyConfig {
  bool enabled = false;
  double read_timeout_s = 60;         ///< nginx proxy_read_timeout
  bool upstream_keepalive = false;    ///< nginx speaks HTTP/1.0 to upstreams by default: a new connection per request
};

struct ServerConfig {
  std::string label;
  WorkerClass worker_class = WorkerClass::sync;
  int workers = 1;
  int threads = 1;
  int worker_connections = 1000;
  int backlog = 2048;
  double timeout_s = 30;
  double keepalive_s = 2;             ///< uvicorn: timeout_keep_alive 5 s
  int max_requests = 0;
  int max_requests_jitter = 0;
  bool preload_app = false;
  double boot_s = 1.0;                ///< time for a new worker to import the app and start serving
  double overhead_s = 0.0003;         ///< CPU per request in the server itself (HTTP parsing, WSGI/ASGI glue)
  PoolConfig pool;                    ///< the database pool this server's app uses
  bool cooperative_io = true;         ///< loop workers: `io` steps switch away (monkey-patched / awaited); false: a library the loop cannot switch from
  bool monitor_thread = false;        ///< gevent's monitor thread
  double max_blocking_time_s = 0.1;
  InterpreterConfig interpreter;
};

/// A trace of the run's window [from_s, until_s), written to `file` (none if empty).
struct TraceConfig {
  std::string file;
  double from_s = 0, until_s = 0;
  std::string header_json;            ///< the resolved configuration, for the file's header
};

struct RunConfig {
  MachineConfig machine;
  AppConfig app;
  DatabaseConfig database;
  LoadConfig load;
  ProxyConfig proxy;
  ServerConfig server;
  double duration_s = 60;
  double warmup_s = 5;
  uint64_t seed = 1;
  TraceConfig trace;
};

/// Per-request server overhead assumed for each worker class when a scenario gives none.
double default_overhead_s(WorkerClass c);
/// Keep-alive timeout of each worker class (Gunicorn `keepalive`, uvicorn's own 5 s).
double default_keepalive_s(WorkerClass c);

} // namespace gilsim
