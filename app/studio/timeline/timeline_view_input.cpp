// How the timeline widget answers the mouse and the keyboard: zoom at the
// mouse, pan, select a range, hover tooltips, click a request, jump to events.
#include "timeline/time_format.hpp"
#include "timeline/timeline_view.hpp"
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

using Kind = TimelineRow::Kind;

namespace {

constexpr double kWheelZoomPerDegree = 1.025; ///< a notch is 15°: 1.45× a notch
constexpr double kKeyZoom            = 1.5;
constexpr double kKeyPanShare        = 0.15;   ///< of the visible width
constexpr int kClickSlopPx           = 4;

} // namespace

bool TimelineView::event(QEvent* e)
{
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    QString text = tooltipAt(help->pos());
    if (text.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  return QWidget::event(e);
}

void TimelineView::wheelEvent(QWheelEvent* e)
{
  QPoint delta = e->angleDelta();
  if (e->modifiers() & Qt::ShiftModifier) {
    vscroll_->setValue(vscroll_->value() - (delta.y() + delta.x()) * layout_.rowHeight(Kind::thread) / 40);
  } else if (std::abs(delta.x()) > std::abs(delta.y())) {
    axis_->pan(-delta.x() / 120.0 * kKeyPanShare * axis_->visibleWidth());
  } else {
    double x = e->position().x();
    double t = plotRect().contains(e->position().toPoint()) ? timeAt(x) : (axis_->visibleStart() + axis_->visibleEnd()) / 2;
    axis_->zoomAt(t, std::pow(kWheelZoomPerDegree, delta.y() / 8.0));
  }
  e->accept();
}

void TimelineView::zoomAtKeyboard(double factor)
{
  QPoint mouse = mapFromGlobal(QCursor::pos());
  double t = plotRect().contains(mouse) ? timeAt(mouse.x()) : (axis_->visibleStart() + axis_->visibleEnd()) / 2;
  axis_->zoomAt(t, factor);
}

bool TimelineView::handleNavigationKey(QKeyEvent* e)
{
  double pan = kKeyPanShare * axis_->visibleWidth();
  switch (e->key()) {
  case Qt::Key_W: case Qt::Key_Plus: case Qt::Key_Equal: zoomAtKeyboard(kKeyZoom); return true;
  case Qt::Key_S: case Qt::Key_Minus: zoomAtKeyboard(1 / kKeyZoom); return true;
  case Qt::Key_A: case Qt::Key_Left: axis_->pan(-pan); return true;
  case Qt::Key_D: case Qt::Key_Right: axis_->pan(pan); return true;
  case Qt::Key_F: axis_->fit(); return true;
  case Qt::Key_Home: axis_->setVisibleRange(axis_->traceStart(), axis_->traceStart() + axis_->visibleWidth()); return true;
  case Qt::Key_End: axis_->setVisibleRange(axis_->traceEnd() - axis_->visibleWidth(), axis_->traceEnd()); return true;
  case Qt::Key_PageUp: vscroll_->setValue(vscroll_->value() - vscroll_->pageStep()); return true;
  case Qt::Key_PageDown: vscroll_->setValue(vscroll_->value() + vscroll_->pageStep()); return true;
  case Qt::Key_Up: moveSelectedLane(-1); return true;
  case Qt::Key_Down: moveSelectedLane(1); return true;
  case Qt::Key_Escape: axis_->clearSelection(); clearRequest(); return true;
  default: return false;
  }
}

bool TimelineView::handleJumpKey(QKeyEvent* e)
{
  Direction d = e->modifiers() & Qt::ShiftModifier ? Direction::backward : Direction::forward;
  switch (e->key()) {
  case Qt::Key_K: jumpToNextWorkerEvent(d); return true;
  case Qt::Key_R: jumpToNextDropRequest(d); return true;
  case Qt::Key_N: jumpToNextRequest(d); return true;
  default: return false;
  }
}

void TimelineView::keyPressEvent(QKeyEvent* e)
{
  if (model_ && (handleNavigationKey(e) || handleJumpKey(e)))
    e->accept();
  else
    QWidget::keyPressEvent(e);
}

void TimelineView::moveSelectedLane(int step)
{
  int shown = model_ && selected_lane_ >= 0 ? layout_.shownOf(model_->rowOfLane(selected_lane_)) : -1;
  for (int s = shown + step; s >= 0 && s < layout_.count(); s += step) {
    const TimelineRow& r = model_->rows()[static_cast<std::size_t>(layout_.row(s))];
    if (r.lane >= 0 && r.kind != Kind::lock) {
      setSelectedLane(r.lane);
      int y = layout_.top(s);
      if (y < vscroll_->value() || y + layout_.height(s) > vscroll_->value() + plotRect().height())
        vscroll_->setValue(y - plotRect().height() / 2);
      return;
    }
  }
}

void TimelineView::jumpTo(double t_s, const QString& what)
{
  if (std::isnan(t_s)) {
    emit statusMessage(tr("No %1 from %2 on").arg(what, formatDuration(axis_->cursor())));
    return;
  }
  axis_->setCursor(t_s);
  axis_->goTo(t_s);
  emit statusMessage(tr("%1 at %2").arg(what, formatDuration(t_s)));
}

void TimelineView::jumpToNextWorkerEvent(Direction d)
{
  if (!model_)
    return;
  double t = model_->nextWorkerEvent(axis_->cursor(), d);
  jumpTo(t, std::isnan(t) ? tr("worker born or died") : model_->workerEventsAt(t));
}

void TimelineView::jumpToNextDropRequest(Direction d)
{
  if (model_)
    jumpTo(model_->nextDropRequest(axis_->cursor(), selected_lane_, d), tr("GIL drop request"));
}

void TimelineView::jumpToNextRequest(Direction d)
{
  if (!model_)
    return;
  int lane = selected_lane_;
  if (!model_->hasStates(lane)) {
    std::vector<int> lanes = model_->stateLanes();
    lane = lanes.empty() ? -1 : lanes.front();
  }
  jumpTo(model_->nextRequestStart(lane, axis_->cursor(), d), tr("request start"));
}

void TimelineView::mousePressEvent(QMouseEvent* e)
{
  if (e->button() != Qt::LeftButton || !model_)
    return QWidget::mousePressEvent(e);
  press_pos_ = e->position().toPoint();
  moved_     = false;
  if (press_pos_.x() < label_width_ && press_pos_.y() >= rulerHeight()) {
    clickLabel(press_pos_);
    drag_ = Drag::none;
  } else if (press_pos_.y() < rulerHeight() || (e->modifiers() & Qt::ShiftModifier)) {
    drag_     = Drag::select;
    anchor_s_ = timeAt(press_pos_.x());
  } else {
    drag_ = Drag::pan;
    press_visible_start_s_ = axis_->visibleStart();
  }
  e->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent* e)
{
  QPoint pos = e->position().toPoint();
  if ((pos - press_pos_).manhattanLength() > kClickSlopPx)
    moved_ = true;
  if (drag_ == Drag::pan && moved_) {
    double per_px = axis_->visibleWidth() / plotRect().width();
    double start  = press_visible_start_s_ - (pos.x() - press_pos_.x()) * per_px;
    axis_->setVisibleRange(start, start + axis_->visibleWidth());
  } else if (drag_ == Drag::select && moved_) {
    axis_->setSelection(anchor_s_, timeAt(pos.x()));
  }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* e)
{
  if (e->button() != Qt::LeftButton)
    return QWidget::mouseReleaseEvent(e);
  if (drag_ == Drag::select && moved_)
    emitRangeStats();
  else if (drag_ == Drag::select)
    axis_->clearSelection();
  else if (drag_ == Drag::pan && !moved_)
    clickAt(e->position().toPoint());
  drag_ = Drag::none;
}

void TimelineView::emitRangeStats()
{
  std::vector<int> lanes;
  for (int s = 0; s < layout_.count(); ++s) {
    const TimelineRow& r = model_->rows()[static_cast<std::size_t>(layout_.row(s))];
    if ((r.kind == Kind::thread || r.kind == Kind::unit) && model_->hasStates(r.lane))
      lanes.push_back(r.lane);
  }
  emit rangeStats(model_->rangeStats(axis_->selectionStart(), axis_->selectionEnd(), lanes).text());
}

void TimelineView::clickLabel(const QPoint& pos)
{
  int shown = shownAtY(pos.y());
  if (shown < 0)
    return;
  int row = layout_.row(shown);
  const TimelineRow& r = model_->rows()[static_cast<std::size_t>(row)];
  QRect box(0, rulerHeight() + layout_.top(shown) - scrollY(), label_width_, layout_.height(shown));
  if (r.hasChildren && triangleRect(r, box).adjusted(-4, -4, 4, 4).contains(pos)) {
    layout_.setExpanded(row, !layout_.isExpanded(row));
    relayout();
  } else if (r.lane >= 0 && r.kind != Kind::lock) {
    setSelectedLane(r.lane);
  }
}

void TimelineView::clickAt(const QPoint& pos)
{
  int shown = shownAtY(pos.y());
  if (shown < 0)
    return clearRequest();
  const TimelineRow& r = model_->rows()[static_cast<std::size_t>(layout_.row(shown))];
  if (r.kind == Kind::lock || r.lane < 0)
    return clearRequest();
  setSelectedLane(r.lane);
  long i = model_->intervalAt(r.lane, timeAt(pos.x()));
  uint32_t tag = i < 0 ? 0 : model_->trace().states[static_cast<std::size_t>(r.lane)].request[static_cast<std::size_t>(i)];
  if (tag == 0)
    return clearRequest();
  selectRequest(tag - 1);
}

QString TimelineView::stateTooltip(const TimelineRow& r, double t_s) const
{
  long i = model_->intervalAt(r.lane, t_s);
  const auto& lanes = model_->trace().lanes;
  int process = model_->processLaneOf(r.lane);
  QString where = process >= 0 && process != r.lane ? QStringLiteral(" (%1)").arg(QString::fromStdString(lanes[static_cast<std::size_t>(process)].name)) : QString();
  QString text = QStringLiteral("<b>%1</b>%2").arg(r.label.toHtmlEscaped(), where.toHtmlEscaped());
  if (i < 0 || t_s > model_->until())
    return text + tr("<br>no data here");
  const auto& s = model_->trace().states[static_cast<std::size_t>(r.lane)];
  double start = s.start[static_cast<std::size_t>(i)], end = model_->intervalEnd(r.lane, i);
  text += QStringLiteral("<br>%1<br>from %2 for %3").arg(TimelineModel::stateName(s.state[static_cast<std::size_t>(i)]),
                                                        formatTick(start, 1e-6, start), formatDuration(end - start));
  uint32_t tag = s.request[static_cast<std::size_t>(i)];
  if (tag != 0) {
    const auto* life = model_->request(tag - 1);
    text += tr("<br>request %1").arg(tag - 1);
    if (life)
      text += QStringLiteral(" · %1").arg(model_->endpointName(life->endpoint).toHtmlEscaped());
  }
  return text;
}

QString TimelineView::lockTooltip(const TimelineRow& r, double t_s) const
{
  long h = model_->holdAt(r.lock, t_s);
  QString text = tr("<b>GIL</b> of %1").arg(QString::fromStdString(model_->trace().lanes[static_cast<std::size_t>(r.lane)].name));
  if (h < 0)
    return text + tr("<br>free");
  const auto& hold = model_->trace().locks[static_cast<std::size_t>(r.lock)].holds[static_cast<std::size_t>(h)];
  return text + tr("<br>held by %1<br>from %2 for %3")
                    .arg(QString::fromStdString(model_->trace().lanes[hold.lane].name), formatTick(hold.start_s, 1e-6, hold.start_s),
                         formatDuration(hold.end_s - hold.start_s));
}

QString TimelineView::processTooltip(const TimelineRow& r, double t_s) const
{
  QString text = QStringLiteral("<b>%1</b>").arg(r.label.toHtmlEscaped());
  double within_s = (layout_.rowHeight(Kind::process) * 0.3 + 2) * axis_->visibleWidth() / plotRect().width();
  const auto* mark = model_->workerMarkNear(r.lane, t_s, within_s);
  if (mark)
    text += tr("<br>worker %1 %2 at %3").arg(mark->number).arg(TimelineModel::workerEventName(mark->event), formatTick(mark->t_s, 1e-6, mark->t_s));
  return text;
}

QString TimelineView::tooltipAt(const QPoint& pos) const
{
  if (!model_ || !plotRect().contains(pos))
    return {};
  int shown = shownAtY(pos.y());
  if (shown < 0)
    return {};
  const TimelineRow& r = model_->rows()[static_cast<std::size_t>(layout_.row(shown))];
  double t = timeAt(pos.x());
  switch (r.kind) {
  case Kind::machine:
    return tr("<b>machine</b><br>%1 runnable threads on %2 cores at %3")
        .arg(model_->runnableAt(t)).arg(model_->cores()).arg(formatTick(t, axis_->visibleWidth() / 1000, t));
  case Kind::lock: return lockTooltip(r, t);
  case Kind::process: return processTooltip(r, t);
  default: return stateTooltip(r, t);
  }
}
