// The timeline widget: lanes per process, thread and greenlet, a GIL strip per
// process and the machine's busy cores, on a TimeAxis shared with the other
// timelines of a comparison; zoom, pan, select, hover, click a request, jump.
#pragma once
#include "timeline/time_axis.hpp"
#include "timeline/timeline_layout.hpp"
#include "timeline/timeline_model.hpp"
#include "timeline/timeline_renderer.hpp"
#include <QList>
#include <QPair>
#include <QWidget>
#include <memory>

class QScrollBar;

class TimelineView : public QWidget {
  Q_OBJECT
public:
  using Direction = TimelineModel::Direction;
  static constexpr int64_t kNoRequest = -1;

  explicit TimelineView(TimeAxis* axis, QWidget* parent = nullptr);

  /// Shows `model`, widening the axis's trace range to its window.
  void setModel(std::shared_ptr<const TimelineModel> model);
  std::shared_ptr<const TimelineModel> model() const { return model_; }
  TimeAxis* axis() const { return axis_; }
  void setTitle(const QString& title);
  QString title() const { return title_; }
  /// Larger fonts and rows for a projector (1 normal, 1.5 or 2 in a lecture hall).
  void setPresenterScale(double scale);
  double presenterScale() const { return scale_; }
  /// State rows a few pixels high: a whole server at once.
  void setCompact(bool compact);
  /// The label column this view's rows need (its title is elided to fit).
  int preferredLabelWidth() const { return preferred_label_width_; }
  /// Views stacked on one axis share one label column, so that an instant sits
  /// at the same x in each (px <= 0: this view's own).
  void setLabelWidth(int px);

  void setExpanded(int lane, bool expanded);
  bool isExpanded(int lane) const;
  const TimelineLayout& layout() const { return layout_; }

  int selectedLane() const { return selected_lane_; }
  void setSelectedLane(int lane);
  /// Lights up a request's intervals across the lanes (others dim) and emits requestSelected.
  void selectRequest(uint32_t id);
  void clearRequest();
  int64_t selectedRequest() const { return request_; }

  /// Moves the cursor to the next (or previous) event and centres it.
  void jumpToNextWorkerEvent(Direction d = Direction::forward);  ///< a worker born or died
  void jumpToNextDropRequest(Direction d = Direction::forward);  ///< of the selected lane's process
  void jumpToNextRequest(Direction d = Direction::forward);      ///< on the selected lane

  /// Where the lanes are drawn, and the time at an x of the widget and back.
  QRect plotRect() const;
  double timeAt(double x) const;
  double xOf(double t_s) const;
  /// The widget y at which a lane's row is shown, -1 when hidden.
  int yOfLane(int lane) const;
  /// Scrolls the lanes so that model row `row` comes first (as far as the scroll bar goes).
  void scrollToRow(int row);

  /// Key and mouse bindings, for the Help menu: {keys, what they do}.
  static QList<QPair<QString, QString>> shortcuts();
  /// A legend of the state and lock colours to show beside the timelines.
  static QWidget* makeLegend(QWidget* parent = nullptr);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

signals:
  void requestSelected(uint32_t id, QString lifeSummary);
  void rangeStats(QString text);
  void laneSelected(int lane);
  void statusMessage(QString text);
  void preferredLabelWidthChanged();

protected:
  bool event(QEvent* e) override;
  void paintEvent(QPaintEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;

private:
  enum class Drag { none, pan, select };
  int rulerHeight() const;
  int scrollY() const;
  void relayout();
  void paintRuler(QPainter& p);
  void paintLabels(QPainter& p);
  void paintLabel(QPainter& p, int shown, const QRect& box);
  void paintOverlays(QPainter& p);
  QString labelText(const TimelineRow& row) const;
  QRect triangleRect(const TimelineRow& row, const QRect& box) const;
  int shownAtY(int y) const;
  QString tooltipAt(const QPoint& pos) const;
  QString stateTooltip(const TimelineRow& row, double t_s) const;
  QString lockTooltip(const TimelineRow& row, double t_s) const;
  QString processTooltip(const TimelineRow& row, double t_s) const;
  void clickAt(const QPoint& pos);
  void clickLabel(const QPoint& pos);
  void emitRangeStats();
  void zoomAtKeyboard(double factor);
  void jumpTo(double t_s, const QString& what);
  bool handleJumpKey(QKeyEvent* e);
  bool handleNavigationKey(QKeyEvent* e);
  void moveSelectedLane(int step);

  TimeAxis* axis_;
  std::shared_ptr<const TimelineModel> model_;
  TimelineLayout layout_;
  TimelineRenderer renderer_;
  QImage image_;
  QScrollBar* vscroll_;
  QString title_;
  double scale_ = 1;
  int label_width_ = 160;
  int preferred_label_width_ = 160;
  int shared_label_width_    = 0;   ///< set by the stack (0: none)
  int selected_lane_ = -1;
  int64_t request_ = kNoRequest;
  std::vector<RequestSpan> request_spans_;
  std::vector<HoldSpan> request_holds_;
  Drag drag_ = Drag::none;
  QPoint press_pos_;
  double press_visible_start_s_ = 0, anchor_s_ = 0;
  bool moved_ = false;
};
