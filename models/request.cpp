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

void Recorder::sent(Request& r, long connection)
{
  obs->request(RequestEvent::sent, r.id, connection, r.sent_s);
  obs->counter(CounterKind::in_system, 0, static_cast<double>(++in_system_), r.sent_s);
}

bool Recorder::settle(Request& r, Outcome o, double at_s)
{
  if (r.outcome != Outcome::pending)
    return false;
  r.outcome = o;
  obs->counter(CounterKind::in_system, 0, static_cast<double>(--in_system_), at_s);
  obs->finished({r.id, r.endpoint, trace_outcome(o), r.sent_s, at_s, r.process_lane, r.time});
  if (Client* cl = r.client) {
    r.client = nullptr;
    cl->settled(r);
  }
  return true;
}

} // namespace gilsim
