// The machine's cores, CPython's interpreter lock and a green-thread hub.
//
// InterpreterLock follows Python/ceval_gil.c (CPython 3.2+): a waiter does a
// timed wait of one switch interval; if no switch happened meanwhile it sets the
// drop request, which the holder honours at its next bytecode boundary (here:
// its CPU execution is interrupted and the lock handed over). Forced switching:
// the dropper queues behind the thread it handed the lock to. Blocking I/O
// releases the lock, and re-acquiring it afterwards is what makes the convoy.
#pragma once
#include "observer.hpp"
#include "simulation.hpp"
#include "stats.hpp"
#include <deque>
#include <functional>
#include <vector>

namespace gilsim {

/// The server's cores (and the database's). A CPU burst that finds a core
/// free runs at full speed, as a timed wait (cheap: no SimGrid action). When
/// a burst would oversubscribe the cores, it and every timed burst on that
/// host become SimGrid executions, which share the cores (SimGrid's processor
/// sharing), and the server's speed drops by the context-switch cost of that
/// many runnable threads (Platform::overhead_factor).
class Machine {
public:
  explicit Machine(const Platform& p);
  /// Reports the server's runnable threads as they change.
  void observe(Observer* obs) { obs_ = obs; }
  /// Executes `seconds` of CPU work for `u` on `host` (the server by default).
  /// Returns the work left if a lock drop request interrupted it, else 0.
  double execute(Unit& u, double seconds, sg4::Host* host = nullptr);
  int cores() const { return platform_.cores; }
  const Platform& platform() const { return platform_; }
  /// The share of a core a new execution would get now (1 when cores are free).
  double share() const
  {
    int n = server_.running + 1;
    return n <= platform_.cores ? 1.0 : platform_.cores / (n * platform_.overhead_factor(n));
  }

private:
  struct Cpu {
    sg4::Host* host = nullptr;
    int cores = 1;
    int running = 0;          ///< bursts in progress, timed or SimGrid executions
    std::vector<Unit*> timed; ///< the timed ones
  };
  void change_running(Cpu& c, int delta, const Unit& u);
  double timed_burst(Cpu& c, Unit& u, double seconds);
  double shared_burst(Cpu& c, Unit& u, double seconds);
  Platform platform_;
  Cpu server_, database_;
  int pstate_ = 0;                     ///< the server's pstate in force
  bool speed_pending_ = false;         ///< a change of pstate is due at the end of this instant
  Observer* obs_ = nullptr;
};

class InterpreterLock {
public:
  InterpreterLock(bool enabled, double switch_interval_s) : enabled_(enabled), interval_(switch_interval_s) {}
  bool enabled() const { return enabled_; }
  /// Blocks `u` until it holds the lock (no-op without a lock, or if `u` holds it).
  void take(Unit& u);
  /// `u` stops running Python (blocking I/O, end of work): the first waiter gets the lock.
  void release(Unit& u);
  bool held_by(const Unit& u) const { return holder_ == &u; }
  /// A drop request is pending: the holder must hand the lock over.
  bool drop_requested() const { return drop_request_; }
  /// The holder honours a drop request: hands over, then queues to take it back.
  void yield(Unit& u);
  /// While threads wait: when the next drop request falls due (else +inf).
  double next_drop_time() const;
  /// Several OS threads of the process take the lock (gthread's pool, gevent's
  /// monitor thread): Python work then runs in slices of at most one switch
  /// interval even with nobody waiting, so that a thread arriving to wait
  /// finds the holder's slice ending by its drop time and needs no timer.
  void set_threaded(bool threaded) { threaded_ = threaded; }
  bool threaded() const { return threaded_; }
  double interval() const { return interval_; }
  /// Reports waits, grants, releases, drop requests and forced switches as the lock of process lane `lane`.
  void observe(Observer* obs, int lane)
  {
    obs_  = obs;
    lane_ = lane;
  }

  uint64_t switches() const { return switches_; }

private:
  struct Waiter {
    Unit* unit;
    double since;  ///< when its timed waits began (they end every interval after)
  };
  void grant(Unit& u);
  void request_drop(Unit& by);
  void report(const Unit& u, LockEvent e) const
  {
    if (obs_)
      obs_->lock(u.id, lane_, e, now());
  }
  bool enabled_;
  double interval_;
  Unit* holder_ = nullptr;
  double last_switch_ = 0;
  std::deque<Waiter> waiters_;
  uint64_t switches_ = 0;
  bool drop_request_ = false;
  bool threaded_ = false;
  Observer* obs_ = nullptr;
  int lane_      = -1;
};

/// Runs `seconds` of Python on `u`, which holds `lock` (or there is none):
/// honours drop requests at slice edges and resumes with the work left.
/// `slowdown` scales the work (free-threaded CPython's single-thread cost).
void run_python(Machine& m, InterpreterLock& lock, Unit& u, double seconds, double slowdown);

/// A cooperative scheduler for green threads on one OS thread (gevent's hub,
/// an asyncio or Tornado IOLoop): one unit runs at a time; the others queue, in
/// order, until it switches away.
class Hub {
public:
  /// `u` runs on the hub: at once if it is idle, else in its turn (FIFO).
  void enter(Unit& u);
  /// `u` switches away: the hub goes to the next in line.
  void leave(Unit& u);
  /// Puts `u` in line as if it had called enter() (gevent.spawn): when its
  /// turn comes it holds the hub and is woken; its enter() then waits for
  /// that turn instead of queueing again.
  void schedule(Unit& u);
  /// Puts a callback in line that runs on the hub and takes no time (an
  /// accept callback); runs it at once if the hub is idle. `fn` must outlive it.
  void call_soon(const std::function<void()>& fn);
  const Unit* running() const { return running_; }
  /// For the trace: `thread` (the OS thread the hub runs on) is shown running
  /// whichever green thread holds the hub, in its state, with its request; idle between.
  void show_on(Unit* thread) { thread_ = thread; }
  uint64_t switches() const { return switches_; }
  /// The last time the running unit took the hub.
  double running_since() const { return since_; }

private:
  struct Entry {
    Unit* unit;
    const std::function<void()>* fn;
  };
  void next();
  void take(Unit* u); ///< `u` gets the hub: a switch
  void show(Unit* u); ///< the hub's thread now runs `u` (nullptr: nothing)
  Unit* running_ = nullptr;
  Unit callbacks_; ///< holds the hub while a callback runs
  Unit* thread_ = nullptr;
  std::deque<Entry> ready_;
  uint64_t switches_ = 0;
  double since_ = 0;
};

} // namespace gilsim
