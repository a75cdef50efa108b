#include "database.hpp"
#include <algorithm>

namespace gilsim {

bool Database::open()
{
  if (open_ >= cfg.max_connections)
    return false;
  ++open_;
  report();
  return true;
}

/// Takes an idle connection or opens one if the pool may grow; false if it must wait.
bool Pool::take(int owner, bool& fresh, Result& res)
{
  res = Result::ok;
  if (idle_ > 0) {
    --idle_;
    ++out_;
    ++held_[owner];
    return true;
  }
  if (out_ < size_ + overflow_) {
    if (!db_.open())
      res = Result::refused;
    else {
      ++out_;
      ++held_[owner];
      fresh = true;
    }
    return true;
  }
  return false;
}

Pool::Result Pool::acquire(Unit& u, int owner, bool& fresh, Hub* hub)
{
  fresh = false;
  if (kind_ == Kind::none) {
    if (!db_.open())
      return Result::refused;
    fresh = true;
    ++held_[owner];
    return Result::ok;
  }
  if (kind_ == Kind::bouncer)
    hub = nullptr; // its clients wait in PgBouncer, not in the app's hub
  Result res;
  if (take(owner, fresh, res))
    return res;
  const double deadline = now() + timeout_s_;
  for (;;) {
    Waiter w{&u, owner, false, hub};
    waiters_.push_back(&w);
    report();
    while (!w.granted && now() < deadline)
      u.waker.block_for(deadline - now());
    if (!w.granted) {
      waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
      report();
      return Result::timeout;
    }
    if (!hub)
      return Result::ok; // handed over by release()
    // notified: look again once the hub runs this greenlet
    hub->enter(u);
    bool got = take(owner, fresh, res);
    hub->leave(u);
    if (got)
      return res;
  }
}

void Pool::release(int owner)
{
  --held_[owner];
  if (kind_ == Kind::none) {
    db_.close();
    return;
  }
  if (!waiters_.empty() && !waiters_.front()->hub) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    report();
    w->granted = true;
    ++held_[w->owner];
    w->unit->waker.wake();
    return;
  }
  --out_;
  if (idle_ < size_)
    ++idle_;
  else
    db_.close(); // an overflow connection is closed on return
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    report();
    w->granted = true; // notified
    w->unit->waker.wake();
  }
}

void Pool::drop_owner(int owner)
{
  waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(), [owner](Waiter* w) { return w->owner == owner; }),
                 waiters_.end());
  report();
  int n = held_[owner];
  for (int i = 0; i < n; ++i)
    release(owner);
  held_.erase(owner);
}

void Pool::close_all()
{
  int n = idle_ + out_;
  if (kind_ == Kind::none)
    for (auto& [owner, k] : held_)
      n += k;
  db_.close(n);
  idle_ = out_ = 0;
  held_.clear();
  waiters_.clear();
  report();
}

} // namespace gilsim
