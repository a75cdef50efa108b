// The shared time axis of a comparison's timelines: every setter keeps the
// visible range inside the trace and at least kMinVisible_s wide.
#include "timeline/time_axis.hpp"
#include <algorithm>
#include <cmath>

TimeAxis::TimeAxis(QObject* parent) : QObject(parent) {}

void TimeAxis::setTraceRange(double start_s, double end_s)
{
  if (!std::isfinite(start_s) || !std::isfinite(end_s))
    return;
  has_trace_     = true;
  trace_start_s_ = start_s;
  trace_end_s_   = std::max(end_s, start_s + kMinVisible_s);
  cursor_s_      = clampToTrace(cursor_s_);
  clearSelection();
  fit();
  emit cursorChanged();
}

void TimeAxis::includeTraceRange(double start_s, double end_s)
{
  if (has_trace_)
    setTraceRange(std::min(start_s, trace_start_s_), std::max(end_s, trace_end_s_));
  else
    setTraceRange(start_s, end_s);
}

void TimeAxis::setVisibleRange(double start_s, double end_s)
{
  if (!std::isfinite(start_s) || !std::isfinite(end_s))
    return;
  if (end_s < start_s)
    std::swap(start_s, end_s);
  double trace_w = trace_end_s_ - trace_start_s_;
  double width   = std::clamp(end_s - start_s, std::min(kMinVisible_s, trace_w), trace_w);
  double centre  = (start_s + end_s) / 2;
  double start   = std::clamp(centre - width / 2, trace_start_s_, trace_end_s_ - width);
  if (start == visible_start_s_ && start + width == visible_end_s_)
    return;
  visible_start_s_ = start;
  visible_end_s_   = start + width;
  emit visibleChanged();
}

void TimeAxis::setSelection(double a_s, double b_s)
{
  if (!std::isfinite(a_s) || !std::isfinite(b_s))
    return;
  double lo = clampToTrace(std::min(a_s, b_s)), hi = clampToTrace(std::max(a_s, b_s));
  if (lo == selection_start_s_ && hi == selection_end_s_)
    return;
  selection_start_s_ = lo;
  selection_end_s_   = hi;
  emit selectionChanged();
}

void TimeAxis::clearSelection() { setSelection(selection_start_s_, selection_start_s_); }

void TimeAxis::setCursor(double t_s)
{
  if (!std::isfinite(t_s))
    return;
  double t = clampToTrace(t_s);
  if (t == cursor_s_)
    return;
  cursor_s_ = t;
  emit cursorChanged();
}

void TimeAxis::zoomAt(double t_s, double factor)
{
  if (!(factor > 0) || !std::isfinite(factor))
    return;
  double start = t_s - (t_s - visible_start_s_) / factor;
  double end   = t_s + (visible_end_s_ - t_s) / factor;
  double width = std::max(end - start, kMinVisible_s);
  double share = (t_s - visible_start_s_) / visibleWidth();
  setVisibleRange(t_s - share * width, t_s + (1 - share) * width);
}

void TimeAxis::pan(double seconds) { setVisibleRange(visible_start_s_ + seconds, visible_end_s_ + seconds); }

void TimeAxis::fit() { setVisibleRange(trace_start_s_, trace_end_s_); }

void TimeAxis::goTo(double t_s)
{
  double half = visibleWidth() / 2;
  setVisibleRange(t_s - half, t_s + half);
}

double TimeAxis::timeAt(double x, double width_px) const
{
  return visible_start_s_ + x / std::max(width_px, 1.0) * visibleWidth();
}

double TimeAxis::xOf(double t_s, double width_px) const
{
  return (t_s - visible_start_s_) / visibleWidth() * width_px;
}

double TimeAxis::clampToTrace(double t_s) const { return std::clamp(t_s, trace_start_s_, trace_end_s_); }
