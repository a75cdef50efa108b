// Laying out a timeline's rows top to bottom, skipping the children of
// collapsed rows.
#include "timeline/timeline_layout.hpp"
#include <algorithm>
#include <cmath>

void TimelineLayout::setModel(const TimelineModel* model)
{
  model_ = model;
  expanded_.clear();
  if (model_) {
    const auto& rows = model_->rows();
    std::vector<int> children(rows.size(), 0);
    for (const auto& r : rows)
      if (r.parent >= 0)
        ++children[static_cast<std::size_t>(r.parent)];
    for (std::size_t r = 0; r < rows.size(); ++r)
      expanded_.push_back(rows[r].kind == TimelineRow::Kind::process || children[r] <= kCollapseAbove);
  }
  relayout();
}

void TimelineLayout::setScale(double scale)
{
  scale_ = std::clamp(scale, 0.5, 4.0);
  relayout();
}

void TimelineLayout::setCompact(bool compact)
{
  compact_ = compact;
  relayout();
}

void TimelineLayout::setExpanded(int row, bool expanded)
{
  if (row < 0 || static_cast<std::size_t>(row) >= expanded_.size())
    return;
  expanded_[static_cast<std::size_t>(row)] = expanded;
  relayout();
}

bool TimelineLayout::isExpanded(int row) const
{
  return row >= 0 && static_cast<std::size_t>(row) < expanded_.size() && expanded_[static_cast<std::size_t>(row)];
}

int TimelineLayout::rowHeight(TimelineRow::Kind kind) const
{
  using K = TimelineRow::Kind;
  int base = 0;
  switch (kind) {
  case K::machine: base = compact_ ? 12 : 34; break;
  case K::process: base = compact_ ? 6 : 22; break;
  case K::lock: base = compact_ ? 8 : 26; break;
  case K::thread: base = compact_ ? 4 : 20; break;
  case K::unit: base = compact_ ? 4 : 16; break;
  }
  return std::max(2, static_cast<int>(std::lround(base * scale_)));
}

void TimelineLayout::relayout()
{
  shown_.clear();
  top_.assign(1, 0);
  if (!model_)
    return;
  const auto& rows = model_->rows();
  std::vector<char> visible(rows.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    int parent = rows[r].parent;
    visible[r] = parent < 0 || (visible[static_cast<std::size_t>(parent)] && expanded_[static_cast<std::size_t>(parent)]);
    if (!visible[r])
      continue;
    shown_.push_back(static_cast<int>(r));
    top_.push_back(top_.back() + rowHeight(rows[r].kind));
  }
}

int TimelineLayout::shownAt(int y) const
{
  if (y < 0 || y >= totalHeight())
    return -1;
  return static_cast<int>(std::upper_bound(top_.begin(), top_.end(), y) - top_.begin()) - 1;
}

int TimelineLayout::shownOf(int row) const
{
  auto it = std::lower_bound(shown_.begin(), shown_.end(), row);
  return it != shown_.end() && *it == row ? static_cast<int>(it - shown_.begin()) : -1;
}
