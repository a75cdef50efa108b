// Which of a model's rows a view shows (collapsed processes and threads hide
// their children) and where: each row's top and height, the row under a y.
#pragma once
#include "timeline/timeline_model.hpp"
#include <vector>

class TimelineLayout {
public:
  /// Threads with more children than this start collapsed.
  static constexpr int kCollapseAbove = 16;

  void setModel(const TimelineModel* model);
  /// Row heights are multiplied by `scale` (presenter mode); `compact` squeezes state rows to a few pixels.
  void setScale(double scale);
  void setCompact(bool compact);

  void setExpanded(int row, bool expanded);
  bool isExpanded(int row) const;

  int count() const { return static_cast<int>(shown_.size()); }   ///< rows shown
  int row(int shown) const { return shown_[static_cast<std::size_t>(shown)]; } ///< the model's row index
  int top(int shown) const { return top_[static_cast<std::size_t>(shown)]; }
  int height(int shown) const { return top_[static_cast<std::size_t>(shown) + 1] - top(shown); }
  int totalHeight() const { return top_.empty() ? 0 : top_.back(); }
  /// The shown row at y (0 at the first row's top), -1 if none.
  int shownAt(int y) const;
  /// Where a model row is shown, -1 if hidden.
  int shownOf(int row) const;
  int rowHeight(TimelineRow::Kind kind) const;

private:
  void relayout();
  const TimelineModel* model_ = nullptr;
  double scale_ = 1;
  bool compact_ = false;
  std::vector<char> expanded_;
  std::vector<int> shown_, top_;
};
