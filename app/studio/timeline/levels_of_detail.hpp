// Levels of detail of one lane: power-of-two time buckets, each knowing the
// category (a state, or a lock holder's colour) with the most time in it, so a
// pixel costs a few byte reads however many intervals fall under it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

/// The dominant category of every bucket, level 0 the finest (2^depth buckets), the last one bucket.
class DominantLevels {
public:
  static constexpr uint8_t kNoData = 255;
  static constexpr int kMaxCategories = 15;

  int levels() const { return depth_ + 1; }
  double bucketWidth(int level) const { return width0_s_ * static_cast<double>(std::size_t{1} << level); }
  std::size_t buckets(int level) const { return std::size_t{1} << (depth_ - level); }
  uint8_t dominant(int level, std::size_t bucket) const { return dominant_[offset(level) + bucket]; }
  double from() const { return from_s_; }
  double until() const { return until_s_; }

  /// The category with the most time in [p0, p1], from the buckets of the level
  /// with 1 to 2 of them across it, each voting with the time it shares with it.
  uint8_t dominantIn(double p0_s, double p1_s) const;
  /// dominantIn for each pixel [t0 + x dt, t0 + (x + 1) dt) of a row.
  void sampleRow(double t0_s, double dt_s, int pixels, uint8_t* out) const;
  std::size_t bytes() const { return dominant_.capacity(); }

private:
  friend class DominantLevelsBuilder;
  std::size_t offset(int level) const;
  int levelFor(double pixel_s) const;
  /// Up to this many buckets under a pixel vote without a table of categories.
  static constexpr std::size_t kFewBuckets = 4;
  static uint8_t voteFew(const uint8_t* bucket, std::size_t count, double first_share, double last_share);
  /// The dominant category of the buckets [f0, f1) of a level, in bucket units (f1 - f0 >= 1).
  uint8_t vote(const uint8_t* row, std::size_t buckets, double f0, double f1) const;
  double from_s_ = 0, until_s_ = 0, width0_s_ = 1;
  int depth_ = 0, categories_ = 1;
  std::vector<uint8_t> dominant_;
};

/// Sums each category's time per finest bucket from the intervals, then the
/// coarser levels from their halves.
class DominantLevelsBuilder {
public:
  /// About one finest bucket per interval, at most 2^kMaxDepth buckets.
  static constexpr int kMaxDepth = 19;
  DominantLevelsBuilder(double from_s, double until_s, std::size_t intervals, int categories);
  /// Time [begin, end) in `category` (0..categories-1, or categories for "no data").
  void add(double begin_s, double end_s, int category);
  DominantLevels finish();

private:
  void addToBucket(std::size_t bucket, double seconds, int category);
  void storeLevel(std::size_t buckets);
  DominantLevels levels_;
  std::size_t slots_;
  std::vector<double> time_s_; ///< per finest bucket, per category including "no data"
};

/// The mean of a step function (the machine's busy cores) over every power-of-two
/// bucket, in 1/255ths of its full value: one byte a bucket.
class MeanLevels {
public:
  /// value[k] holds from t[k] to t[k + 1] (0 before the first); values above `full` count as `full`.
  void build(const std::vector<double>& t_s, const std::vector<double>& value, double from_s, double until_s, double full);
  /// The mean over each pixel [t0 + x dt, t0 + (x + 1) dt): from the samples while a
  /// pixel holds few, from the buckets once it holds more.
  void sampleRow(const std::vector<double>& t_s, const std::vector<double>& value, double t0_s, double dt_s, int pixels,
                 float* out) const;
  std::size_t bytes() const { return mean_.capacity(); }

private:
  std::size_t offset(int level) const;
  float bucketsMean(int level, double p0_s, double p1_s) const;
  float exactMean(const std::vector<double>& t_s, const std::vector<double>& value, double p0_s, double p1_s,
                  std::size_t& hint) const;
  double from_s_ = 0, until_s_ = 1, width0_s_ = 1, full_ = 1;
  int depth_ = 0;
  std::vector<uint8_t> mean_;
};
