#include "stats.hpp"
#include <algorithm>
#include <cmath>

namespace gilsim {

namespace {
constexpr double kMin    = 1e-6;  // 1 µs: the smallest latency resolved
constexpr double kGrowth = 1.01;  // each bucket 1 % wider than the last
const double kLogGrowth  = std::log(kGrowth);
} // namespace

int Histogram::bucket_index(double seconds)
{
  if (seconds <= kMin)
    return 0;
  return 1 + static_cast<int>(std::log(seconds / kMin) / kLogGrowth);
}

double Histogram::bucket_value(int index)
{
  if (index == 0)
    return kMin;
  // geometric middle of [kMin * g^(i-1), kMin * g^i)
  return kMin * std::pow(kGrowth, index - 0.5);
}

void Histogram::add(double seconds)
{
  int i = bucket_index(seconds);
  if (static_cast<std::size_t>(i) >= counts_.size())
    counts_.resize(i + 64, 0);
  ++counts_[i];
  ++count_;
  sum_ += seconds;
  max_ = std::max(max_, seconds);
}

void Histogram::merge(const Histogram& o)
{
  if (o.counts_.size() > counts_.size())
    counts_.resize(o.counts_.size(), 0);
  for (std::size_t i = 0; i < o.counts_.size(); ++i)
    counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
}

double Histogram::quantile(double q) const
{
  if (count_ == 0)
    return 0;
  auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank      = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank)
      return std::min(bucket_value(static_cast<int>(i)), max_);
  }
  return max_;
}

std::map<int, uint64_t> Histogram::buckets() const
{
  std::map<int, uint64_t> m;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i])
      m[static_cast<int>(i)] = counts_[i];
  return m;
}

Histogram Histogram::from(const std::map<int, uint64_t>& buckets, double sum, double max)
{
  Histogram h;
  for (auto [i, c] : buckets) {
    if (static_cast<std::size_t>(i) >= h.counts_.size())
      h.counts_.resize(i + 64, 0);
    h.counts_[i] += c;
    h.count_ += c;
  }
  h.sum_ = sum;
  h.max_ = max;
  return h;
}

void TimeAverage::advance(double t)
{
  double a = std::max(last_t_, from_), b = std::min(t, to_);
  if (b > a)
    area_ += value_ * (b - a);
  last_t_ = t;
}

void TimeAverage::set(double value, double t)
{
  advance(t);
  value_ = value;
}

double TimeAverage::average(double t_end)
{
  advance(t_end);
  double span = std::min(t_end, to_) - from_;
  return span > 0 ? area_ / span : 0;
}

double mean_of(const std::vector<double>& s)
{
  if (s.empty())
    return 0;
  double sum = 0;
  for (double x : s)
    sum += x;
  return sum / s.size();
}

double ci95_half_width(const std::vector<double>& s)
{
  if (s.size() < 2)
    return 0;
  // Student t quantiles t_{0.975, df} for df = 1..30, then the normal value.
  static const double t975[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  std::size_t df = s.size() - 1;
  double t       = df <= 30 ? t975[df - 1] : 1.960;
  double m = mean_of(s), var = 0;
  for (double x : s)
    var += (x - m) * (x - m);
  var /= static_cast<double>(df);
  return t * std::sqrt(var / static_cast<double>(s.size()));
}

} // namespace gilsim
