// Building and reading the power-of-two buckets of a lane (see Perfetto's
// mipmaps and Qt Creator's TimelineRenderPass: what falls in one pixel merges).
#include "timeline/levels_of_detail.hpp"
#include <algorithm>
#include <array>
#include <cmath>

std::size_t DominantLevels::offset(int level) const
{
  std::size_t finest = std::size_t{1} << depth_;
  return 2 * finest - 2 * (finest >> level);
}

uint8_t DominantLevels::dominantIn(double p0_s, double p1_s) const
{
  p0_s = std::max(p0_s, from_s_);
  p1_s = std::min(p1_s, until_s_);
  if (!(p1_s > p0_s))
    return kNoData;
  double ratio = (p1_s - p0_s) / (2 * width0_s_);
  int level    = ratio < 2 ? 0 : std::min(depth_, static_cast<int>(std::log2(ratio)));
  double w     = bucketWidth(level);
  std::size_t last_bucket = buckets(level) - 1;
  std::size_t first = std::min(last_bucket, static_cast<std::size_t>((p0_s - from_s_) / w));
  std::size_t last  = std::min(last_bucket, static_cast<std::size_t>((p1_s - from_s_) / w));
  std::array<double, kMaxCategories + 1> votes_s{};
  const uint8_t* row = dominant_.data() + offset(level);
  for (std::size_t b = first; b <= last; ++b) {
    double lo   = from_s_ + static_cast<double>(b) * w;
    int slot    = row[b] == kNoData ? kMaxCategories : row[b];
    votes_s[slot] += std::min(p1_s, lo + w) - std::max(p0_s, lo);
  }
  uint8_t best = kNoData;
  double best_s = 0;
  for (int c = 0; c < categories_; ++c)
    if (votes_s[c] > best_s)
      best_s = votes_s[c], best = static_cast<uint8_t>(c);
  return votes_s[kMaxCategories] > best_s ? kNoData : best;
}

DominantLevelsBuilder::DominantLevelsBuilder(double from_s, double until_s, std::size_t intervals, int categories)
{
  int depth = 0;
  while (depth < kMaxDepth && (std::size_t{1} << depth) * 2 < intervals)
    ++depth;
  levels_.from_s_     = from_s;
  levels_.until_s_    = std::max(until_s, from_s + 1e-12);
  levels_.depth_      = depth;
  levels_.categories_ = categories;
  levels_.width0_s_   = (levels_.until_s_ - from_s) / static_cast<double>(std::size_t{1} << depth);
  slots_              = static_cast<std::size_t>(categories) + 1;
  time_s_.assign((std::size_t{1} << depth) * slots_, 0.0);
}

void DominantLevelsBuilder::addToBucket(std::size_t bucket, double seconds, int category)
{
  time_s_[bucket * slots_ + static_cast<std::size_t>(category)] += seconds;
}

void DominantLevelsBuilder::add(double begin_s, double end_s, int category)
{
  const DominantLevels& lv = levels_;
  begin_s = std::max(begin_s, lv.from_s_);
  end_s   = std::min(end_s, lv.until_s_);
  if (!(end_s > begin_s))
    return;
  std::size_t last_bucket = lv.buckets(0) - 1;
  std::size_t first = std::min(last_bucket, static_cast<std::size_t>((begin_s - lv.from_s_) / lv.width0_s_));
  std::size_t last  = std::min(last_bucket, static_cast<std::size_t>((end_s - lv.from_s_) / lv.width0_s_));
  for (std::size_t b = first; b <= last; ++b) {
    double lo = lv.from_s_ + static_cast<double>(b) * lv.width0_s_;
    double hi = b == last_bucket ? lv.until_s_ : lo + lv.width0_s_;
    double overlap = std::min(end_s, hi) - std::max(begin_s, lo);
    if (overlap > 0)
      addToBucket(b, overlap, category);
  }
}

void DominantLevelsBuilder::storeLevel(std::size_t buckets)
{
  int categories = levels_.categories_;
  for (std::size_t b = 0; b < buckets; ++b) {
    const double* t = &time_s_[b * slots_];
    uint8_t best    = DominantLevels::kNoData;
    double best_s   = 0;
    for (int c = 0; c < categories; ++c)
      if (t[c] > best_s)
        best_s = t[c], best = static_cast<uint8_t>(c);
    levels_.dominant_.push_back(t[categories] > best_s ? DominantLevels::kNoData : best);
  }
}

DominantLevels DominantLevelsBuilder::finish()
{
  std::size_t buckets = levels_.buckets(0);
  levels_.dominant_.reserve(2 * buckets - 1);
  storeLevel(buckets);
  for (; buckets > 1; buckets /= 2) {
    for (std::size_t b = 0; b < buckets / 2; ++b)
      for (std::size_t c = 0; c < slots_; ++c)
        time_s_[b * slots_ + c] = time_s_[2 * b * slots_ + c] + time_s_[(2 * b + 1) * slots_ + c];
    storeLevel(buckets / 2);
  }
  time_s_ = {};
  return std::move(levels_);
}
