// The one zoom, selection and cursor controller of a comparison: every
// timeline of it follows the same axis, so their times line up (Qt Creator's
// TimelineZoomControl: trace range, visible range, selection, cursor).
#pragma once
#include <QObject>

class TimeAxis : public QObject {
  Q_OBJECT
public:
  static constexpr double kMinVisible_s = 1e-8; ///< the deepest zoom: 10 ns across the view

  explicit TimeAxis(QObject* parent = nullptr);

  double traceStart() const { return trace_start_s_; }
  double traceEnd() const { return trace_end_s_; }
  double visibleStart() const { return visible_start_s_; }
  double visibleEnd() const { return visible_end_s_; }
  double visibleWidth() const { return visible_end_s_ - visible_start_s_; }
  double selectionStart() const { return selection_start_s_; }
  double selectionEnd() const { return selection_end_s_; }
  bool hasSelection() const { return selection_end_s_ > selection_start_s_; }
  double cursor() const { return cursor_s_; }

  /// The times the traces cover; shows all of it, clears the selection.
  void setTraceRange(double start_s, double end_s);
  /// Widens the trace range to hold [start, end] too (the first call sets it): one axis, several traces.
  void includeTraceRange(double start_s, double end_s);
  /// Shows [start, end], narrowed to the trace and widened to kMinVisible_s.
  void setVisibleRange(double start_s, double end_s);
  void setSelection(double a_s, double b_s);
  void clearSelection();
  void setCursor(double t_s);

  /// Zooms in by `factor` (> 1 in, < 1 out) keeping time t where it is on screen.
  void zoomAt(double t_s, double factor);
  void pan(double seconds);
  void fit();
  /// Centres t keeping the zoom.
  void goTo(double t_s);

  /// The time at x of a view `width_px` wide, and back.
  double timeAt(double x, double width_px) const;
  double xOf(double t_s, double width_px) const;

signals:
  void visibleChanged();
  void selectionChanged();
  void cursorChanged();

private:
  double clampToTrace(double t_s) const;
  bool has_trace_ = false;
  double trace_start_s_ = 0, trace_end_s_ = 1;
  double visible_start_s_ = 0, visible_end_s_ = 1;
  double selection_start_s_ = 0, selection_end_s_ = 0;
  double cursor_s_ = 0;
};
