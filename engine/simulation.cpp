#include "simulation.hpp"
#include "observer.hpp"
#include <simgrid/kernel/Timer.hpp>
#include <xbt/log.h>
#include <algorithm>
#include <cmath>
#include <vector>

namespace gilsim {

namespace {
double g_epoch = 0;
std::unique_ptr<sg4::Engine> g_engine;
std::function<void(double)> g_progress;
double g_progress_every = 0, g_progress_due = 0;

void advance_clock()
{
  detail::g_now = sg4::Engine::get_clock() - g_epoch;
  if (g_progress && detail::g_now >= g_progress_due) {
    g_progress(detail::g_now);
    g_progress_due = detail::g_now + g_progress_every;
  }
}
} // namespace

void on_progress(double every_s, std::function<void(double)> fn)
{
  g_progress       = std::move(fn);
  g_progress_every = every_s;
  g_progress_due   = now() + every_s;
}

namespace detail {
double g_now = 0;
} // namespace detail

void Waker::block_for(double seconds)
{
  if (seconds <= 0)
    return;
  actor_ = sg4::Actor::self();
  mode_  = Mode::timed;
  timer_ = simgrid::kernel::timer::Timer::set(g_epoch + now() + seconds, [this] {
    // runs in SimGrid's kernel (maestro): resume() acts at once, no simcall
    timer_ = nullptr;
    if (mode_ == Mode::timed) {
      mode_ = Mode::none;
      actor_->resume();
    }
  });
  // Also when the actor is killed while it waits: no timer may outlive the wait.
  struct Cleanup {
    Waker& w;
    ~Cleanup()
    {
      if (w.timer_)
        w.timer_->remove();
      w.timer_ = nullptr;
      w.mode_  = Mode::none;
    }
  } cleanup{*this};
  sg4::this_actor::suspend();
}

void Waker::cancel_timer_and_resume()
{
  if (timer_)
    timer_->remove();
  timer_ = nullptr;
  actor_->resume();
}

void at_end_of_instant(std::function<void()> fn)
{
  simgrid::kernel::timer::Timer::set(g_epoch + now(), std::move(fn));
}

void sleep_for(double seconds)
{
  Waker w; // known to nobody else: only its timer wakes it
  w.block_for(seconds);
}

const char* to_string(UnitState s)
{
  switch (s) {
    case UnitState::idle: return "idle";
    case UnitState::running: return "running";
    case UnitState::waiting_gil: return "waiting-gil";
    case UnitState::blocked_io: return "blocked-io";
    case UnitState::waiting_loop: return "waiting-loop";
    case UnitState::killed: return "killed";
  }
  return "?";
}

void Unit::set_state(UnitState s)
{
  if (s == state)
    return;
  state = s;
  if (obs)
    obs->state(id, s, request, now());
  if (mirror)
    mirror->set_state(s);
}

void Unit::set_request(long r)
{
  request = r;
  if (obs)
    obs->state(id, state, request, now());
  if (mirror)
    mirror->set_request(r);
}

double Platform::overhead_factor(int runnable) const
{
  if (context_switch_s <= 0 || runnable <= cores)
    return 1.0;
  double scale    = 1 + std::log2(static_cast<double>(cores));
  double per_core = static_cast<double>(runnable) / cores;
  double slice    = std::max(0.006 * scale / per_core, 0.00075 * scale);
  return 1.0 + context_switch_s / slice;
}

int Platform::pstate(int runnable) const { return std::clamp(runnable - cores, 0, pstates - 1); }

#if defined(__SANITIZE_ADDRESS__)
#define GILSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GILSIM_ASAN 1
#endif
#endif
#ifdef GILSIM_ASAN
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

Platform create_platform(int cores, int db_cores, std::size_t expected_actors, double context_switch_s)
{
  int argc       = 1;
  char name[]    = "gilsim";
  char* argv[]   = {name, nullptr};
  g_engine = std::make_unique<sg4::Engine>(&argc, argv);
  if (!getenv("GILSIM_SIMGRID_LOG"))
    xbt_log_control_set("root.thresh:critical");
  // Actors run short, shallow code: small stacks keep thousands of them cheap
  // (ASan's frames are several times larger: a sanitised build needs more).
  sg4::Engine::set_config(kAddressSanitizer ? "contexts/stack-size:512" : "contexts/stack-size:64");
  if (expected_actors > 20000)
    sg4::Engine::set_config("contexts/guard-size:0");
  g_epoch = sg4::Engine::get_clock();
  detail::g_now = 0;
  static bool clock_hooked = false; // SimGrid's signals outlive an engine: connect once
  if (!clock_hooked) {
    clock_hooked = true;
    sg4::Engine::on_time_advance_cb([](double) { advance_clock(); });
  }
  auto* zone = sg4::create_full_zone("world");
  Platform p;
  p.cores            = cores;
  p.context_switch_s = context_switch_s;
  // The slice stops shrinking at min_granularity, from 8 runnable threads per core.
  p.pstates = context_switch_s > 0 ? 7 * cores + 2 : 1;
  std::vector<double> speeds;
  for (int k = 0; k < p.pstates; ++k)
    speeds.push_back(Platform::speed / p.overhead_factor(cores + k));
  p.server   = zone->create_host("server", speeds)->set_core_count(cores)->seal();
  p.database = zone->create_host("database", Platform::speed)->set_core_count(db_cores)->seal();
  zone->seal();
  return p;
}

void run_until(double end_s)
{
  g_engine->run_until(g_epoch + end_s);
  detail::g_now = sg4::Engine::get_clock() - g_epoch;
}

} // namespace gilsim
