// A request's life as the trace saw it (its intervals on every lane, its GIL
// holds, its backlog, GIL wait, CPU, I/O and latency; only what its lanes show
// in a real trace) and the figures of a range of time.
#include "timeline/time_format.hpp"
#include "timeline/timeline_model.hpp"
#include <QStringList>
#include <cmath>
#include <tuple>
#include <unordered_map>

using gilsim::trace::Hold;
using gilsim::trace::RequestLife;
using gilsim::trace::State;
using StateTimes = TimelineModel::StateTimes;

namespace {

QString millis(double seconds)
{
  if (!std::isfinite(seconds))
    return QStringLiteral("?");
  return seconds == 0 ? QStringLiteral("0 ms") : QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'f', 1);
}

const char* outcomeName(gilsim::trace::Outcome o)
{
  using gilsim::trace::Outcome;
  switch (o) {
  case Outcome::ok: return "ok";
  case Outcome::timeout: return "timeout";
  case Outcome::killed: return "killed";
  case Outcome::refused: return "refused";
  case Outcome::db: return "database error";
  case Outcome::pool_timeout: return "pool timeout";
  }
  return "?";
}

/// Short names for shares: "GIL wait 30 %".
const char* shortStateName(std::size_t s)
{
  static const char* names[] = {"idle", "running", "GIL wait", "I/O", "loop wait", "killed"};
  return s < 6 ? names[s] : "?";
}

QString stateTimesText(const StateTimes& t_s)
{
  auto of = [&](State s) { return millis(t_s[static_cast<std::size_t>(s)]); };
  return QStringLiteral("GIL wait %1, CPU %2, I/O %3, loop wait %4")
      .arg(of(State::waiting_gil), of(State::running), of(State::blocked_io), of(State::waiting_loop));
}

QString lifeText(const RequestLife& life, const StateTimes& t_s)
{
  QString text = QStringLiteral("backlog %1, %2").arg(millis(life.started_s - life.sent_s), stateTimesText(t_s));
  if (life.finished && std::isfinite(life.sent_s))
    return text + QStringLiteral("; latency %1 (%2)").arg(millis(life.finished_s - life.sent_s), QString::fromUtf8(outcomeName(life.outcome)));
  return text + QStringLiteral("; not finished in the window");
}

QString laneName(const gilsim::trace::Trace& t, int lane)
{
  return lane >= 0 ? QString::fromStdString(t.lanes[static_cast<std::size_t>(lane)].name) : QStringLiteral("?");
}

/// Work on a request: what its lanes do for it, neither idle nor killed.
bool isWork(State s) { return s != State::idle && s != State::killed; }

/// When each request's last interval of work ends, for those ending before the window does.
std::vector<double> workEnds(const gilsim::trace::Trace& t)
{
  std::unordered_map<uint32_t, double> end_of;
  for (const auto& s : t.states)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.request[i] != 0 && isWork(s.state[i])) {
        double end = i + 1 < s.size() ? s.start[i + 1] : t.until_s;
        double& e  = end_of.try_emplace(s.request[i], end).first->second;
        e          = std::max(e, end);
      }
  std::vector<double> out;
  for (const auto& [tag, end] : end_of)
    if (end < t.until_s)
      out.push_back(end);
  return out;
}

/// Overlapping holds of one lock become one.
std::vector<HoldSpan> merged(std::vector<HoldSpan> holds)
{
  std::sort(holds.begin(), holds.end(), [](const HoldSpan& a, const HoldSpan& b) { return std::tie(a.lock, a.start_s) < std::tie(b.lock, b.start_s); });
  std::vector<HoldSpan> out;
  for (const HoldSpan& h : holds)
    if (!out.empty() && out.back().lock == h.lock && h.start_s <= out.back().end_s)
      out.back().end_s = std::max(out.back().end_s, h.end_s);
    else
      out.push_back(h);
  return out;
}

} // namespace

QString TimelineModel::stateName(State s)
{
  switch (s) {
  case State::idle: return QStringLiteral("idle");
  case State::running: return QStringLiteral("running (CPU)");
  case State::waiting_gil: return QStringLiteral("waiting for the GIL");
  case State::blocked_io: return QStringLiteral("blocked on I/O");
  case State::waiting_loop: return QStringLiteral("waiting for the event loop");
  case State::killed: return QStringLiteral("killed");
  }
  return QStringLiteral("?");
}

const RequestLife* TimelineModel::request(uint32_t id) const
{
  const auto& r = trace_->requests;
  auto it = std::lower_bound(r.begin(), r.end(), id, [](const RequestLife& x, uint32_t v) { return x.id < v; });
  return it != r.end() && it->id == id ? &*it : nullptr;
}

std::vector<RequestSpan> TimelineModel::requestSpans(uint32_t id) const
{
  std::vector<RequestSpan> out;
  uint32_t tag = id + 1;
  for (std::size_t lane = 0; lane < trace_->states.size(); ++lane) {
    const auto& s = trace_->states[lane];
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.request[i] != tag || !isWork(s.state[i]))
        continue;
      double end = intervalEnd(static_cast<int>(lane), static_cast<long>(i));
      if (!out.empty() && out.back().lane == static_cast<int>(lane) && out.back().end_s == s.start[i])
        out.back().end_s = end;
      else
        out.push_back({static_cast<int>(lane), s.start[i], end});
    }
  }
  return out;
}

QString TimelineModel::endpointName(int endpoint) const
{
  const auto& h = trace_->header;
  for (const char* where : {"config", "scenario"}) {
    if (!h.is_object() || !h.contains(where) || !h[where].is_object())
      continue;
    const auto& app = h[where].value("app", nlohmann::json::object());
    const auto& eps = app.value("endpoints", nlohmann::json::array());
    if (endpoint >= 0 && static_cast<std::size_t>(endpoint) < eps.size() && eps[static_cast<std::size_t>(endpoint)].contains("name"))
      return QString::fromStdString(eps[static_cast<std::size_t>(endpoint)]["name"].get<std::string>());
  }
  return endpoint >= 0 ? QStringLiteral("endpoint %1").arg(endpoint) : QStringLiteral("?");
}

std::vector<HoldSpan> TimelineModel::requestHolds(const std::vector<RequestSpan>& spans) const
{
  std::vector<HoldSpan> out;
  for (const RequestSpan& span : spans) {
    int thread = threadLaneOf(span.lane);
    int lock   = lockOfProcess(processLaneOf(thread));
    if (lock < 0)
      continue;
    const auto& holds = trace_->locks[static_cast<std::size_t>(lock)].holds;
    auto it = std::lower_bound(holds.begin(), holds.end(), span.start_s, [](const Hold& h, double t) { return h.end_s <= t; });
    for (; it != holds.end() && it->start_s < span.end_s; ++it)
      if (static_cast<int>(it->lane) == thread)
        out.push_back({lock, std::max(it->start_s, span.start_s), std::min(it->end_s, span.end_s)});
  }
  return merged(std::move(out));
}

StateTimes TimelineModel::unitTime(const std::vector<RequestSpan>& spans, int unit) const
{
  StateTimes t_s{};
  for (const auto& span : spans)
    if (span.lane == unit) {
      StateTimes part = stateTime(span.lane, span.start_s, span.end_s);
      for (std::size_t s = 0; s < t_s.size(); ++s)
        t_s[s] += part[s];
    }
  return t_s;
}

QString TimelineModel::spansText(const std::vector<RequestSpan>& spans, int unit) const
{
  double first = until(), last = from();
  for (const auto& span : spans)
    if (span.lane == unit)
      first = std::min(first, span.start_s), last = std::max(last, span.end_s);
  if (!(last > first))
    return QStringLiteral("no interval of it in the window");
  QString text = QStringLiteral("from %1 for %2: %3")
                     .arg(formatTick(first, 1e-6, first), formatDuration(last - first), stateTimesText(unitTime(spans, unit)));
  return first <= from() || last >= until() ? text + QStringLiteral("; cut by the window") : text;
}

QString TimelineModel::requestSummary(uint32_t id) const
{
  const RequestLife* life = request(id);
  std::vector<RequestSpan> spans = requestSpans(id);
  int unit   = life && life->unit_lane >= 0 ? life->unit_lane : (spans.empty() ? -1 : spans.front().lane);
  int worker = life && life->worker_lane >= 0 ? life->worker_lane : processLaneOf(unit);
  QString text = QStringLiteral("request %1").arg(id);
  if (life)
    text += QStringLiteral(" on connection %1").arg(life->connection);
  text += QStringLiteral(", %1 / %2: ").arg(laneName(*trace_, worker), laneName(*trace_, unit));
  return text + (life ? lifeText(*life, unitTime(spans, unit)) : spansText(spans, unit));
}

void TimelineModel::buildRequestEnds()
{
  if (!trace_->requests.empty())
    return;
  request_ends_s_ = workEnds(*trace_);
  std::sort(request_ends_s_.begin(), request_ends_s_.end());
}

int TimelineModel::requestsFinished(double a_s, double b_s) const
{
  if (trace_->requests.empty()) {
    auto first = std::lower_bound(request_ends_s_.begin(), request_ends_s_.end(), a_s);
    return static_cast<int>(std::upper_bound(first, request_ends_s_.end(), b_s) - first);
  }
  return static_cast<int>(std::count_if(trace_->requests.begin(), trace_->requests.end(), [&](const RequestLife& r) {
    return r.finished && r.finished_s >= a_s && r.finished_s <= b_s;
  }));
}

TimelineRangeStats TimelineModel::rangeStats(double a_s, double b_s, const std::vector<int>& lanes) const
{
  TimelineRangeStats st;
  st.from_s = std::max(std::min(a_s, b_s), from());
  st.to_s   = std::min(std::max(a_s, b_s), until());
  for (int lane : lanes) {
    if (!hasStates(lane))
      continue;
    ++st.lanes;
    StateTimes part = stateTime(lane, st.from_s, st.to_s);
    for (std::size_t s = 0; s < part.size(); ++s)
      st.state_s[s] += part[s];
  }
  st.requests_finished = requestsFinished(st.from_s, st.to_s);
  double width = st.to_s - st.from_s;
  st.throughput_per_s = width > 0 ? st.requests_finished / width : 0;
  return st;
}

QString TimelineRangeStats::text() const
{
  double total = 0;
  for (double t : state_s)
    total += t;
  QString out = QStringLiteral("%1 to %2 (%3), %4 lanes:")
                    .arg(formatTick(from_s, (to_s - from_s) / 100, to_s), formatTick(to_s, (to_s - from_s) / 100, to_s),
                         formatDuration(to_s - from_s))
                    .arg(lanes);
  QStringList shares;
  for (std::size_t s = 0; s < state_s.size(); ++s)
    if (total > 0 && state_s[s] > 0)
      shares << QStringLiteral("%1 %2 %").arg(QString::fromUtf8(shortStateName(s))).arg(100 * state_s[s] / total, 0, 'f', 1);
  out += QLatin1Char(' ') + (shares.isEmpty() ? QStringLiteral("no data") : shares.join(QStringLiteral(", ")));
  out += QStringLiteral("; %1 requests finished, %2 req/s").arg(requests_finished).arg(throughput_per_s, 0, 'f', 1);
  return out;
}
