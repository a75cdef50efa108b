// Where the next (or previous) thing worth looking at happens: a worker born
// or died (and why), a drop request on the interpreter lock, a lane starting
// on a request.
#include "timeline/timeline_model.hpp"
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <limits>

using gilsim::trace::WorkerEvent;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

/// The first time after t (forward) or the last before it (backward) in a sorted list.
template <class It, class TimeOf>
double neighbour(It first, It last, double t_s, TimelineModel::Direction d, TimeOf time_of)
{
  if (d == TimelineModel::Direction::forward) {
    auto it = std::upper_bound(first, last, t_s, [&](double t, const auto& x) { return t < time_of(x); });
    return it == last ? kNone : time_of(*it);
  }
  auto it = std::lower_bound(first, last, t_s, [&](const auto& x, double t) { return time_of(x) < t; });
  return it == first ? kNone : time_of(*std::prev(it));
}

double closer(double a, double b, TimelineModel::Direction d)
{
  if (std::isnan(a))
    return b;
  if (std::isnan(b))
    return a;
  return d == TimelineModel::Direction::forward ? std::min(a, b) : std::max(a, b);
}

} // namespace

double TimelineModel::nextWorkerEvent(double t_s, Direction d) const
{
  return neighbour(worker_events_s_.begin(), worker_events_s_.end(), t_s, d, [](double t) { return t; });
}

QString TimelineModel::workerEventName(WorkerEvent e)
{
  switch (e) {
  case WorkerEvent::born: return QStringLiteral("born");
  case WorkerEvent::died_timeout: return QStringLiteral("killed by the timeout");
  case WorkerEvent::died_max_requests: return QStringLiteral("exited after max_requests");
  case WorkerEvent::monitor_report: return QStringLiteral("monitor: the hub was blocked");
  }
  return QStringLiteral("?");
}

const TimelineModel::WorkerMark* TimelineModel::workerMarkNear(int lane, double t_s, double within_s) const
{
  auto first = std::lower_bound(worker_marks_.begin(), worker_marks_.end(), t_s - within_s,
                                [](const WorkerMark& m, double t) { return m.t_s < t; });
  const WorkerMark* best = nullptr;
  for (auto it = first; it != worker_marks_.end() && it->t_s <= t_s + within_s; ++it)
    if (static_cast<int>(it->lane) == lane && (!best || std::fabs(it->t_s - t_s) < std::fabs(best->t_s - t_s)))
      best = &*it;
  return best;
}

QString TimelineModel::workerEventsAt(double t_s) const
{
  QStringList out;
  auto it = std::lower_bound(worker_marks_.begin(), worker_marks_.end(), t_s, [](const WorkerMark& m, double t) { return m.t_s < t; });
  for (; it != worker_marks_.end() && it->t_s == t_s; ++it)
    out << QStringLiteral("worker %1 %2").arg(it->number).arg(workerEventName(it->event));
  return out.isEmpty() ? QStringLiteral("worker killed") : out.join(QStringLiteral(", "));
}

double TimelineModel::nextDropRequest(double t_s, int lane, Direction d) const
{
  int lock   = lockOfProcess(processLaneOf(lane));
  double out = kNone;
  for (std::size_t i = 0; i < trace_->locks.size(); ++i) {
    if (lock >= 0 && static_cast<int>(i) != lock)
      continue;
    const auto& marks = trace_->locks[i].drop_requests;
    out = closer(out, neighbour(marks.begin(), marks.end(), t_s, d, [](const auto& m) { return m.t_s; }), d);
  }
  return out;
}

double TimelineModel::nextRequestStart(int lane, double t_s, Direction d) const
{
  if (!hasStates(lane))
    return kNone;
  const auto& s     = trace_->states[static_cast<std::size_t>(lane)];
  auto starts_one   = [&](long i) { return s.request[static_cast<std::size_t>(i)] != 0 &&
                                           (i == 0 || s.request[static_cast<std::size_t>(i)] != s.request[static_cast<std::size_t>(i - 1)]); };
  long n            = static_cast<long>(s.size());
  long i            = intervalAt(lane, t_s);
  if (d == Direction::forward) {
    for (++i; i < n; ++i)
      if (starts_one(i) && s.start[static_cast<std::size_t>(i)] > t_s)
        return s.start[static_cast<std::size_t>(i)];
    return kNone;
  }
  for (; i >= 0; --i)
    if (starts_one(i) && s.start[static_cast<std::size_t>(i)] < t_s)
      return s.start[static_cast<std::size_t>(i)];
  return kNone;
}
