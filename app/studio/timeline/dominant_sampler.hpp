// The dominant category per pixel of any sorted run of intervals: exact (time
// summed per category) while a pixel holds few intervals, from the levels of
// detail once it holds more, so a row costs about the same at every zoom.
#pragma once
#include "timeline/levels_of_detail.hpp"
#include <algorithm>
#include <array>
#include <cmath>

/// The first index at or after `from` whose interval begins at or after t (intervals sorted by begin).
template <class Intervals>
std::size_t firstBeginningAt(const Intervals& iv, double t_s, std::size_t from)
{
  std::size_t n = iv.size(), step = 1, lo = from;
  while (from + step < n && iv.begin(from + step) < t_s)
    lo = from + step, step *= 2;
  std::size_t hi = std::min(from + step, n);
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (iv.begin(mid) < t_s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// Intervals per pixel beyond which the levels of detail answer instead of the intervals.
constexpr std::size_t kExactIntervalsPerPixel = 24;

template <class Intervals>
uint8_t dominantOfIntervals(const Intervals& iv, std::size_t i, std::size_t end, double p0_s, double p1_s)
{
  constexpr int kGapSlot = DominantLevels::kMaxCategories;
  std::array<double, kGapSlot + 1> time_s{};
  double covered_s = 0;
  for (; i < end; ++i) {
    double overlap = std::min(p1_s, iv.end(i)) - std::max(p0_s, iv.begin(i));
    if (overlap > 0)
      time_s[iv.category(i)] += overlap, covered_s += overlap;
  }
  time_s[kGapSlot] = (p1_s - p0_s) - covered_s;
  uint8_t best = DominantLevels::kNoData;
  double best_s = 0;
  for (int c = 0; c < iv.categories(); ++c)
    if (time_s[c] > best_s)
      best_s = time_s[c], best = static_cast<uint8_t>(c);
  return time_s[kGapSlot] > best_s ? iv.gapCategory() : best;
}

/// The pixels from x on that lie wholly inside [begin, end): at least x + 1.
inline int pixelsInside(double end_s, double t0_s, double dt_s, int x, int pixels)
{
  double last = std::floor((end_s - t0_s) / dt_s);
  return std::clamp(static_cast<int>(std::min(last, static_cast<double>(pixels))), x + 1, pixels);
}

/// Fills out[0..pixels) with the dominant category of [t0 + x dt, t0 + (x + 1) dt):
/// a pixel inside one interval (or gap) takes its category, and so do all the
/// following pixels inside it; a pixel over many intervals asks the levels.
template <class Intervals>
void sampleDominant(const Intervals& iv, const DominantLevels& lv, double t0_s, double dt_s, int pixels, uint8_t* out)
{
  if (dt_s >= 2 * lv.bucketWidth(0))
    return lv.sampleRow(t0_s, dt_s, pixels, out);
  std::size_t i = 0, n = iv.size();
  for (int x = 0; x < pixels;) {
    double p0 = std::max(t0_s + x * dt_s, lv.from()), p1 = std::min(t0_s + (x + 1) * dt_s, lv.until());
    if (!(p1 > p0)) {
      out[x++] = DominantLevels::kNoData;
      continue;
    }
    i = firstBeginningAt(iv, p0, i);
    if (i > 0 && iv.end(i - 1) > p0)
      --i;
    bool in_gap = i == n || iv.begin(i) >= p1;
    if (in_gap || (iv.begin(i) <= p0 && iv.end(i) >= p1)) {
      double end   = in_gap ? (i == n ? lv.until() : iv.begin(i)) : std::min(iv.end(i), lv.until());
      int next     = pixelsInside(end, t0_s, dt_s, x, pixels);
      uint8_t cat  = in_gap ? iv.gapCategory() : static_cast<uint8_t>(iv.category(i));
      std::fill(out + x, out + next, cat);
      x = next;
      continue;
    }
    std::size_t end = firstBeginningAt(iv, p1, i);
    out[x++] = end - i > kExactIntervalsPerPixel ? lv.dominantIn(p0, p1) : dominantOfIntervals(iv, i, end, p0, p1);
  }
}
