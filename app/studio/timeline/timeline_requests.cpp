// A request's life as the trace saw it (its intervals on every lane, its
// backlog, GIL wait, CPU, I/O and latency) and the figures of a range of time.
#include "timeline/time_format.hpp"
#include "timeline/timeline_model.hpp"
#include <QStringList>
#include <cmath>

using gilsim::trace::RequestLife;
using gilsim::trace::State;

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
      if (s.request[i] != tag)
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

QString TimelineModel::requestSummary(uint32_t id) const
{
  const RequestLife* life = request(id);
  std::vector<RequestSpan> spans = requestSpans(id);
  int unit = life && life->unit_lane >= 0 ? life->unit_lane : (spans.empty() ? -1 : spans.front().lane);
  StateTimes t_s{};
  for (const auto& span : spans)
    if (span.lane == unit) {
      StateTimes part = stateTime(span.lane, span.start_s, span.end_s);
      for (std::size_t s = 0; s < t_s.size(); ++s)
        t_s[s] += part[s];
    }
  auto laneName = [&](int lane) {
    return lane >= 0 ? QString::fromStdString(trace_->lanes[static_cast<std::size_t>(lane)].name) : QStringLiteral("?");
  };
  int worker = life && life->worker_lane >= 0 ? life->worker_lane : processLaneOf(unit);
  QString text = QStringLiteral("request %1").arg(id);
  if (life)
    text += QStringLiteral(" on connection %1").arg(life->connection);
  text += QStringLiteral(", %1 / %2: ").arg(laneName(worker), laneName(unit));
  double backlog = life ? life->started_s - life->sent_s : RequestLife::nan();
  text += QStringLiteral("backlog %1, GIL wait %2, CPU %3, I/O %4, loop wait %5")
              .arg(millis(backlog), millis(t_s[static_cast<std::size_t>(State::waiting_gil)]),
                   millis(t_s[static_cast<std::size_t>(State::running)]), millis(t_s[static_cast<std::size_t>(State::blocked_io)]),
                   millis(t_s[static_cast<std::size_t>(State::waiting_loop)]));
  if (life && life->finished && std::isfinite(life->sent_s))
    text += QStringLiteral("; latency %1 (%2)").arg(millis(life->finished_s - life->sent_s), QString::fromUtf8(outcomeName(life->outcome)));
  else
    text += QStringLiteral("; not finished in the window");
  return text;
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
  for (const auto& r : trace_->requests)
    if (r.finished && r.finished_s >= st.from_s && r.finished_s <= st.to_s)
      ++st.requests_finished;
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
