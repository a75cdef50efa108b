#include "request.hpp"
#include <algorithm>

namespace gilsim {

const char* to_string(Outcome o)
{
  switch (o) {
    case Outcome::pending: return "pending";
    case Outcome::ok: return "ok";
    case Outcome::timeout: return "timeout";
    case Outcome::killed: return "killed";
    case Outcome::refused: return "refused";
    case Outcome::db: return "db";
    case Outcome::pool_timeout: return "pool_timeout";
  }
  return "?";
}

namespace {
trace_format::Outcome trace_outcome(Outcome o)
{
  using T = trace_format::Outcome;
  switch (o) {
    case Outcome::timeout: return T::timeout;
    case Outcome::killed: return T::killed;
    case Outcome::refused: return T::refused;
    case Outcome::db: return T::db;
    case Outcome::pool_timeout: return T::pool_timeout;
    default: return T::ok;
  }
}
} // namespace

void Breakdown::add(const Breakdown& o)
{
  queue_s += o.queue_s;
  loop_wait_s += o.loop_wait_s;
  gil_wait_s += o.gil_wait_s;
  cpu_s += o.cpu_s;
  io_s += o.io_s;
  pool_wait_s += o.pool_wait_s;
  db_s += o.db_s;
}

Recorder::Recorder(double warmup_s, double end_s) : warmup_s_(warmup_s), end_s_(end_s), l_(warmup_s, end_s)
{
  res_.window_s = end_s - warmup_s;
  res_.batch_completed.assign(10, 0);
}

void Recorder::sent(Request& r, long connection)
{
  ++res_.simulated_requests;
  l_.set(static_cast<double>(++in_system_), r.sent_s);
  if (obs) {
    obs->request(RequestEvent::sent, r.id, connection, r.sent_s);
    obs->counter(CounterKind::in_system, 0, static_cast<double>(in_system_), r.sent_s);
  }
}

void Recorder::depart(double sojourn, double at_s)
{
  l_.set(static_cast<double>(--in_system_), at_s);
  if (obs)
    obs->counter(CounterKind::in_system, 0, static_cast<double>(in_system_), at_s);
  if (in_window(at_s)) {
    sojourn_sum_ += sojourn;
    ++departures_;
  }
}

bool Recorder::settle(Request& r, Outcome o, double at_s)
{
  if (r.outcome != Outcome::pending)
    return false;
  r.outcome = o;
  depart(at_s - r.sent_s, at_s);
  if (obs)
    obs->finished(r.id, r.endpoint, trace_outcome(o), r.sent_s, at_s);
  if (in_window(at_s)) {
    switch (o) {
      case Outcome::ok: {
        ++res_.completed;
        if (r.time.queue_s > 1e-9)
          ++res_.waited;
        res_.latency.add(at_s - r.sent_s);
        res_.breakdown.add(r.time);
        auto b = static_cast<std::size_t>((at_s - warmup_s_) / res_.window_s * 10);
        ++res_.batch_completed[std::min<std::size_t>(b, 9)];
        break;
      }
      case Outcome::timeout: ++res_.errors.timeout; break;
      case Outcome::killed: ++res_.errors.killed; break;
      case Outcome::refused: ++res_.errors.refused; break;
      case Outcome::db: ++res_.errors.db; break;
      case Outcome::pool_timeout: ++res_.errors.pool_timeout; break;
      case Outcome::pending: break;
    }
  }
  if (Client* cl = r.client) {
    r.client = nullptr;
    cl->settled(r);
  }
  return true;
}

void Recorder::finish(double end_s)
{
  res_.mean_in_system = l_.average(end_s);
  res_.mean_sojourn_s = departures_ ? sojourn_sum_ / departures_ : 0;
  res_.departure_rate = res_.window_s > 0 ? departures_ / res_.window_s : 0;
}

} // namespace gilsim
