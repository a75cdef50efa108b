// The discrete-event substrate: one SimGrid engine per OS process, a machine of
// equal cores, a database host, and the primitive every simulated execution unit
// (OS thread, green thread) blocks on. SimGrid's clock is never reset, so all
// times here are relative to the start of this simulation.
#pragma once
#include <simgrid/s4u.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gilsim {
namespace sg4 = simgrid::s4u;

namespace detail {
extern double g_now; ///< kept up to date on every time advance (reading SimGrid's clock costs a call chain)
} // namespace detail

/// Seconds since the start of the current simulation.
inline double now() { return detail::g_now; }

/// Blocks one actor until another wakes it (or a timeout passes). Every wait in
/// gilsim sits in a loop that re-checks its condition, so a stale wake-up is
/// harmless. Both kinds of wait suspend the actor (the cheapest SimGrid
/// switch); a timed wait also sets a kernel timer that resumes it, which costs
/// far less than a SimGrid sleep activity (no CPU-model action).
class Waker {
public:
  void block()
  {
    actor_ = sg4::Actor::self();
    mode_  = Mode::suspended;
    sg4::this_actor::suspend();
    mode_ = Mode::none;
  }
  /// Waits at most `seconds`; returns immediately if `seconds` <= 0.
  void block_for(double seconds);
  void wake()
  {
    Mode m = mode_;
    mode_  = Mode::none;
    if (m == Mode::suspended)
      actor_->resume();
    else if (m == Mode::timed)
      cancel_timer_and_resume();
  }

private:
  enum class Mode : uint8_t { none, suspended, timed };
  void cancel_timer_and_resume();
  simgrid::kernel::timer::Timer* timer_ = nullptr;
  sg4::Actor* actor_ = nullptr;
  Mode mode_         = Mode::none;
};

/// Runs `fn` in SimGrid's kernel once every actor runnable at this instant has
/// run, before the clock advances (a kernel timer due now).
void at_end_of_instant(std::function<void()> fn);

/// Calls `fn` with the simulated time when it has advanced by `every_s` since
/// the last call. It adds no event to the simulation (it watches the clock),
/// so a run reports its progress and computes exactly what it does without.
void on_progress(double every_s, std::function<void(double)> fn);

/// The calling actor sleeps `seconds` of simulated time (a no-op if <= 0);
/// nothing but the time passing wakes it.
void sleep_for(double seconds);

/// What an execution unit is doing, as drawn on a timeline.
enum class UnitState : uint8_t { idle, running, waiting_gil, blocked_io, waiting_loop, killed };
const char* to_string(UnitState s);

class Observer;

/// An execution unit: an OS thread, or a green thread (greenlet / asyncio task).
struct Unit {
  int id = -1;          ///< lane id in the trace, unique in the simulation (-1 untraced)
  long request = -1;    ///< the request it works on (-1: none)
  Waker waker;
  sg4::ExecPtr cpu;     ///< the SimGrid execution in progress, if any (interruptible by a GIL drop request)
  double interrupted_flops = 0;
  bool interrupt = false;     ///< a drop request came before `cpu` started, or during a timed burst
  double burst_end = -1;      ///< a CPU burst on a core of its own, timed: when it ends (else < 0)
  bool to_share = false;      ///< that burst must continue as a SimGrid execution (the cores are oversubscribed)
  double slice_end = 1e300;   ///< the drop time its current CPU slice runs up to (sliced while others wait)
  bool in_python = false;     ///< inside run_python (between its slices too)
  bool hub_queued = false;    ///< in its hub's line, put there by Hub::schedule
  UnitState state = UnitState::idle;
  Observer* obs = nullptr;
  Unit* mirror = nullptr;     ///< traced: the hub's thread, shown doing what this green thread does while it holds the hub
  void set_state(UnitState s);
  /// Starts working on request `r` (its intervals carry it from now on).
  void set_request(long r);
};

/// The simulated platform: `cores` equal cores for the server, `db_cores` for the database.
///
/// When more threads are runnable than there are cores, Linux's scheduler
/// switches between them once per scheduler slice (CFS: sched_latency 6 ms
/// shared by the runnable threads of a core, never less than min_granularity
/// 0.75 ms, both scaled by 1 + log2 cores), and each switch costs
/// `context_switch_s` of useless work. The server's cores then run slower for
/// everyone alike: its pstate k is the speed with cores + k runnable threads.
struct Platform {
  sg4::Host* server = nullptr;
  sg4::Host* database = nullptr;
  int cores = 1;
  double context_switch_s = 0;
  static constexpr double speed = 1e9; ///< flops per second of one core: 1 flop = 1 ns of CPU
  /// Time one unit of work takes with `runnable` threads sharing the server's cores (>= 1).
  double overhead_factor(int runnable) const;
  /// The server pstate for `runnable` threads (0: no more than the cores).
  int pstate(int runnable) const;
  int pstates = 1;
};

/// Creates the SimGrid engine and platform. Call once per OS process.
Platform create_platform(int cores, int db_cores, std::size_t expected_actors, double context_switch_s = 0);

/// Runs the simulation until `end_s` seconds after its start.
void run_until(double end_s);

} // namespace gilsim
