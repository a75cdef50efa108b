// Statistics a run records: a log-bucketed latency histogram (HDR-style, each
// bucket 1 % wide, so a percentile is within 0.5 % of the exact value), a
// time-weighted average, and Student-t confidence intervals.
#pragma once
#include <cstdint>
#include <map>
#include <vector>

namespace gilsim {

class Histogram {
public:
  void add(double seconds);
  void merge(const Histogram& other);
  /// q in [0,1]; 0 when empty.
  double quantile(double q) const;
  uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / count_ : 0; }
  double max() const { return max_; }
  double sum() const { return sum_; }

  /// Sparse form for serialisation: bucket index -> count.
  std::map<int, uint64_t> buckets() const;
  static Histogram from(const std::map<int, uint64_t>& buckets, double sum, double max);

  static double bucket_value(int index);
  static int bucket_index(double seconds);

private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  double sum_ = 0, max_ = 0;
};

/// The time average of a quantity that changes by steps (number in system, memory),
/// over the window [from, to).
class TimeAverage {
public:
  TimeAverage(double from, double to) : from_(from), to_(to) {}
  void set(double value, double t);
  double average(double t_end);
  /// The integral of the value over the window, up to `t_end`.
  double area(double t_end)
  {
    advance(t_end);
    return area_;
  }
  double value() const { return value_; }

private:
  void advance(double t);
  double from_, to_;
  double value_ = 0, last_t_ = 0, area_ = 0;
};

/// Two-sided 95 % confidence half-width of the mean of `samples` (Student t); 0 for fewer than 2.
double ci95_half_width(const std::vector<double>& samples);
double mean_of(const std::vector<double>& samples);

} // namespace gilsim
