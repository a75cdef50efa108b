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

int DominantLevels::levelFor(double pixel_s) const
{
  double ratio = pixel_s / width0_s_;
  return ratio < 2 ? 0 : std::min(depth_, static_cast<int>(std::log2(ratio)));
}

uint8_t DominantLevels::voteFew(const uint8_t* bucket, std::size_t count, double first_share, double last_share)
{
  std::array<double, kFewBuckets> weight;
  for (std::size_t i = 0; i < count; ++i)
    weight[i] = i == 0 ? first_share : i + 1 == count ? last_share : 1.0;
  uint8_t best = kNoData;
  double best_sum = -1;
  for (std::size_t i = 0; i < count; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < count; ++j)
      sum += bucket[j] == bucket[i] ? weight[j] : 0;
    bool better = sum > best_sum || (sum == best_sum && best == kNoData);
    if (better)
      best_sum = sum, best = bucket[i];
  }
  return best;
}

uint8_t DominantLevels::vote(const uint8_t* row, std::size_t buckets, double f0, double f1) const
{
  auto b0 = static_cast<std::size_t>(f0), b1 = std::min(static_cast<std::size_t>(f1), buckets - 1);
  if (b0 >= b1)
    return row[std::min(b0, buckets - 1)];
  if (b1 - b0 < kFewBuckets)
    return voteFew(row + b0, b1 - b0 + 1, static_cast<double>(b0 + 1) - f0, f1 - static_cast<double>(b1));
  std::array<float, kMaxCategories + 1> votes{};
  auto slot = [](uint8_t c) { return c == kNoData ? kMaxCategories : c; };
  votes[slot(row[b0])] += static_cast<float>(static_cast<double>(b0 + 1) - f0);
  for (std::size_t b = b0 + 1; b < b1; ++b)
    votes[slot(row[b])] += 1;
  votes[slot(row[b1])] += static_cast<float>(f1 - static_cast<double>(b1));
  uint8_t best = kNoData;
  float best_votes = 0;
  for (int c = 0; c < categories_; ++c)
    if (votes[c] > best_votes)
      best_votes = votes[c], best = static_cast<uint8_t>(c);
  return votes[kMaxCategories] > best_votes ? kNoData : best;
}

uint8_t DominantLevels::dominantIn(double p0_s, double p1_s) const
{
  p0_s = std::max(p0_s, from_s_);
  p1_s = std::min(p1_s, until_s_);
  if (!(p1_s > p0_s))
    return kNoData;
  int level = levelFor(p1_s - p0_s);
  double w  = bucketWidth(level);
  return vote(dominant_.data() + offset(level), buckets(level), (p0_s - from_s_) / w, (p1_s - from_s_) / w);
}

void DominantLevels::sampleRow(double t0_s, double dt_s, int pixels, uint8_t* out) const
{
  int level            = levelFor(dt_s);
  double per_bucket    = 1 / bucketWidth(level);
  std::size_t n        = buckets(level);
  const uint8_t* row   = dominant_.data() + offset(level);
  for (int x = 0; x < pixels; ++x) {
    double p0 = std::max(t0_s + x * dt_s, from_s_), p1 = std::min(t0_s + (x + 1) * dt_s, until_s_);
    out[x] = p1 > p0 ? vote(row, n, (p0 - from_s_) * per_bucket, (p1 - from_s_) * per_bucket) : kNoData;
  }
}

DominantLevelsBuilder::DominantLevelsBuilder(double from_s, double until_s, std::size_t intervals, int categories)
{
  int depth = 0;
  while (depth < kMaxDepth && (std::size_t{1} << depth) < intervals)
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

std::size_t MeanLevels::offset(int level) const
{
  std::size_t finest = std::size_t{1} << depth_;
  return 2 * finest - 2 * (finest >> level);
}

void MeanLevels::build(const std::vector<double>& t_s, const std::vector<double>& value, double from_s, double until_s,
                       double full)
{
  depth_ = 0;
  while (depth_ < DominantLevelsBuilder::kMaxDepth && (std::size_t{1} << depth_) < t_s.size())
    ++depth_;
  from_s_   = from_s;
  until_s_  = std::max(until_s, from_s + 1e-12);
  full_     = std::max(full, 1e-12);
  width0_s_ = (until_s_ - from_s_) / static_cast<double>(std::size_t{1} << depth_);
  std::vector<double> area(std::size_t{1} << depth_, 0.0);
  for (std::size_t k = 0; k < t_s.size(); ++k) {
    double b = std::max(t_s[k], from_s_), e = std::min(k + 1 < t_s.size() ? t_s[k + 1] : until_s_, until_s_);
    for (double at = b; at < e;) {
      auto bucket = std::min(area.size() - 1, static_cast<std::size_t>((at - from_s_) / width0_s_));
      double hi   = bucket + 1 == area.size() ? e : std::min(e, from_s_ + (bucket + 1) * width0_s_);
      area[bucket] += std::min(value[k], full_) * (hi - at);
      at = hi > at ? hi : e;
    }
  }
  mean_.clear();
  mean_.reserve(2 * area.size() - 1);
  for (std::size_t n = area.size(), level = 0;; n /= 2, ++level) {
    double w = width0_s_ * static_cast<double>(std::size_t{1} << level);
    for (std::size_t b = 0; b < n; ++b)
      mean_.push_back(static_cast<uint8_t>(std::lround(std::clamp(area[b] / w / full_, 0.0, 1.0) * 255)));
    if (n == 1)
      break;
    for (std::size_t b = 0; b < n / 2; ++b)
      area[b] = area[2 * b] + area[2 * b + 1];
  }
}

float MeanLevels::bucketsMean(int level, double p0_s, double p1_s) const
{
  double w = width0_s_ * static_cast<double>(std::size_t{1} << level);
  std::size_t n = (std::size_t{1} << depth_) >> level;
  const uint8_t* row = mean_.data() + offset(level);
  double f0 = (p0_s - from_s_) / w, f1 = (p1_s - from_s_) / w, sum = 0;
  auto b0 = std::min(static_cast<std::size_t>(f0), n - 1), b1 = std::min(static_cast<std::size_t>(f1), n - 1);
  for (std::size_t b = b0; b <= b1; ++b)
    sum += row[b] * (std::min(f1, static_cast<double>(b + 1)) - std::max(f0, static_cast<double>(b)));
  return static_cast<float>(sum / std::max(f1 - f0, 1e-12) / 255 * full_);
}

float MeanLevels::exactMean(const std::vector<double>& t_s, const std::vector<double>& value, double p0_s, double p1_s,
                            std::size_t& hint) const
{
  while (hint < t_s.size() && t_s[hint] <= p0_s)
    ++hint;
  double sum = 0, at = p0_s;
  for (std::size_t k = hint; at < p1_s; ++k) {
    double next = k < t_s.size() ? std::min(t_s[k], p1_s) : p1_s;
    sum += (k > 0 ? std::min(value[k - 1], full_) : 0) * (next - at);
    at = next;
  }
  return static_cast<float>(sum / (p1_s - p0_s));
}

void MeanLevels::sampleRow(const std::vector<double>& t_s, const std::vector<double>& value, double t0_s, double dt_s,
                           int pixels, float* out) const
{
  double ratio = dt_s / (2 * width0_s_);
  int level    = std::min(depth_, static_cast<int>(std::log2(std::max(ratio, 1.0))));
  bool exact   = ratio < 1;
  std::size_t hint = static_cast<std::size_t>(std::upper_bound(t_s.begin(), t_s.end(), std::max(t0_s, from_s_)) - t_s.begin());
  hint = hint > 0 ? hint - 1 : 0;
  for (int x = 0; x < pixels; ++x) {
    double p0 = std::max(t0_s + x * dt_s, from_s_), p1 = std::min(t0_s + (x + 1) * dt_s, until_s_);
    out[x] = !(p1 > p0) ? 0.0f : exact ? exactMean(t_s, value, p0, p1, hint) : bucketsMean(level, p0, p1);
  }
}
