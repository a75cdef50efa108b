// What a run does, as events: the engine and the models call one Observer
// (state changes, the interpreter lock, counters, requests, workers); the
// statistics, the trace recorder and a live view subscribe. State changes,
// the most frequent, go only to subscribers that want them: an untraced run
// makes no call for them.
#pragma once
#include "trace_format.hpp"
#include <string>
#include <vector>

namespace gilsim {

enum class UnitState : uint8_t;
using trace_format::LaneKind;
using trace_format::LockEvent;
using trace_format::RequestEvent;
using trace_format::WorkerEvent;

/// Where a completed request's time went (the model's accounting, carried by its `finished` event).
struct Breakdown {
  double queue_s = 0;      ///< from sending until a worker unit picked it up (backlog, worker queue)
  double loop_wait_s = 0;  ///< waiting for the event loop / hub to run it
  double gil_wait_s = 0;   ///< waiting for the interpreter lock
  double cpu_s = 0;        ///< running Python
  double io_s = 0;         ///< in I/O (patched or not)
  double pool_wait_s = 0;  ///< waiting for a database connection from the pool
  double db_s = 0;         ///< connecting to, and querying, the database
  void add(const Breakdown& o)
  {
    queue_s += o.queue_s;
    loop_wait_s += o.loop_wait_s;
    gil_wait_s += o.gil_wait_s;
    cpu_s += o.cpu_s;
    io_s += o.io_s;
    pool_wait_s += o.pool_wait_s;
    db_s += o.db_s;
  }
};

/// A request's outcome is known.
struct Finished {
  long request;
  int endpoint;
  trace_format::Outcome outcome;
  double sent_s, t;
  int process_lane;        ///< the worker process that had it (-1: none, e.g. refused)
  const Breakdown& time;
};

/// Quantities sampled on change; per worker process where it has one (else 0).
enum class CounterKind : uint8_t { runnable_threads, backlog, in_system, pool_waiters, db_connections, memory_mb };
constexpr std::size_t kCounterKinds = 6;
const char* to_string(CounterKind k);

/// A subscriber to the run's events; each overrides what it needs.
class Observer {
public:
  virtual ~Observer() = default;
  /// A new lane, numbered from 0 in the order they appear: a worker process,
  /// a thread, a greenlet or task, the arbiter.
  virtual void lane(int id, int parent, LaneKind kind, int process, const std::string& name) {}
  /// Whether it wants state() events (the most frequent: only the trace and live views do).
  virtual bool wants_states() const { return false; }
  virtual void state(int lane, UnitState s, long request, double t) {}
  /// `lane` is the thread, `process_lane` the worker process whose lock it is.
  virtual void lock(int lane, int process_lane, LockEvent e, double t) {}
  virtual void counter(CounterKind k, int process, double value, double t) {}
  /// A unit's CPU bursts on the server's cores: +1 as one starts, -1 as it ends.
  virtual void cpu(int lane, int delta, double t) {}
  /// A request's life: sent (`a` = connection id), started / a step (`a` = the unit's lane).
  virtual void request(RequestEvent e, long request, long a, double t) {}
  virtual void finished(const Finished& f) {}
  /// A worker process accepted a connection (`open`) or let it go.
  virtual void connection(long connection, int process_lane, bool open, double t) {}
  virtual void worker(int process_lane, WorkerEvent e, int number, double t) {}
};

/// Several observers as one: every event goes to each, in the order they
/// subscribed. With one subscriber, use it directly instead (one call less).
class Fanout final : public Observer {
public:
  void subscribe(Observer* o) { subs_.push_back(o); }
  void lane(int id, int parent, LaneKind kind, int process, const std::string& name) override
  {
    for (Observer* o : subs_)
      o->lane(id, parent, kind, process, name);
  }
  bool wants_states() const override
  {
    for (Observer* o : subs_)
      if (o->wants_states())
        return true;
    return false;
  }
  void state(int lane, UnitState s, long request, double t) override
  {
    for (Observer* o : subs_)
      o->state(lane, s, request, t);
  }
  void lock(int lane, int process_lane, LockEvent e, double t) override
  {
    for (Observer* o : subs_)
      o->lock(lane, process_lane, e, t);
  }
  void counter(CounterKind k, int process, double value, double t) override
  {
    for (Observer* o : subs_)
      o->counter(k, process, value, t);
  }
  void cpu(int lane, int delta, double t) override
  {
    for (Observer* o : subs_)
      o->cpu(lane, delta, t);
  }
  void request(RequestEvent e, long request, long a, double t) override
  {
    for (Observer* o : subs_)
      o->request(e, request, a, t);
  }
  void finished(const Finished& f) override
  {
    for (Observer* o : subs_)
      o->finished(f);
  }
  void connection(long connection, int process_lane, bool open, double t) override
  {
    for (Observer* o : subs_)
      o->connection(connection, process_lane, open, t);
  }
  void worker(int process_lane, WorkerEvent e, int number, double t) override
  {
    for (Observer* o : subs_)
      o->worker(process_lane, e, number, t);
  }

private:
  std::vector<Observer*> subs_;
};

} // namespace gilsim
