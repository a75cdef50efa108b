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
  /// with 2 to 4 of them across it, each voting with the time it shares with it.
  uint8_t dominantIn(double p0_s, double p1_s) const;
  std::size_t bytes() const { return dominant_.capacity(); }

private:
  friend class DominantLevelsBuilder;
  std::size_t offset(int level) const;
  double from_s_ = 0, until_s_ = 0, width0_s_ = 1;
  int depth_ = 0, categories_ = 1;
  std::vector<uint8_t> dominant_;
};

/// Sums each category's time per finest bucket from the intervals, then the
/// coarser levels from their halves.
class DominantLevelsBuilder {
public:
  /// About one finest bucket per two intervals, at most 2^kMaxDepth buckets.
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
