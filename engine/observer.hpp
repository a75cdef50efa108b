// What a run does, as events: the engine and the models call one Observer
// (state changes, the interpreter lock, counters, requests, workers); the
// trace recorder and the aggregates subscribe. Without a subscriber the
// pointer is null and nothing is called.
#pragma once
#include "trace_format.hpp"
#include <string>

namespace gilsim {

enum class UnitState : uint8_t;
using trace_format::LaneKind;
using trace_format::LockEvent;
using trace_format::RequestEvent;
using trace_format::WorkerEvent;

/// Quantities sampled on change; per worker process where it has one (else 0).
enum class CounterKind : uint8_t { runnable_threads, backlog, in_system, pool_waiters, db_connections, memory_mb };
constexpr std::size_t kCounterKinds = 6;
const char* to_string(CounterKind k);

class Observer {
public:
  virtual ~Observer() = default;
  /// A new lane (returns its id): a worker process, a thread, a greenlet or task, the arbiter.
  virtual int lane(int parent, LaneKind kind, int process, const std::string& name) = 0;
  virtual void state(int lane, UnitState s, long request, double t) = 0;
  /// `lane` is the thread, `process_lane` the worker process whose lock it is.
  virtual void lock(int lane, int process_lane, LockEvent e, double t) = 0;
  virtual void counter(CounterKind k, int process, double value, double t) = 0;
  /// A request's life: sent (`a` = connection id), started / a step (`a` = the unit's lane).
  virtual void request(RequestEvent e, long request, long a, double t) = 0;
  virtual void finished(long request, int endpoint, trace_format::Outcome o, double sent_s, double t) = 0;
  /// A worker process accepted a connection.
  virtual void connection(long connection, int process_lane, double t) = 0;
  virtual void worker(int process_lane, WorkerEvent e, int number, double t) = 0;
};

} // namespace gilsim
