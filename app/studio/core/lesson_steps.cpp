// The events of a lesson's window and their sentences (see lesson_steps.hpp).
#include "core/lesson_steps.hpp"
#include <algorithm>
#include <cmath>
#include <set>

namespace gilsim::studio {

using gilsim::trace::State;
using gilsim::trace::WorkerEvent;

namespace {

constexpr double kSameTime_s = 1e-9; ///< traces store nanoseconds

QString requestWords(uint32_t request)
{
  return request ? QString(" for request %1").arg(request - 1) : QString();
}

QString stateSentence(const QString& who, State s, uint32_t request)
{
  switch (s) {
  case State::running: return who + " runs Python code" + requestWords(request) + ", holding the GIL";
  case State::waiting_gil: return who + " wants to run Python code" + requestWords(request) + " and waits for the GIL: another thread holds it";
  case State::blocked_io: return who + " waits on I/O" + requestWords(request) + "; it released the GIL before blocking";
  case State::waiting_loop: return who + " is ready" + requestWords(request) + " but waits for its event loop: another one runs";
  case State::idle: return who + " is idle: it has no request";
  case State::killed: return who + " is killed";
  }
  return who;
}

QString workerSentence(const gilsim::trace::WorkerMark& m)
{
  const QString who = QString("worker %1").arg(m.number);
  switch (m.event) {
  case WorkerEvent::born: return who + " is forked by the arbiter and boots";
  case WorkerEvent::died_timeout: return who + " is killed by the arbiter: it has not notified it for longer than timeout";
  case WorkerEvent::died_max_requests: return who + " has served max_requests and is replaced";
  case WorkerEvent::monitor_report: return "gevent's monitor thread reports " + who + "'s hub blocked longer than max_blocking_time";
  }
  return TimelineModel::workerEventName(m.event);
}

std::vector<int> childStateRows(const TimelineModel& model, int process_row)
{
  std::vector<int> out;
  for (std::size_t r = 0; r < model.rows().size(); ++r) {
    const TimelineRow& row = model.rows()[r];
    if (row.parent == process_row && row.kind == TimelineRow::Kind::thread && model.hasStates(row.lane))
      out.push_back(int(r));
  }
  return out;
}

} // namespace

QString laneName(const TimelineModel& model, int lane)
{
  const auto& lanes = model.trace().lanes;
  if (lane < 0 || std::size_t(lane) >= lanes.size())
    return "?";
  const QString own = QString::fromStdString(lanes[std::size_t(lane)].name);
  const int process = model.processLaneOf(lane);
  if (process < 0 || process == lane)
    return own;
  return QString("%1 (%2)").arg(own, QString::fromStdString(lanes[std::size_t(process)].name));
}

LessonSteps::LessonSteps(const TimelineModel& model, const std::vector<int>& rows, double from_s, double until_s)
{
  std::set<int> seen;
  for (int row : rows) {
    const TimelineRow& r = model.rows().at(std::size_t(row));
    std::vector<int> stateRows = r.kind == TimelineRow::Kind::process ? childStateRows(model, row) : std::vector<int>{row};
    for (int s : stateRows)
      if (seen.insert(s).second)
        addStates(model, s, from_s, until_s);
    if (r.kind == TimelineRow::Kind::lock)
      addLock(model, row, from_s, until_s);
    if (r.kind == TimelineRow::Kind::process)
      addWorkers(model, row, from_s, until_s);
  }
  std::stable_sort(events_.begin(), events_.end(), [](const LessonEvent& a, const LessonEvent& b) { return a.t_s < b.t_s; });
  if (events_.size() > kMaxEvents)
    events_.resize(kMaxEvents);
}

void LessonSteps::addStates(const TimelineModel& model, int row, double from_s, double until_s)
{
  const int lane = model.rows()[std::size_t(row)].lane;
  if (lane < 0 || !model.hasStates(lane))
    return;
  const auto& s     = model.trace().states[std::size_t(lane)];
  const QString who = laneName(model, lane);
  for (std::size_t i = 0; i < s.size() && events_.size() < kMaxEvents; ++i)
    if (s.start[i] > from_s && s.start[i] <= until_s) // one starting at from_s is the window's edge, not an event
      events_.push_back({s.start[i], row, LessonEvent::Kind::state, who, stateSentence(who, s.state[i], s.request[i])});
}

void LessonSteps::addLock(const TimelineModel& model, int row, double from_s, double until_s)
{
  const int lock = model.rows()[std::size_t(row)].lock;
  const auto& l  = model.trace().locks.at(std::size_t(lock));
  const QString gil = "the GIL of " + laneName(model, int(l.process_lane));
  for (const auto& h : l.holds)
    if (h.start_s > from_s && h.start_s <= until_s)
      events_.push_back({h.start_s, row, LessonEvent::Kind::gil_taken, laneName(model, int(h.lane)),
                         laneName(model, int(h.lane)) + " takes " + gil});
  for (const auto& m : l.drop_requests) {
    if (m.t_s < from_s || m.t_s > until_s)
      continue;
    const long hold      = model.holdAt(lock, m.t_s);
    const QString holder = hold >= 0 ? laneName(model, int(l.holds[std::size_t(hold)].lane)) : QString("its holder");
    events_.push_back({m.t_s, row, LessonEvent::Kind::drop_request, laneName(model, int(m.lane)),
                       laneName(model, int(m.lane)) + " has waited a switch interval for " + gil + " and sets a drop request; " +
                           holder + " drops it at its next bytecode boundary"});
  }
  for (const auto& m : l.forced_switches)
    if (m.t_s >= from_s && m.t_s <= until_s)
      events_.push_back({m.t_s, row, LessonEvent::Kind::forced_switch, laneName(model, int(m.lane)),
                         laneName(model, int(m.lane)) + " drops " + gil +
                             " as asked; forced switching: it may not take it back before another thread has"});
}

void LessonSteps::addWorkers(const TimelineModel& model, int row, double from_s, double until_s)
{
  const int lane   = model.rows()[std::size_t(row)].lane;
  const int number = model.trace().lanes[std::size_t(lane)].process;
  for (const auto& m : model.workerMarks())
    if (m.number == number && m.t_s >= from_s && m.t_s <= until_s)
      events_.push_back({m.t_s, row, LessonEvent::Kind::worker, laneName(model, lane), workerSentence(m)});
}

bool sameEvent(const LessonEvent& a, const LessonEvent& b)
{
  return std::abs(a.t_s - b.t_s) < kSameTime_s && a.kind == b.kind && a.lane == b.lane && a.sentence == b.sentence;
}

const LessonEvent* LessonSteps::current() const
{
  return index_ >= 0 && std::size_t(index_) < events_.size() ? &events_[std::size_t(index_)] : nullptr;
}

bool LessonSteps::forward()
{
  if (std::size_t(index_ + 1) >= events_.size())
    return false;
  ++index_;
  return true;
}

bool LessonSteps::backward()
{
  if (index_ <= 0)
    return false;
  --index_;
  return true;
}

void LessonSteps::seek(double t_s)
{
  auto after = std::upper_bound(events_.begin(), events_.end(), t_s, [](double t, const LessonEvent& e) { return t < e.t_s; });
  index_ = int(after - events_.begin()) - 1;
}

void LessonSteps::setIndex(int index) { index_ = std::clamp(index, -1, int(events_.size()) - 1); }

int LessonSteps::find(const LessonEvent& e) const
{
  for (std::size_t i = 0; i < events_.size(); ++i)
    if (sameEvent(events_[i], e))
      return int(i);
  return -1;
}

int LessonSteps::lastBefore(double t_s) const
{
  auto at = std::lower_bound(events_.begin(), events_.end(), t_s, [](const LessonEvent& e, double t) { return e.t_s < t; });
  return int(at - events_.begin()) - 1;
}

int LessonSteps::firstAfter(double t_s) const
{
  const std::size_t i = std::size_t(lastBefore(t_s + kSameTime_s) + 1);
  return i < events_.size() ? int(i) : -1;
}

} // namespace gilsim::studio
