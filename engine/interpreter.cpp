#include "interpreter.hpp"
#include <simgrid/Exception.hpp>
#include <algorithm>
#include <cmath>

namespace gilsim {

Machine::Machine(const Platform& p) : platform_(p)
{
  server_.host    = p.server;
  server_.cores   = p.cores;
  database_.host  = p.database;
  database_.cores = p.database ? static_cast<int>(p.database->get_core_count()) : 1;
}

void Machine::change_running(Cpu& c, int delta, const Unit& u)
{
  c.running += delta;
  if (obs_ && &c == &server_) {
    obs_->counter(CounterKind::runnable_threads, 0, c.running, now());
    obs_->cpu(u.id, delta, now());
  }
  // The speed for this many runnable threads is set once the instant is
  // over, in the kernel (no simcall): a thread that ends a burst and starts
  // the next at the same instant changes nothing, and an actor being killed
  // (unwinding its stack, it may make no simcall) can change it too.
  if (&c == &server_ && platform_.pstates > 1 && !speed_pending_ && platform_.pstate(c.running) != pstate_) {
    speed_pending_ = true;
    at_end_of_instant([this] {
      speed_pending_ = false;
      int k          = platform_.pstate(server_.running);
      if (k != pstate_) {
        pstate_ = k;
        server_.host->set_pstate(static_cast<unsigned long>(k));
      }
    });
  }
}

double Machine::execute(Unit& u, double seconds, sg4::Host* host)
{
  Cpu& c = (host == nullptr || host == server_.host) ? server_ : database_;
  u.interrupt = false;
  if (c.running < c.cores)
    return timed_burst(c, u, seconds);
  // Oversubscribed: the timed bursts on this host now share the cores too.
  for (Unit* t : c.timed) {
    t->to_share = true;
    t->waker.wake();
  }
  change_running(c, +1, u);
  return shared_burst(c, u, seconds);
}

// A core of its own: the burst ends `seconds` from now unless a lock drop
// request cuts it, or the cores become oversubscribed and it continues as a
// SimGrid execution.
double Machine::timed_burst(Cpu& c, Unit& u, double seconds)
{
  change_running(c, +1, u);
  c.timed.push_back(&u);
  u.burst_end = now() + seconds;
  u.to_share  = false;
  struct Done { // also when the actor is killed (its worker was) during the burst
    Machine& m;
    Cpu& c;
    Unit& u;
    bool handed_over = false; ///< continues as a SimGrid execution, still counted
    ~Done()
    {
      c.timed.erase(std::find(c.timed.begin(), c.timed.end(), &u));
      u.burst_end = -1;
      if (!handed_over)
        m.change_running(c, -1, u);
    }
  };
  double left = 0;
  {
    Done done{*this, c, u};
    while (!u.interrupt && !u.to_share && now() < u.burst_end - 1e-12)
      u.waker.block_for(u.burst_end - now()); // a stale wake-up waits again
    left = u.burst_end - now();
    if (left <= 1e-12)
      left = 0;
    else if (!u.interrupt) // u.to_share
      done.handed_over = true;
  }
  u.to_share = false;
  if (left > 0 && !u.interrupt)
    return shared_burst(c, u, left);
  return left;
}

// A SimGrid execution (counted in c.running by the caller), sharing the cores.
double Machine::shared_burst(Cpu& c, Unit& u, double seconds)
{
  double flops = seconds * Platform::speed;
  auto exec    = &c == &server_ ? sg4::this_actor::exec_init(flops) : sg4::Exec::init()->set_flops_amount(flops)->set_host(c.host);
  struct Done { // also when the actor is killed (its worker was) during the execution
    Machine& m;
    Cpu& c;
    Unit& u;
    ~Done()
    {
      u.cpu = nullptr;
      m.change_running(c, -1, u);
    }
  } done{*this, c, u};
  u.cpu = exec;
  exec->start();
  double left = 0;
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
  return left / Platform::speed;
}

void InterpreterLock::grant(Unit& u)
{
  holder_       = &u;
  drop_request_ = false;
  last_switch_  = now();
  ++switches_;
  report(u, LockEvent::grant);
}

// Every waiter in take_gil() does timed waits of one interval, back to back,
// from the moment it started waiting; a timeout ending an interval with no
// switch in it sets the drop request. Rather than waking every waiter each
// interval, the first waiter sleeps until the earliest such timeout of any
// waiter: the same moment, far fewer events.
double InterpreterLock::next_drop_time() const
{
  double best = 1e300;
  for (const Waiter& w : waiters_) {
    double k = 1;
    if (last_switch_ > w.since)
      k = std::ceil((last_switch_ - w.since) / interval_ - 1e-9) + 1;
    best = std::min(best, w.since + k * interval_);
  }
  return best;
}

void InterpreterLock::request_drop(Unit& by)
{
  drop_request_ = true;
  report(by, LockEvent::drop_request);
  Unit* h       = holder_;
  if (h->burst_end >= 0) { // a timed burst: cut it at once unless its slice ends now
    if (h->slice_end > now() + 1e-9 && h->burst_end - now() > 1e-9) {
      h->interrupt = true;
      h->waker.wake();
    }
    return;
  }
  sg4::ExecPtr e = h->cpu; // keeps the execution alive: reading it is a simcall, the holder may run meanwhile
  if (!e)
    return; // honoured when the holder next runs Python, or releases for I/O
  if (e->get_state() == sg4::Activity::State::INITED) {
    h->interrupt = true;
    return;
  }
  if (e->get_state() != sg4::Activity::State::STARTED)
    return;
  if (h->slice_end <= now() + 1e-9)
    return; // its slice ends now: it honours the request at the slice edge
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
  waiters_.push_back({&u, now()});
  report(u, LockEvent::wait);
  while (holder_ != &u) {
    if (waiters_.front().unit != &u || drop_request_) {
      u.waker.block();
      continue;
    }
    if (holder_ && !holder_->in_python) {
      // The holder runs no Python (a loop turn, taking zero time): it
      // releases, or starts Python sliced up to the drop time, by itself.
      u.waker.block();
      continue;
    }
    double t = next_drop_time();
    if (holder_ && holder_->slice_end <= t + 1e-9) {
      u.waker.block(); // the holder runs a slice up to t and drops by itself
      continue;
    }
    if (now() < t - 1e-12) {
      u.waker.block_for(t - now());
      continue;
    }
    if (holder_ && !drop_request_)
      request_drop(u);
    else
      u.waker.block();
  }
  u.set_state(before);
}

void InterpreterLock::release(Unit& u)
{
  if (!enabled_ || holder_ != &u)
    return;
  holder_ = nullptr;
  report(u, LockEvent::release);
  if (!waiters_.empty()) {
    Unit* next = waiters_.front().unit;
    waiters_.pop_front();
    grant(*next);
    next->waker.wake(); // the new holder slices its Python work up to the next drop time
  }
}

void InterpreterLock::yield(Unit& u)
{
  // At a slice edge the waiter's timeout and the holder's drop fall at the
  // same instant: the request was never set, it is honoured as it is made.
  if (!drop_request_ && !waiters_.empty())
    report(*waiters_.front().unit, LockEvent::drop_request);
  report(u, LockEvent::forced_switch);
  release(u);
  take(u);
}

void run_python(Machine& m, InterpreterLock& lock, Unit& u, double seconds, double slowdown)
{
  double left      = seconds * slowdown;
  UnitState before = u.state;
  u.in_python      = true;
  while (left > 1e-12) {
    if (lock.drop_requested()) {
      lock.yield(u);
      continue;
    }
    // CPython checks for a drop request between bytecodes. While others wait,
    // run up to the moment the next request falls due (a slice), so the
    // request is honoured at a slice edge; uncontended, run the whole step.
    double slice = left;
    u.slice_end  = 1e300;
    if (lock.enabled() && lock.held_by(u)) {
      double due = lock.next_drop_time();
      if (due >= 1e300 && lock.threaded())
        due = now() + lock.interval(); // nobody waits yet: a slice of one interval at most
      if (due < 1e300) {
        if (due - now() < 1e-7) {
          lock.yield(u); // due now: drop (forced switching)
          continue;
        }
        slice       = std::min(left, (due - now()) * m.share());
        u.slice_end = due;
      }
    }
    u.set_state(UnitState::running);
    double undone = m.execute(u, slice);
    left -= slice - undone;
    u.slice_end = 1e300;
  }
  u.in_python = false;
  u.set_state(before);
}

void Hub::enter(Unit& u)
{
  if (running_ == &u)
    return;
  if (!running_ && !u.hub_queued) {
    take(&u);
    return;
  }
  UnitState before = u.state;
  u.set_state(UnitState::waiting_loop);
  if (!u.hub_queued)
    ready_.push_back({&u, nullptr});
  u.hub_queued = true;
  while (running_ != &u)
    u.waker.block();
  u.set_state(before);
}

void Hub::schedule(Unit& u)
{
  if (running_ == &u || u.hub_queued)
    return;
  if (!running_) {
    take(&u);
    u.waker.wake();
    return;
  }
  u.hub_queued = true;
  ready_.push_back({&u, nullptr});
}

void Hub::call_soon(const std::function<void()>& fn)
{
  ready_.push_back({nullptr, &fn});
  if (!running_)
    next();
}

void Hub::show(Unit* u)
{
  if (running_ && running_->mirror == thread_)
    running_->mirror = nullptr;
  if (u)
    u->mirror = thread_;
  thread_->set_state(u ? UnitState::running : UnitState::idle);
  thread_->set_request(u ? u->request : -1);
}

void Hub::take(Unit* u)
{
  if (thread_)
    show(u);
  running_ = u;
  since_   = now();
  ++switches_;
}

void Hub::leave(Unit& u)
{
  if (running_ != &u)
    return;
  if (thread_)
    show(nullptr);
  running_ = nullptr;
  next();
}

void Hub::next()
{
  while (!running_ && !ready_.empty()) {
    Entry e = ready_.front();
    ready_.pop_front();
    if (e.fn) {
      take(&callbacks_);
      (*e.fn)();
      if (thread_)
        show(nullptr);
      running_ = nullptr;
      continue;
    }
    take(e.unit);
    e.unit->hub_queued = false;
    e.unit->waker.wake();
  }
}

} // namespace gilsim
