// The timeline widget's state and painting: lanes from TimelineRenderer, the
// labels column with expand triangles, the ruler, selection and cursor.
#include "timeline/timeline_view.hpp"
#include "timeline/time_format.hpp"
#include "timeline/timeline_palette.hpp"
#include <QApplication>
#include <QPainter>
#include <QScrollBar>
#include <cmath>

using Kind = TimelineRow::Kind;

namespace {

constexpr int kIndentPx = 14;
constexpr int kLabelPadPx = 6;
constexpr double kMinTickSpacingPx = 90;

} // namespace

TimelineView::TimelineView(TimeAxis* axis, QWidget* parent) : QWidget(parent), axis_(axis)
{
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  vscroll_ = new QScrollBar(Qt::Vertical, this);
  connect(vscroll_, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxis::visibleChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxis::selectionChanged, this, qOverload<>(&QWidget::update));
  connect(axis_, &TimeAxis::cursorChanged, this, qOverload<>(&QWidget::update));
  relayout();
}

void TimelineView::setModel(std::shared_ptr<const TimelineModel> model)
{
  model_ = std::move(model);
  layout_.setModel(model_.get());
  selected_lane_ = -1;
  request_       = kNoRequest;
  request_spans_.clear();
  request_holds_.clear();
  if (model_)
    axis_->includeTraceRange(model_->from(), model_->until());
  relayout();
}

void TimelineView::setTitle(const QString& title)
{
  title_ = title;
  update();
}

void TimelineView::setPresenterScale(double scale)
{
  scale_ = std::clamp(scale, 0.5, 4.0);
  QFont f = font();
  f.setPointSizeF(QApplication::font().pointSizeF() * scale_);
  setFont(f);
  layout_.setScale(scale_);
  relayout();
}

void TimelineView::setCompact(bool compact)
{
  layout_.setCompact(compact);
  relayout();
}

void TimelineView::setExpanded(int lane, bool expanded)
{
  if (!model_)
    return;
  layout_.setExpanded(model_->rowOfLane(lane), expanded);
  relayout();
}

bool TimelineView::isExpanded(int lane) const { return model_ && layout_.isExpanded(model_->rowOfLane(lane)); }

void TimelineView::setSelectedLane(int lane)
{
  if (lane == selected_lane_)
    return;
  selected_lane_ = lane;
  update();
  emit laneSelected(lane);
}

void TimelineView::selectRequest(uint32_t id)
{
  if (!model_)
    return;
  request_       = id;
  request_spans_ = model_->requestSpans(id);
  request_holds_ = model_->requestHolds(request_spans_);
  update();
  emit requestSelected(id, model_->requestSummary(id));
}

void TimelineView::clearRequest()
{
  request_ = kNoRequest;
  request_spans_.clear();
  request_holds_.clear();
  update();
}

int TimelineView::rulerHeight() const { return QFontMetrics(font()).height() * 2 + 4; }

QRect TimelineView::plotRect() const
{
  int right = width() - vscroll_->sizeHint().width(); // the scroll bar's gutter, shown or not: plots align
  return QRect(label_width_, rulerHeight(), std::max(1, right - label_width_), std::max(1, height() - rulerHeight()));
}

double TimelineView::timeAt(double x) const { return axis_->timeAt(x - plotRect().left(), plotRect().width()); }

double TimelineView::xOf(double t_s) const { return plotRect().left() + axis_->xOf(t_s, plotRect().width()); }

int TimelineView::scrollY() const { return vscroll_->isVisible() ? vscroll_->value() : 0; }

int TimelineView::shownAtY(int y) const { return layout_.shownAt(y - rulerHeight() + scrollY()); }

int TimelineView::yOfLane(int lane) const
{
  int shown = model_ ? layout_.shownOf(model_->rowOfLane(lane)) : -1;
  return shown < 0 ? -1 : rulerHeight() + layout_.top(shown) - scrollY();
}

void TimelineView::scrollToRow(int row)
{
  const int shown = layout_.shownOf(row);
  if (shown >= 0)
    vscroll_->setValue(layout_.top(shown));
}

void TimelineView::setLabelWidth(int px)
{
  shared_label_width_ = px;
  relayout();
}

void TimelineView::relayout()
{
  QFontMetrics fm(font());
  int widest = model_ ? 0 : fm.horizontalAdvance(title_);
  if (model_)
    for (const auto& r : model_->rows())
      widest = std::max(widest, r.depth * kIndentPx + fm.height() * 2 + fm.horizontalAdvance(labelText(r)));
  int own = std::clamp(widest + 2 * kLabelPadPx, static_cast<int>(110 * scale_), std::max(110, width() / 3));
  if (own != preferred_label_width_) {
    preferred_label_width_ = own;
    emit preferredLabelWidthChanged();
  }
  label_width_ = shared_label_width_ > 0 ? shared_label_width_ : own;
  int plot_h   = height() - rulerHeight();
  bool scroll  = layout_.totalHeight() > plot_h;
  int bar_w    = vscroll_->sizeHint().width();
  vscroll_->setVisible(scroll);
  vscroll_->setGeometry(width() - bar_w, rulerHeight(), bar_w, std::max(0, plot_h));
  vscroll_->setRange(0, std::max(0, layout_.totalHeight() - plot_h));
  vscroll_->setPageStep(std::max(1, plot_h));
  vscroll_->setSingleStep(layout_.rowHeight(Kind::thread));
  updateGeometry();
  update();
}

void TimelineView::resizeEvent(QResizeEvent*) { relayout(); }

QSize TimelineView::sizeHint() const
{
  int rows = std::min(layout_.totalHeight(), 700);
  return {900, rulerHeight() + std::max(rows, layout_.rowHeight(Kind::thread) * 4)};
}

QSize TimelineView::minimumSizeHint() const
{
  return {label_width_ + 200, rulerHeight() + layout_.rowHeight(Kind::machine) + 3 * layout_.rowHeight(Kind::thread)};
}

void TimelineView::paintEvent(QPaintEvent*)
{
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Base));
  QRect plot = plotRect();
  if (model_) {
    if (image_.size() != plot.size())
      image_ = QImage(plot.size(), QImage::Format_RGB32);
    TimelineFrame frame;
    frame.t0_s      = axis_->visibleStart();
    frame.t1_s      = axis_->visibleEnd();
    frame.scroll_y  = scrollY();
    frame.highlight = request_ == kNoRequest ? nullptr : &request_spans_;
    frame.highlight_holds = request_ == kNoRequest ? nullptr : &request_holds_;
    frame.font      = font();
    renderer_.paint(image_, *model_, layout_, frame);
    p.drawImage(plot.topLeft(), image_);
  }
  paintOverlays(p);
  paintLabels(p);
  paintRuler(p);
}

void TimelineView::paintOverlays(QPainter& p)
{
  QRect plot = plotRect();
  p.save();
  p.setClipRect(plot);
  if (axis_->hasSelection()) {
    double a = xOf(axis_->selectionStart()), b = xOf(axis_->selectionEnd());
    p.fillRect(QRectF(a, plot.top(), std::max(1.0, b - a), plot.height()), TimelinePalette::selection());
    p.setPen(QPen(QColor::fromRgb(TimelinePalette::busyCores()), 1));
    p.drawLine(QPointF(a, plot.top()), QPointF(a, plot.bottom()));
    p.drawLine(QPointF(b, plot.top()), QPointF(b, plot.bottom()));
  }
  double cx = xOf(axis_->cursor());
  if (cx >= plot.left() && cx <= plot.right()) {
    p.setPen(QPen(TimelinePalette::cursor(), std::max(1.0, 2 * scale_)));
    p.drawLine(QPointF(cx, plot.top()), QPointF(cx, plot.bottom()));
  }
  p.restore();
}

QString TimelineView::labelText(const TimelineRow& row) const
{
  return row.kind == Kind::machine ? tr("%1: %2 cores").arg(row.label).arg(model_->cores()) : row.label;
}

QRect TimelineView::triangleRect(const TimelineRow& row, const QRect& box) const
{
  int size = QFontMetrics(font()).height() * 2 / 3;
  return QRect(kLabelPadPx / 2 + row.depth * kIndentPx, box.center().y() - size / 2, size, size);
}

void TimelineView::paintLabel(QPainter& p, int shown, const QRect& box)
{
  const TimelineRow& r = model_->rows()[static_cast<std::size_t>(layout_.row(shown))];
  bool header = r.kind == Kind::process || r.kind == Kind::machine;
  if (header)
    p.fillRect(box, QColor(236, 240, 245));
  if (r.lane >= 0 && r.lane == selected_lane_ && r.kind != Kind::lock)
    p.fillRect(box, QColor(0, 114, 178, 60));
  QRect tri = triangleRect(r, box);
  if (r.hasChildren) {
    bool open = layout_.isExpanded(layout_.row(shown));
    QPolygonF arrow;
    if (open)
      arrow << QPointF(tri.left(), tri.top() + 2) << QPointF(tri.right(), tri.top() + 2) << QPointF(tri.center().x(), tri.bottom());
    else
      arrow << QPointF(tri.left() + 2, tri.top()) << QPointF(tri.right(), tri.center().y()) << QPointF(tri.left() + 2, tri.bottom());
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(60, 60, 60));
    p.drawPolygon(arrow);
  }
  QFont f = font();
  f.setBold(header);
  if (r.kind == Kind::unit)
    f.setPointSizeF(f.pointSizeF() * 0.85);
  p.setFont(f);
  QFontMetrics fm(f);
  int x = tri.right() + kLabelPadPx;
  bool swatch = r.kind == Kind::thread && model_->lockOfProcess(model_->processLaneOf(r.lane)) >= 0;
  int right = label_width_ - kLabelPadPx - (swatch ? fm.height() : 0);
  QString text = labelText(r);
  p.setPen(r.kind == Kind::lock ? QColor(90, 90, 90) : Qt::black);
  p.drawText(QRect(x, box.top(), right - x, box.height()), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(text, Qt::ElideRight, right - x));
  if (swatch) {
    int s = std::min(box.height() - 4, fm.height() * 2 / 3);
    p.fillRect(QRect(label_width_ - kLabelPadPx - s, box.center().y() - s / 2, s, s),
               QColor::fromRgb(TimelinePalette::holderColour(model_->holderColour(r.lane))));
  }
}

void TimelineView::paintLabels(QPainter& p)
{
  QRect area(0, rulerHeight(), label_width_, height() - rulerHeight());
  p.save();
  p.setClipRect(area);
  p.fillRect(area, QColor(250, 250, 250));
  if (model_) {
    int first = std::max(0, shownAtY(area.top()));
    for (int shown = first; shown < layout_.count(); ++shown) {
      QRect box(0, area.top() + layout_.top(shown) - scrollY(), label_width_, layout_.height(shown));
      if (box.top() > area.bottom())
        break;
      paintLabel(p, shown, box);
    }
  }
  p.setPen(QColor(200, 200, 200));
  p.drawLine(label_width_ - 1, area.top(), label_width_ - 1, area.bottom());
  p.restore();
}

void TimelineView::paintRuler(QPainter& p)
{
  QRect ruler(0, 0, width(), rulerHeight());
  p.fillRect(ruler, QColor(245, 245, 245));
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(Qt::black);
  QString title = title_.isEmpty() && model_ ? model_->label() : title_;
  p.drawText(QRect(kLabelPadPx, 0, label_width_ - 2 * kLabelPadPx, ruler.height()), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetrics(bold).elidedText(title, Qt::ElideRight, label_width_ - 2 * kLabelPadPx));
  p.setFont(font());
  QRect plot = plotRect();
  QFontMetrics fm(font());
  double width_s = axis_->visibleWidth(), per_px = width_s / plot.width();
  double magnitude = std::max(std::fabs(axis_->visibleStart()), std::fabs(axis_->visibleEnd()));
  double step = niceStep(per_px * kMinTickSpacingPx * scale_);
  int label_w = fm.horizontalAdvance(formatTick(axis_->visibleEnd(), step, magnitude)) + fm.height();
  step = niceStep(std::max(step, per_px * label_w));
  p.save();
  p.setClipRect(QRect(plot.left(), 0, plot.width(), ruler.height()));
  for (double t : tickTimes(axis_->visibleStart(), axis_->visibleEnd(), step)) {
    double x = xOf(t);
    p.setPen(QColor(90, 90, 90));
    p.drawLine(QPointF(x, ruler.bottom() - ruler.height() / 4.0), QPointF(x, ruler.bottom()));
    p.setPen(Qt::black);
    p.drawText(QRectF(x + 3, 0, label_w, ruler.height() * 0.8), Qt::AlignLeft | Qt::AlignVCenter, formatTick(t, step, magnitude));
  }
  p.restore();
  p.setPen(QColor(200, 200, 200));
  p.drawLine(0, ruler.bottom(), width(), ruler.bottom());
}

QWidget* TimelineView::makeLegend(QWidget* parent) { return new TimelineLegend(parent); }

QList<QPair<QString, QString>> TimelineView::shortcuts()
{
  return {
      {tr("Wheel, W / S, + / -"), tr("Zoom in / out at the mouse")},
      {tr("Drag, A / D, Left / Right"), tr("Pan")},
      {tr("Shift+drag, drag on the ruler"), tr("Select a range: time per state, requests, throughput")},
      {tr("Shift+wheel, Page Up / Down"), tr("Scroll the lanes")},
      {tr("F"), tr("Fit the whole trace")},
      {tr("Home / End"), tr("Go to the start / end")},
      {tr("Click an interval"), tr("Light up its request across the lanes and its GIL holds, spell out its life")},
      {tr("Click a triangle"), tr("Collapse / expand a process or thread")},
      {tr("Up / Down"), tr("Select the lane above / below")},
      {tr("K / Shift+K"), tr("Next / previous worker born or died (timeout, max_requests, crash)")},
      {tr("R / Shift+R"), tr("Next / previous GIL drop request (selected lane's process)")},
      {tr("N / Shift+N"), tr("Next / previous request started on the selected lane")},
      {tr("Esc"), tr("Clear the selection and the lit request")},
  };
}
