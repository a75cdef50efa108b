// Building a TimelineModel: the rows in tree order, each lane's levels of
// detail and exact per-state sums, the lock strips, the machine's busy cores,
// the workers' births and deaths.
#include "timeline/timeline_model.hpp"
#include "timeline/trace_intervals.hpp"
#include <algorithm>

using gilsim::trace::LaneKind;
using gilsim::trace::State;

namespace {

int coresOf(const nlohmann::json& header)
{
  if (header.is_object() && header.contains("cores") && header["cores"].is_number())
    return std::max(1, header["cores"].get<int>());
  return 1;
}

TimelineRow::Kind rowKind(LaneKind k)
{
  switch (k) {
  case LaneKind::machine: return TimelineRow::Kind::machine;
  case LaneKind::process: return TimelineRow::Kind::process;
  case LaneKind::greenlet:
  case LaneKind::task: return TimelineRow::Kind::unit;
  default: return TimelineRow::Kind::thread;
  }
}

} // namespace

TimelineModel::TimelineModel(std::shared_ptr<const Trace> trace) : trace_(std::move(trace))
{
  cores_ = coresOf(trace_->header);
  lanes_.resize(trace_->lanes.size());
  for (std::size_t lane = 0; lane < trace_->lanes.size(); ++lane)
    buildLane(static_cast<int>(lane));
  buildMachine();
  buildRows();
  for (std::size_t lock = 0; lock < trace_->locks.size(); ++lock)
    buildLock(static_cast<int>(lock));
  buildWorkerEvents();
  buildRequestEnds();
}

QString TimelineModel::label() const
{
  const auto& h = trace_->header;
  if (h.is_object() && h.contains("label") && h["label"].is_string())
    return QString::fromStdString(h["label"].get<std::string>());
  return QString::fromStdString(trace_->path);
}

bool TimelineModel::isReal() const
{
  const auto& h = trace_->header;
  auto it = h.is_object() ? h.find("real") : h.end();
  return it != h.end() && it->is_boolean() && it->get<bool>();
}

void TimelineModel::buildLane(int lane)
{
  if (static_cast<std::size_t>(lane) >= trace_->states.size())
    return;
  const auto& s = trace_->states[static_cast<std::size_t>(lane)];
  if (s.size() == 0)
    return;
  LaneIntervals iv{s, until()};
  DominantLevelsBuilder builder(from(), until(), s.size(), kStates);
  builder.add(from(), s.start[0], kStates);
  LaneDetail& d = lanes_[static_cast<std::size_t>(lane)];
  d.prefix_s.reserve(s.size() / kPrefixStride + 1);
  StateTimes sum_s{};
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i % kPrefixStride == 0)
      d.prefix_s.push_back(sum_s);
    double b = iv.begin(i), e = iv.end(i);
    sum_s[static_cast<std::size_t>(s.state[i])] += e - b;
    builder.add(b, e, iv.category(i));
  }
  d.levels = builder.finish();
}

void TimelineModel::buildLock(int lock)
{
  const auto& holds = trace_->locks[static_cast<std::size_t>(lock)].holds;
  DominantLevelsBuilder builder(from(), until(), 2 * holds.size(), 1 + kHolderColours);
  double free_since = from();
  for (const auto& h : holds) {
    builder.add(free_since, h.start_s, kLockFree);
    builder.add(h.start_s, h.end_s, 1 + holderColour(static_cast<int>(h.lane)));
    free_since = h.end_s;
  }
  builder.add(free_since, until(), kLockFree);
  lock_levels_.push_back(builder.finish());
}

void TimelineModel::buildMachine()
{
  const auto& counters = trace_->counters;
  for (std::size_t c = 0; c < counters.size(); ++c)
    if (counters[c].name == "runnable threads" && (machine_counter_ < 0 || counters[c].process == 0))
      machine_counter_ = static_cast<int>(c);
  if (machine_counter_ < 0)
    return;
  const auto& series = counters[static_cast<std::size_t>(machine_counter_)];
  busy_levels_.build(series.t_s, series.value, from(), until(), cores_);
}

void TimelineModel::buildWorkerEvents()
{
  worker_marks_ = trace_->workers;
  std::stable_sort(worker_marks_.begin(), worker_marks_.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  for (const auto& w : worker_marks_)
    worker_events_s_.push_back(w.t_s);
  for (const auto& s : trace_->states)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.state[i] == State::killed && (i == 0 || s.state[i - 1] != State::killed))
        worker_events_s_.push_back(s.start[i]);
  std::sort(worker_events_s_.begin(), worker_events_s_.end());
  worker_events_s_.erase(std::unique(worker_events_s_.begin(), worker_events_s_.end()), worker_events_s_.end());
}

void TimelineModel::buildRows()
{
  const auto& lanes = trace_->lanes;
  row_of_lane_.assign(lanes.size(), -1);
  holder_colour_.assign(lanes.size(), 0);
  bool machine_lane = std::any_of(lanes.begin(), lanes.end(), [](const auto& l) { return l.kind == LaneKind::machine; });
  if (!machine_lane && hasMachine())
    addRow({TimelineRow::Kind::machine, -1, -1, -1, 0, false, QStringLiteral("machine")});
  for (std::size_t lane = 0; lane < lanes.size(); ++lane)
    if (lanes[lane].parent < 0)
      addRows(static_cast<int>(lane), -1, 0);
}

void TimelineModel::addRows(int lane, int parent_row, int depth)
{
  const auto& l = trace_->lanes[static_cast<std::size_t>(lane)];
  TimelineRow row{rowKind(l.kind), lane, -1, parent_row, depth, !l.children.empty(), QString::fromStdString(l.name)};
  int own = static_cast<int>(rows_.size());
  row_of_lane_[static_cast<std::size_t>(lane)] = own;
  addRow(row);
  if (row.kind == TimelineRow::Kind::process) {
    int lock = lockOfProcess(lane);
    if (lock >= 0) {
      rows_[static_cast<std::size_t>(own)].hasChildren = true;
      addRow({TimelineRow::Kind::lock, lane, lock, own, depth + 1, false, QStringLiteral("GIL")});
    }
  }
  int ordinal = 0;
  for (uint32_t child : l.children) {
    if (trace_->lanes[child].kind == LaneKind::thread)
      holder_colour_[child] = static_cast<uint8_t>(ordinal++ % kHolderColours);
    addRows(static_cast<int>(child), own, depth + 1);
  }
}

void TimelineModel::addRow(TimelineRow row) { rows_.push_back(std::move(row)); }

int TimelineModel::rowOfLane(int lane) const
{
  return lane >= 0 && static_cast<std::size_t>(lane) < row_of_lane_.size() ? row_of_lane_[static_cast<std::size_t>(lane)] : -1;
}

std::vector<int> TimelineModel::stateLanes() const
{
  std::vector<int> out;
  for (const auto& r : rows_)
    if ((r.kind == TimelineRow::Kind::thread || r.kind == TimelineRow::Kind::unit) && hasStates(r.lane))
      out.push_back(r.lane);
  return out;
}

int TimelineModel::processLaneOf(int lane) const
{
  while (lane >= 0 && trace_->lanes[static_cast<std::size_t>(lane)].kind != LaneKind::process)
    lane = trace_->lanes[static_cast<std::size_t>(lane)].parent;
  return lane;
}

int TimelineModel::threadLaneOf(int lane) const
{
  int at = lane;
  while (at >= 0 && trace_->lanes[static_cast<std::size_t>(at)].kind != LaneKind::thread)
    at = trace_->lanes[static_cast<std::size_t>(at)].parent;
  return at >= 0 ? at : lane;
}

int TimelineModel::lockOfProcess(int process_lane) const
{
  const auto& locks = trace_->locks;
  for (std::size_t i = 0; i < locks.size(); ++i)
    if (static_cast<int>(locks[i].process_lane) == process_lane)
      return static_cast<int>(i);
  return -1;
}

std::size_t TimelineModel::memoryBytes() const
{
  std::size_t bytes = sizeof(*this) + rows_.capacity() * sizeof(TimelineRow) + row_of_lane_.capacity() * sizeof(int);
  bytes += lanes_.capacity() * sizeof(LaneDetail) + holder_colour_.capacity();
  for (const auto& d : lanes_)
    bytes += d.levels.bytes() + d.prefix_s.capacity() * sizeof(StateTimes);
  for (const auto& lv : lock_levels_)
    bytes += sizeof(lv) + lv.bytes();
  bytes += busy_levels_.bytes() + worker_marks_.capacity() * sizeof(WorkerMark);
  bytes += (worker_events_s_.capacity() + request_ends_s_.capacity()) * sizeof(double);
  return bytes;
}

std::size_t TimelineModel::traceBytes(const Trace& trace)
{
  std::size_t bytes = 0;
  for (const auto& s : trace.states)
    bytes += sizeof(s) + s.start.capacity() * sizeof(double) + s.state.capacity() * sizeof(State) +
             s.request.capacity() * sizeof(uint32_t);
  for (const auto& l : trace.locks)
    bytes += sizeof(l) + l.holds.capacity() * sizeof(gilsim::trace::Hold) +
             (l.drop_requests.capacity() + l.forced_switches.capacity()) * sizeof(gilsim::trace::LockMark);
  for (const auto& c : trace.counters)
    bytes += sizeof(c) + (c.t_s.capacity() + c.value.capacity()) * sizeof(double);
  return bytes;
}
