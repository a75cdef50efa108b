// Colours of the timeline and its legend. Okabe & Ito, "Color Universal
// Design" (2008); Paul Tol, "Colour Schemes" (SRON/EPS/TN/09-002), muted.
#include "timeline/timeline_palette.hpp"
#include "timeline/levels_of_detail.hpp"
#include "timeline/timeline_model.hpp"
#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>

namespace {

constexpr std::array<QRgb, gilsim::trace_format::kStates> kStateColours = {
    0xffdcdcdc, // idle: light grey
    0xff009e73, // running: bluish green
    0xffd55e00, // waiting for the GIL: vermillion
    0xff56b4e9, // blocked on I/O: sky blue
    0xfff0e442, // waiting for the event loop: yellow
    0xff000000, // killed: black
};

/// Tol's muted indigo, wine, olive and purple, a brown and a slate: none is close to a state's colour.
constexpr std::array<QRgb, TimelineModel::kHolderColours> kHolderColours = {
    0xff332288, 0xff999933, 0xff882255, 0xffaa4499, 0xff8c6d31, 0xff4d5d7a,
};

using gilsim::trace_format::WorkerEvent;

struct Entry {
  enum class Shape { swatch, drop, worker };
  QString text;
  QRgb colour;
  Shape shape = Shape::swatch;
  WorkerEvent event = WorkerEvent::born;
};

std::vector<Entry> entries()
{
  std::vector<Entry> out;
  for (int s = 0; s < gilsim::trace_format::kStates; ++s)
    out.push_back({TimelineModel::stateName(static_cast<gilsim::trace::State>(s)), kStateColours[static_cast<std::size_t>(s)]});
  out.push_back({QString(), kHolderColours[0]});
  out.push_back({QString(), kHolderColours[1]});
  out.push_back({QStringLiteral("GIL holder: the colour beside a thread's name"), kHolderColours[2]});
  out.push_back({QStringLiteral("GIL drop request"), TimelinePalette::dropRequest().rgb(), Entry::Shape::drop});
  out.push_back({QStringLiteral("busy cores"), TimelinePalette::busyCores()});
  for (WorkerEvent e : {WorkerEvent::born, WorkerEvent::died_timeout, WorkerEvent::died_max_requests, WorkerEvent::monitor_report})
    out.push_back({QStringLiteral("worker ") + TimelineModel::workerEventName(e), 0, Entry::Shape::worker, e});
  return out;
}

void paintDropMark(QPainter& p, QPointF top_centre, double size)
{
  QPainterPath path;
  path.moveTo(top_centre.x() - size / 2, top_centre.y());
  path.lineTo(top_centre.x() + size / 2, top_centre.y());
  path.lineTo(top_centre.x(), top_centre.y() + size);
  path.closeSubpath();
  p.fillPath(path, TimelinePalette::dropRequest());
}

} // namespace

QRgb TimelinePalette::state(uint8_t s)
{
  return s < kStateColours.size() ? kStateColours[s] : background();
}

QRgb TimelinePalette::holder(uint8_t lock_sample)
{
  if (lock_sample == TimelineModel::kLockFree)
    return lockFree();
  if (lock_sample == DominantLevels::kNoData)
    return background();
  return holderColour(lock_sample - 1);
}

QRgb TimelinePalette::holderColour(int colour)
{
  return kHolderColours[static_cast<std::size_t>(colour) % kHolderColours.size()];
}

QColor TimelinePalette::workerEvent(WorkerEvent e)
{
  switch (e) {
  case WorkerEvent::born: return QColor(0, 158, 115);
  case WorkerEvent::died_timeout: return QColor(213, 94, 0);
  case WorkerEvent::died_max_requests: return QColor(204, 121, 167);
  case WorkerEvent::monitor_report: return QColor(240, 228, 66);
  }
  return QColor(120, 120, 120);
}

void TimelinePalette::paintWorkerMark(QPainter& p, double x, double top, double height, WorkerEvent e)
{
  QColor colour = workerEvent(e);
  double size   = std::max(5.0, height * 0.6);
  p.fillRect(QRectF(x - 0.5, top, 1.5, height), colour);
  QPainterPath path;
  if (e == WorkerEvent::born) {
    path.moveTo(x, top);
    path.lineTo(x + size / 2, top + size);
    path.lineTo(x - size / 2, top + size);
  } else {
    path.moveTo(x - size / 2, top);
    path.lineTo(x + size / 2, top);
    path.lineTo(x, top + size);
  }
  path.closeSubpath();
  p.fillPath(path, colour);
  p.strokePath(path, QPen(QColor(255, 255, 255), 0.8));
}

QRgb TimelinePalette::dimmed(QRgb c)
{
  auto fade = [](int v) { return v + (255 - v) * 2 / 3; };
  return qRgb(fade(qRed(c)), fade(qGreen(c)), fade(qBlue(c)));
}

TimelineLegend::TimelineLegend(QWidget* parent) : QWidget(parent)
{
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void TimelineLegend::setPresenterScale(double scale)
{
  QFont f = font();
  f.setPointSizeF(QApplication::font().pointSizeF() * scale);
  setFont(f);
  updateGeometry();
  update();
}

int TimelineLegend::paint(QPainter& p, const QRect& area, const QFont& font)
{
  p.setFont(font);
  QFontMetrics fm(font);
  int swatch = fm.height(), gap = fm.horizontalAdvance(QLatin1Char('M')), x = area.left(), y = area.top();
  for (const Entry& e : entries()) {
    int width = swatch + (e.text.isEmpty() ? 2 : gap / 2 + fm.horizontalAdvance(e.text) + gap);
    if (x + width > area.right() && x > area.left())
      x = area.left(), y += swatch + gap / 2;
    if (e.shape == Entry::Shape::drop)
      paintDropMark(p, QPointF(x + swatch / 2.0, y + 2), swatch * 0.8);
    else if (e.shape == Entry::Shape::worker)
      TimelinePalette::paintWorkerMark(p, x + swatch / 2.0, y + 1, swatch - 2, e.event);
    else
      p.fillRect(QRect(x, y + 1, swatch, swatch - 2), QColor::fromRgb(e.colour));
    p.setPen(Qt::black);
    if (!e.text.isEmpty())
      p.drawText(QRect(x + swatch + gap / 2, y, width, swatch), Qt::AlignLeft | Qt::AlignVCenter, e.text);
    x += width;
  }
  return y + swatch - area.top();
}

QSize TimelineLegend::sizeHint() const { return {900, heightForWidth(900)}; }

int TimelineLegend::heightForWidth(int width) const
{
  QImage scratch(1, 1, QImage::Format_ARGB32_Premultiplied);
  QPainter p(&scratch);
  return paint(p, QRect(4, 4, width - 8, 10000), font()) + 8;
}

void TimelineLegend::paintEvent(QPaintEvent*)
{
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  paint(p, rect().adjusted(4, 4, -4, -4), font());
}
