#include "interpreter.hpp"
#include <simgrid/Exception.hpp>
#include <algorithm>
#include <cmath>

namespace gilsim {

Machine::Machine(const Platform& p, double context_switch_s, double from, double to)
    : platform_(p), context_switch_s_(context_switch_s), from_(from), to_(to)
{
}

double Machine::overhead_factor() const
{
  if (context_switch_s_ <= 0 || running_ < platform_.cores)
    return 1.0;
  // Linux CFS: sched_latency 6 ms and min_granularity 0.75 ms, both scaled by 1 + log2(cores).
  double scale     = 1 + std::log2(static_cast<double>(platform_.cores));
  double per_core  = static_cast<double>(running_ + 1) / platform_.cores;
  double slice     = std::max(0.006 * scale / per_core, 0.00075 * scale);
  return 1.0 + context_switch_s_ / slice;
}

double Machine::execute(Unit& u, double seconds, sg4::Host* host)
{
  bool on_server = host == nullptr || host == platform_.server;
  double flops   = seconds * Platform::speed * (on_server ? overhead_factor() : 1.0);
  double t0      = now();
  auto exec      = sg4::Exec::init()->set_flops_amount(flops)->set_host(on_server ? platform_.server : host);
  if (on_server)
    ++running_;
  u.cpu          = exec;
  u.interrupt    = false;
  exec->start();
  double left    = 0;
  if (exec->get_state() == sg4::Activity::State::CANCELED) {
    // cancelled by a drop request while start() yielded: waiting on it would crash
    left = u.interrupted_flops;
  } else if (u.interrupt && exec->get_state() == sg4::Activity::State::STARTED) {
    // a drop request arrived while the execution was being started
    left = exec->get_remaining();
    exec->cancel();
  } else {
    try {
      exec->wait();
    } catch (const simgrid::CancelException&) {
      left = u.interrupted_flops;
    }
  }
  u.cpu = nullptr;
  if (on_server) {
    --running_;
    double t1 = now(), done_s = (flops - left) / Platform::speed;
    double a = std::max(t0, from_), b = std::min(t1, to_);
    if (t1 > t0 && b > a)
      busy_s_ += done_s * (b - a) / (t1 - t0);
    else if (t1 <= t0 && t0 >= from_ && t0 < to_)
      busy_s_ += done_s;
  }
  return left / Platform::speed;
}

void InterpreterLock::grant(Unit& u)
{
  holder_       = &u;
  drop_request_ = false;
  ++switches_;
  held_.set(1, now());
}

void InterpreterLock::request_drop()
{
  drop_request_ = true;
  Unit* h       = holder_;
  sg4::ExecPtr e = h->cpu; // keeps the execution alive: reading it is a simcall, the holder may run meanwhile
  if (!e)
    return; // honoured when the holder next runs Python, or releases for I/O
  if (e->get_state() == sg4::Activity::State::INITED) {
    h->interrupt = true;
    return;
  }
  if (e->get_state() != sg4::Activity::State::STARTED)
    return;
  double left = e->get_remaining();
  // An execution whose work is done is finishing in this very time step:
  // cancelling it would crash SimGrid; the holder sees the request next.
  if (left > 1.0 && e->get_state() == sg4::Activity::State::STARTED && h->cpu == e && holder_ == h) {
    h->interrupted_flops = left;
    e->cancel();
  }
}

void InterpreterLock::take(Unit& u)
{
  if (!enabled_ || holder_ == &u)
    return;
  if (!holder_) {
    grant(u);
    return;
  }
  UnitState before = u.state;
  u.set_state(UnitState::waiting_gil);
  waiters_.push_back(&u);
  waited_.set(1, now());
  // ceval_gil.c take_gil(): timed waits of one interval; on a timeout with no
  // switch since the wait began, ask the holder to drop.
  double deadline = now() + interval_;
  uint64_t saved  = switches_;
  while (holder_ != &u) {
    u.waker.block_for(deadline - now());
    if (holder_ == &u)
      break;
    if (now() >= deadline) {
      if (switches_ == saved && holder_ && !drop_request_)
        request_drop();
      saved    = switches_;
      deadline = now() + interval_;
    }
  }
  u.set_state(before);
}

void InterpreterLock::release(Unit& u)
{
  if (!enabled_ || holder_ != &u)
    return;
  holder_ = nullptr;
  held_.set(0, now());
  if (!waiters_.empty()) {
    Unit* next = waiters_.front();
    waiters_.pop_front();
    if (waiters_.empty())
      waited_.set(0, now());
    grant(*next);
    next->waker.wake();
  }
}

void InterpreterLock::yield(Unit& u)
{
  release(u);
  take(u);
}

void run_python(Machine& m, InterpreterLock& lock, Unit& u, double seconds, double slowdown)
{
  double left = seconds * slowdown;
  UnitState before = u.state;
  while (left > 0) {
    if (lock.drop_requested()) {
      lock.yield(u);
      continue;
    }
    u.set_state(UnitState::running);
    left = m.execute(u, left);
  }
  u.set_state(before);
}

void Hub::enter(Unit& u)
{
  if (running_ == &u)
    return;
  if (!running_) {
    running_ = &u;
    since_   = now();
    ++switches_;
    return;
  }
  UnitState before = u.state;
  u.set_state(UnitState::waiting_loop);
  ready_.push_back(&u);
  while (running_ != &u)
    u.waker.block();
  u.set_state(before);
}

void Hub::leave(Unit& u)
{
  if (running_ != &u)
    return;
  running_ = nullptr;
  if (!ready_.empty()) {
    Unit* next = ready_.front();
    ready_.pop_front();
    running_ = next;
    since_   = now();
    ++switches_;
    next->waker.wake();
  }
}

} // namespace gilsim
