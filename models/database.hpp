// The database server and the connection pools in front of it.
// PostgreSQL refuses connections beyond max_connections; each query takes a
// round trip plus service time on the database's own cores. Pools follow
// SQLAlchemy's QueuePool (per process: pool_size, max_overflow, pool_timeout)
// or PgBouncer's transaction pooling (one pool shared by every process).
#pragma once
#include "config.hpp"
#include "../engine/interpreter.hpp"
#include "../engine/simulation.hpp"
#include <deque>
#include <map>

namespace gilsim {

class Database {
public:
  Database(const DatabaseConfig& c, sg4::Host* host) : cfg(c), host(host) {}
  /// Opens a server connection; false when max_connections are already open.
  bool open();
  void close(int n = 1)
  {
    open_ -= n;
    report();
  }
  void observe(Observer* obs) { obs_ = obs; }
  const DatabaseConfig& cfg;
  sg4::Host* host;

private:
  void report() const
  {
    if (obs_)
      obs_->counter(CounterKind::db_connections, 0, open_, now());
  }
  int open_ = 0;
  Observer* obs_ = nullptr;
};

class Pool {
public:
  /// queue: SQLAlchemy's QueuePool; bouncer: PgBouncer, which queues its
  /// clients itself and hands a freed server connection to the first of them;
  /// none: a new connection per query.
  enum class Kind { queue, bouncer, none };
  enum class Result { ok, refused, timeout };
  Pool(Database& db, Kind kind, int size, int overflow, double timeout_s)
      : db_(db), kind_(kind), size_(size), overflow_(overflow), timeout_s_(timeout_s)
  {
  }
  /// Checks out a connection for `owner` (a worker process number). Blocks `u`
  /// while the pool is exhausted. `fresh` tells whether it had to be opened.
  /// `hub`: `u` is a green thread of that hub. A returned connection then goes
  /// back to the queue and the first waiter is only notified: it looks again
  /// when the hub next runs it, and a greenlet already running takes the
  /// connection first if it asks first (SQLAlchemy's queue under a
  /// monkey-patched Condition); a waiter that finds none waits again, last.
  /// Without a hub, or for PgBouncer, the first waiter is handed the connection.
  Result acquire(Unit& u, int owner, bool& fresh, Hub* hub = nullptr);
  void release(int owner);
  /// A worker process died: its waiters vanish and its connections are returned.
  void drop_owner(int owner);
  /// Closes every connection this pool holds (its process is gone).
  void close_all();
  /// Reports its waiters as those of worker `process` (0: a pool shared by all).
  void observe(Observer* obs, int process)
  {
    obs_     = obs;
    process_ = process;
  }

private:
  struct Waiter { Unit* unit; int owner; bool granted; Hub* hub; };
  bool take(int owner, bool& fresh, Result& res);
  void report() const
  {
    if (obs_)
      obs_->counter(CounterKind::pool_waiters, process_, static_cast<double>(waiters_.size()), now());
  }
  Observer* obs_ = nullptr;
  int process_   = 0;
  Database& db_;
  Kind kind_;
  int size_, overflow_;
  double timeout_s_;
  int idle_ = 0, out_ = 0;
  std::deque<Waiter*> waiters_;
  std::map<int, int> held_;
};

} // namespace gilsim
