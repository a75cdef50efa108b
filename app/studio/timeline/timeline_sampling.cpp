// What a TimelineModel answers per pixel (dominant state, lock holder, busy
// cores) and exactly (time per state from the prefix sums).
#include "timeline/dominant_sampler.hpp"
#include "timeline/timeline_model.hpp"
#include "timeline/trace_intervals.hpp"
#include <cmath>

bool TimelineModel::hasStates(int lane) const
{
  return lane >= 0 && static_cast<std::size_t>(lane) < trace_->states.size() &&
         trace_->states[static_cast<std::size_t>(lane)].size() > 0;
}

void TimelineModel::sample(int lane, double t0_s, double dt_s, int pixels, uint8_t* out) const
{
  if (!hasStates(lane)) {
    std::fill(out, out + pixels, kNoData);
    return;
  }
  LaneIntervals iv{trace_->states[static_cast<std::size_t>(lane)], until()};
  sampleDominant(iv, levels(lane), t0_s, dt_s, pixels, out);
}

long TimelineModel::intervalAt(int lane, double t_s) const
{
  if (!hasStates(lane))
    return -1;
  const auto& start = trace_->states[static_cast<std::size_t>(lane)].start;
  return static_cast<long>(std::upper_bound(start.begin(), start.end(), t_s) - start.begin()) - 1;
}

double TimelineModel::intervalEnd(int lane, long i) const
{
  const auto& start = trace_->states[static_cast<std::size_t>(lane)].start;
  return static_cast<std::size_t>(i) + 1 < start.size() ? start[static_cast<std::size_t>(i) + 1] : until();
}

TimelineModel::StateTimes TimelineModel::timeBefore(int lane, double t_s) const
{
  long k = intervalAt(lane, t_s);
  if (k < 0)
    return {};
  const auto& s       = trace_->states[static_cast<std::size_t>(lane)];
  std::size_t first   = static_cast<std::size_t>(k) / kPrefixStride;
  StateTimes sum_s    = lanes_[static_cast<std::size_t>(lane)].prefix_s[first];
  for (std::size_t i = first * kPrefixStride; i < static_cast<std::size_t>(k); ++i)
    sum_s[static_cast<std::size_t>(s.state[i])] += s.start[i + 1] - s.start[i];
  auto last = static_cast<std::size_t>(k);
  sum_s[static_cast<std::size_t>(s.state[last])] += std::min(t_s, intervalEnd(lane, k)) - s.start[last];
  return sum_s;
}

TimelineModel::StateTimes TimelineModel::stateTime(int lane, double a_s, double b_s) const
{
  a_s = std::max(a_s, from());
  b_s = std::min(b_s, until());
  if (!hasStates(lane) || !(b_s > a_s))
    return {};
  StateTimes lo = timeBefore(lane, a_s), hi = timeBefore(lane, b_s);
  for (std::size_t s = 0; s < hi.size(); ++s)
    hi[s] -= lo[s];
  return hi;
}

void TimelineModel::sampleLock(int lock, double t0_s, double dt_s, int pixels, uint8_t* out) const
{
  HoldIntervals iv{trace_->locks[static_cast<std::size_t>(lock)].holds, holder_colour_, kHolderColours};
  sampleDominant(iv, lock_levels_[static_cast<std::size_t>(lock)], t0_s, dt_s, pixels, out);
}

long TimelineModel::holdAt(int lock, double t_s) const
{
  const auto& holds = trace_->locks[static_cast<std::size_t>(lock)].holds;
  auto it = std::upper_bound(holds.begin(), holds.end(), t_s, [](double t, const auto& h) { return t < h.start_s; });
  if (it == holds.begin() || std::prev(it)->end_s <= t_s)
    return -1;
  return static_cast<long>(std::prev(it) - holds.begin());
}

std::vector<int> TimelineModel::markPixels(const std::vector<gilsim::trace::LockMark>& marks, double t0_s, double dt_s,
                                           int pixels)
{
  std::vector<int> out;
  auto it = std::lower_bound(marks.begin(), marks.end(), t0_s, [](const auto& m, double t) { return m.t_s < t; });
  while (it != marks.end()) {
    int x = static_cast<int>((it->t_s - t0_s) / dt_s);
    if (x >= pixels)
      break;
    out.push_back(x);
    double next_pixel_s = t0_s + (x + 1) * dt_s;
    it = std::lower_bound(it, marks.end(), next_pixel_s, [](const auto& m, double t) { return m.t_s < t; });
  }
  return out;
}

void TimelineModel::sampleBusyCores(double t0_s, double dt_s, int pixels, float* out) const
{
  if (!hasMachine()) {
    std::fill(out, out + pixels, 0.0f);
    return;
  }
  const auto& series = trace_->counters[static_cast<std::size_t>(machine_counter_)];
  busy_levels_.sampleRow(series.t_s, series.value, t0_s, dt_s, pixels, out);
}

double TimelineModel::runnableAt(double t_s) const
{
  if (!hasMachine())
    return 0;
  const auto& series = trace_->counters[static_cast<std::size_t>(machine_counter_)];
  auto it = std::upper_bound(series.t_s.begin(), series.t_s.end(), t_s);
  return it == series.t_s.begin() ? 0 : series.value[static_cast<std::size_t>(it - series.t_s.begin()) - 1];
}
