// A trace's lane states and lock holds seen as sorted runs of categorised
// intervals, the shape DominantLevelsBuilder and sampleDominant read.
#pragma once
#include "engine/trace_file.hpp"
#include "timeline/levels_of_detail.hpp"

/// Interval i of a lane runs from start[i] to start[i + 1], the last one to the window's end.
struct LaneIntervals {
  const gilsim::trace::LaneStates& s;
  double until_s;
  std::size_t size() const { return s.start.size(); }
  double begin(std::size_t i) const { return s.start[i]; }
  double end(std::size_t i) const { return i + 1 < s.start.size() ? s.start[i + 1] : until_s; }
  int category(std::size_t i) const { return static_cast<int>(s.state[i]); }
  int categories() const { return gilsim::trace_format::kStates; }
  uint8_t gapCategory() const { return DominantLevels::kNoData; }
};

/// A lock's holds; between them the lock is free (category 0), held ones are 1 + the holder's colour.
struct HoldIntervals {
  const std::vector<gilsim::trace::Hold>& holds;
  const std::vector<uint8_t>& holder_colour;
  int colours;
  std::size_t size() const { return holds.size(); }
  double begin(std::size_t i) const { return holds[i].start_s; }
  double end(std::size_t i) const { return holds[i].end_s; }
  int category(std::size_t i) const { return 1 + holder_colour[holds[i].lane]; }
  int categories() const { return 1 + colours; }
  uint8_t gapCategory() const { return 0; }
};
