// Rendering the rows of a timeline: states, lock strips with drop requests,
// workers born and died on their process's row, the machine's busy cores, and
// the selected request (its states and GIL holds) lit among dimmed others.
#include "timeline/timeline_renderer.hpp"
#include "timeline/timeline_palette.hpp"
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

using Kind = TimelineRow::Kind;

namespace {

/// Up to this many cores, a line marks each core's level in the machine row.
constexpr int kMaxCoreLines = 16;

} // namespace

void TimelineRenderer::paint(QImage& image, const TimelineModel& model, const TimelineLayout& layout,
                             const TimelineFrame& frame)
{
  frame_ = frame;
  width_ = image.width();
  dt_s_  = (frame.t1_s - frame.t0_s) / std::max(width_, 1);
  samples_.resize(static_cast<std::size_t>(width_));
  busy_.resize(static_cast<std::size_t>(width_));
  line_.resize(static_cast<std::size_t>(width_));
  image.fill(TimelinePalette::background());
  int first = std::max(0, layout.shownAt(frame.scroll_y));
  for (int shown = first; shown < layout.count(); ++shown) {
    RowBox box{layout.row(shown), layout.top(shown) - frame.scroll_y, layout.height(shown)};
    if (box.top >= image.height())
      break;
    const TimelineRow& r = model.rows()[static_cast<std::size_t>(box.row)];
    switch (r.kind) {
    case Kind::machine: paintMachine(image, model, box); break;
    case Kind::process: paintProcess(image, model, box, r.lane); break;
    case Kind::lock: paintLock(image, model, box, r.lock); break;
    case Kind::thread:
    case Kind::unit: paintStates(image, model, box, r.lane); break;
    }
  }
}

void TimelineRenderer::fillLines(QImage& image, int top, int height)
{
  int from = std::max(top, 0), to = std::min(top + height, image.height());
  for (int y = from; y < to; ++y)
    std::memcpy(image.scanLine(y), line_.data(), line_.size() * sizeof(QRgb));
}

void TimelineRenderer::light(double start_s, double end_s)
{
  if (end_s < frame_.t0_s || start_s > frame_.t1_s)
    return;
  int a = std::clamp(static_cast<int>(std::floor((start_s - frame_.t0_s) / dt_s_)), 0, width_ - 1);
  int b = std::clamp(static_cast<int>(std::ceil((end_s - frame_.t0_s) / dt_s_)), a + 1, width_);
  std::fill(lit_.begin() + a, lit_.begin() + b, 1);
}

void TimelineRenderer::dimUnlit()
{
  for (int x = 0; x < width_; ++x)
    if (!lit_[static_cast<std::size_t>(x)])
      line_[static_cast<std::size_t>(x)] = TimelinePalette::dimmed(line_[static_cast<std::size_t>(x)]);
}

void TimelineRenderer::dimOutsideRequest(int lane)
{
  lit_.assign(static_cast<std::size_t>(width_), 0);
  for (const RequestSpan& s : *frame_.highlight)
    if (s.lane == lane)
      light(s.start_s, s.end_s);
  dimUnlit();
}

void TimelineRenderer::dimOutsideHolds(int lock)
{
  lit_.assign(static_cast<std::size_t>(width_), 0);
  for (const HoldSpan& h : *frame_.highlight_holds)
    if (h.lock == lock)
      light(h.start_s, h.end_s);
  dimUnlit();
}

void TimelineRenderer::paintStates(QImage& image, const TimelineModel& model, const RowBox& box, int lane)
{
  model.sample(lane, frame_.t0_s, dt_s_, width_, samples_.data());
  for (int x = 0; x < width_; ++x)
    line_[static_cast<std::size_t>(x)] = TimelinePalette::state(samples_[static_cast<std::size_t>(x)]);
  if (frame_.highlight)
    dimOutsideRequest(lane);
  fillLines(image, box.top + 1, box.height - 2);
  if (frame_.highlight)
    outlineLit(image, box.top + 1, box.height - 2);
}

void TimelineRenderer::outlineLit(QImage& image, int top, int height)
{
  for (int y : {top, top + height - 1}) {
    if (y < 0 || y >= image.height())
      continue;
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
    for (int x = 0; x < width_; ++x)
      if (lit_[static_cast<std::size_t>(x)])
        line[x] = qRgb(0, 0, 0);
  }
}

void TimelineRenderer::paintProcess(QImage& image, const TimelineModel& model, const RowBox& box, int lane)
{
  std::fill(line_.begin(), line_.end(), qRgb(236, 240, 245));
  fillLines(image, box.top, box.height);
  if (model.hasStates(lane)) {
    model.sample(lane, frame_.t0_s, dt_s_, width_, samples_.data());
    for (int x = 0; x < width_; ++x) {
      uint8_t s = samples_[static_cast<std::size_t>(x)];
      line_[static_cast<std::size_t>(x)] = s == TimelineModel::kNoData ? qRgb(236, 240, 245) : TimelinePalette::state(s);
    }
    fillLines(image, box.top + box.height * 2 / 3, box.height - box.height * 2 / 3);
  }
  paintWorkerMarks(image, model, box, lane);
}

void TimelineRenderer::paintWorkerMarks(QImage& image, const TimelineModel& model, const RowBox& box, int lane)
{
  const auto& marks = model.workerMarks();
  auto it = std::lower_bound(marks.begin(), marks.end(), frame_.t0_s, [](const auto& m, double t) { return m.t_s < t; });
  std::unique_ptr<QPainter> p;
  int last_x = -1;
  for (; it != marks.end() && it->t_s <= frame_.t1_s; ++it) {
    int x = static_cast<int>((it->t_s - frame_.t0_s) / dt_s_);
    if (static_cast<int>(it->lane) != lane || x == last_x)
      continue;
    if (!p)
      p = std::make_unique<QPainter>(&image);
    TimelinePalette::paintWorkerMark(*p, x + 0.5, box.top, box.height, it->event);
    last_x = x;
  }
}

void TimelineRenderer::paintLock(QImage& image, const TimelineModel& model, const RowBox& box, int lock)
{
  model.sampleLock(lock, frame_.t0_s, dt_s_, width_, samples_.data());
  for (int x = 0; x < width_; ++x)
    line_[static_cast<std::size_t>(x)] = TimelinePalette::holder(samples_[static_cast<std::size_t>(x)]);
  if (frame_.highlight_holds)
    dimOutsideHolds(lock);
  int band = box.height / 3;
  fillLines(image, box.top + band, box.height - band - 1);
  if (frame_.highlight_holds)
    outlineLit(image, box.top + band, box.height - band - 1);
  paintDropRequests(image, model, box, lock);
  paintHolderNames(image, model, box, lock);
}

void TimelineRenderer::paintDropRequests(QImage& image, const TimelineModel& model, const RowBox& box, int lock)
{
  const auto& marks = model.trace().locks[static_cast<std::size_t>(lock)].drop_requests;
  std::vector<int> xs = TimelineModel::markPixels(marks, frame_.t0_s, dt_s_, width_);
  int size   = std::max(3, box.height / 3);
  int last_x = -1000;
  QRgb colour = TimelinePalette::dropRequest().rgb();
  for (int x : xs) {
    if (x - last_x < size / 2)
      continue;
    last_x = x;
    for (int row = 0; row < size; ++row) {
      int y = box.top + row, half = (size - row) / 2;
      if (y < 0 || y >= image.height())
        continue;
      auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
      std::fill(line + std::max(0, x - half), line + std::min(width_, x + half + 1), colour);
    }
  }
}

void TimelineRenderer::paintHolderNames(QImage& image, const TimelineModel& model, const RowBox& box, int lock)
{
  const auto& holds = model.trace().locks[static_cast<std::size_t>(lock)].holds;
  QFontMetrics fm(frame_.font);
  double min_s = dt_s_ * (fm.horizontalAdvance(QStringLiteral("thread 9")) + 8);
  auto first   = std::lower_bound(holds.begin(), holds.end(), frame_.t0_s, [](const auto& h, double t) { return h.end_s < t; });
  auto last    = std::lower_bound(first, holds.end(), frame_.t1_s, [](const auto& h, double t) { return h.start_s < t; });
  if (last - first > width_ / 8)
    return;
  QPainter p(&image);
  p.setFont(frame_.font);
  int band = box.height / 3;
  for (auto it = first; it != last; ++it) {
    if (it->end_s - it->start_s < min_s)
      continue;
    QRgb fill = TimelinePalette::holderColour(model.holderColour(static_cast<int>(it->lane)));
    p.setPen(qGray(fill) > 140 ? Qt::black : Qt::white);
    double a = std::max(0.0, (it->start_s - frame_.t0_s) / dt_s_), b = std::min<double>(width_, (it->end_s - frame_.t0_s) / dt_s_);
    QString name = QString::fromStdString(model.trace().lanes[it->lane].name);
    if (b - a < fm.horizontalAdvance(name) + 8)
      continue;
    p.drawText(QRectF(a, box.top + band, b - a, box.height - band - 1), Qt::AlignCenter, name);
  }
}

void TimelineRenderer::paintMachine(QImage& image, const TimelineModel& model, const RowBox& box)
{
  model.sampleBusyCores(frame_.t0_s, dt_s_, width_, busy_.data());
  int body = box.height - 3;
  double per_core = static_cast<double>(body) / model.cores();
  for (int row = 0; row < body; ++row) {
    int y = box.top + 2 + row;
    if (y < 0 || y >= image.height())
      continue;
    double level = body - row - 0.5;
    bool core_line = model.cores() <= kMaxCoreLines && row > 0 &&
                     std::floor((body - row) / per_core) != std::floor((body - row + 1) / per_core);
    QRgb busy = core_line ? TimelinePalette::idleCores() : TimelinePalette::busyCores();
    QRgb idle = core_line ? TimelinePalette::busyCores() : TimelinePalette::idleCores();
    auto* line   = reinterpret_cast<QRgb*>(image.scanLine(y));
    for (int x = 0; x < width_; ++x)
      line[x] = busy_[static_cast<std::size_t>(x)] * per_core >= level ? busy : idle;
  }
}
