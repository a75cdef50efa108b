// A lesson's timeline with its lanes framed and its events stepped through (see lesson_timeline.hpp).
#include "ui/lesson_timeline.hpp"
#include "core/background.hpp"
#include "core/lesson_lanes.hpp"
#include "core/lesson_session.hpp"
#include "timeline/time_axis.hpp"
#include "timeline/timeline_palette.hpp"
#include "timeline/timeline_view.hpp"
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

namespace gilsim::studio {

namespace {

const QColor kHighlight(230, 97, 1); ///< orange: apart from every state colour

/// Frames the lesson's rows over the timeline; lets the mouse through.
class LaneFrames : public QWidget {
public:
  LaneFrames(TimelineView* view, const std::vector<int>* rows) : QWidget(view), view_(view), rows_(rows)
  {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    view->installEventFilter(this);
  }

protected:
  bool eventFilter(QObject* watched, QEvent* e) override
  {
    if (watched == view_ && e->type() == QEvent::Resize)
      resize(view_->size());
    return false;
  }
  void paintEvent(QPaintEvent*) override
  {
    const auto model = view_->model();
    if (!model)
      return;
    QPainter p(this);
    const double scale = view_->presenterScale();
    p.setPen(QPen(kHighlight, std::max(2.0, 3 * scale)));
    p.setBrush(QColor(kHighlight.red(), kHighlight.green(), kHighlight.blue(), 28));
    for (int row : *rows_)
      if (QRect r = rowRect(*model, row); r.isValid())
        p.drawRect(r.adjusted(1, 1, -1, -1));
  }

private:
  QRect rowRect(const TimelineModel& model, int row) const
  {
    const TimelineLayout& layout = view_->layout();
    const int shown              = layout.shownOf(row);
    int anchor                   = row; // a row with a lane of its own, to find the y offset
    while (anchor >= 0 && model.rows()[std::size_t(anchor)].lane < 0)
      anchor = model.rows()[std::size_t(anchor)].parent;
    if (shown < 0 || anchor < 0)
      return {};
    const int anchorLane = model.rows()[std::size_t(anchor)].lane;
    const int anchorRow  = model.rowOfLane(anchorLane);
    const int y = view_->yOfLane(anchorLane) + layout.top(shown) - layout.top(layout.shownOf(anchorRow));
    return QRect(0, y, width(), layout.top(lastShownInside(model, shown)) + layout.height(lastShownInside(model, shown)) - layout.top(shown));
  }
  /// A process frames its threads and greenlets too: the last shown row inside the one shown at `shown`.
  int lastShownInside(const TimelineModel& model, int shown) const
  {
    const TimelineLayout& layout = view_->layout();
    const int row                = layout.row(shown);
    if (model.rows()[std::size_t(row)].kind != TimelineRow::Kind::process)
      return shown;
    int last = shown;
    for (int next = shown + 1; next < layout.count(); ++next) {
      int r = layout.row(next);
      while (r >= 0 && r != row)
        r = model.rows()[std::size_t(r)].parent;
      if (r != row)
        break;
      last = next;
    }
    return last;
  }
  TimelineView* view_;
  const std::vector<int>* rows_;
};

QToolButton* stepButton(const QString& text, const QString& tip)
{
  auto* b = new QToolButton;
  b->setText(text);
  b->setToolTip(tip);
  return b;
}

} // namespace

LessonTimeline::LessonTimeline(QWidget* parent) : QWidget(parent), axis_(new TimeAxis(this))
{
  legend_  = new TimelineLegend;
  view_    = new TimelineView(axis_);
  view_->setMinimumHeight(260);
  overlay_ = new LaneFrames(view_, &rows_);
  back_       = stepButton("◀ event", "Step back one event (,); before the traced window: run again, traced before it");
  forward_    = stepButton("event ▶", "Step forward one event (.); after the traced window: run again, traced after it");
  playButton_ = stepButton("▶ play", "Play the events one by one (Space)");
  sentence_   = new QLabel;
  sentence_->setObjectName("lessonSentence");
  sentence_->setWordWrap(true);
  sentence_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* bar = new QHBoxLayout;
  bar->addWidget(back_);
  bar->addWidget(forward_);
  bar->addWidget(playButton_);
  bar->addWidget(sentence_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar); // above the lanes: the sentence stays in sight on a projector
  layout->addWidget(legend_);
  layout->addWidget(view_, 1);
  connect(back_, &QToolButton::clicked, this, &LessonTimeline::stepBackward);
  connect(forward_, &QToolButton::clicked, this, &LessonTimeline::stepForward);
  connect(playButton_, &QToolButton::clicked, this, &LessonTimeline::togglePlay);
  play_.setInterval(kPlayStepMs);
  connect(&play_, &QTimer::timeout, this, [this] {
    if (steps_.index() + 1 >= int(steps_.events().size()))
      togglePlay();
    else
      stepForward();
  });
  connect(axis_, &TimeAxis::visibleChanged, overlay_, qOverload<>(&QWidget::update));
  connect(&rerun_, &LessonRerun::traceLoaded, this, [this](std::shared_ptr<const trace::Trace> trace) {
    buildModel(std::move(trace), [this](std::shared_ptr<const TimelineModel> model) { land(std::move(model)); });
  });
  connect(&rerun_, &LessonRerun::failed, this, [this](const QString& message) {
    setStepping(true);
    sentence_->setText("Cannot run it again: " + message);
  });
}

void LessonTimeline::show(std::shared_ptr<const trace::Trace> trace, const Lesson& lesson)
{
  clear();
  lesson_ = lesson;
  buildModel(std::move(trace), [this](std::shared_ptr<const TimelineModel> model) {
    const QStringList missing = showModel(std::move(model), lesson_.timeline.from_s, lesson_.timeline.until_s);
    sentence_->setText(missing.isEmpty() ? QString("%1 events on the framed lanes: step through them with ◀ ▶ or play.")
                                               .arg(steps_.events().size())
                                         : "Not in this trace: " + missing.join(", "));
    scrollToFramedLanes();
    emit ready();
  });
}

void LessonTimeline::buildModel(std::shared_ptr<const trace::Trace> trace,
                                std::function<void(std::shared_ptr<const TimelineModel>)> then)
{
  const int generation = ++generation_;
  runInBackground(this, [trace] { return std::make_shared<const TimelineModel>(trace); },
                  [this, generation, then](std::shared_ptr<const TimelineModel> model) {
                    if (generation == generation_)
                      then(std::move(model));
                  });
}

void LessonTimeline::clear()
{
  ++generation_;
  rerun_.cancel();
  setStepping(true);
  play_.stop();
  playButton_->setText("▶ play");
  model_ = nullptr;
  rows_.clear();
  steps_ = {};
  sentence_->clear();
}

QStringList LessonTimeline::showModel(std::shared_ptr<const TimelineModel> model, double from_s, double until_s)
{
  model_ = std::move(model);
  view_->setModel(model_);
  view_->setTitle(QString::fromStdString(lesson_.timeline.server));
  QStringList missing;
  rows_    = lessonRows(*model_, lesson_.timeline.lanes, &missing);
  from_s_  = from_s;
  until_s_ = until_s;
  axis_->setVisibleRange(from_s, until_s);
  axis_->setCursor(from_s);
  steps_ = LessonSteps(*model_, rows_, from_s, until_s);
  overlay_->resize(view_->size());
  overlay_->raise();
  return missing;
}

void LessonTimeline::scrollToFramedLanes()
{
  for (int row : rows_) {
    const TimelineRow& r = model_->rows()[std::size_t(row)];
    if (r.kind == TimelineRow::Kind::machine || r.lane < 0)
      continue;
    if (view_->yOfLane(r.lane) > view_->height() / 2) // below the fold: bring the first framed worker up
      view_->scrollToRow(model_->rowOfLane(model_->processLaneOf(r.lane)));
    return;
  }
}

void LessonTimeline::setPresenterScale(double scale)
{
  view_->setPresenterScale(scale);
  legend_->setPresenterScale(scale);
  legend_->setVisible(scale <= 1); // a projector needs the room for the lanes; the sentence names the states
  QFont f = font();
  f.setPointSizeF(QFont().pointSizeF() * scale);
  for (QWidget* w : std::initializer_list<QWidget*>{back_, forward_, playButton_, sentence_})
    w->setFont(f);
}

QString LessonTimeline::sentence() const { return sentence_->text(); }

void LessonTimeline::stepForward()
{
  if (steps_.forward())
    showStep();
  else
    stepBeyond(false);
}

void LessonTimeline::stepBackward()
{
  if (steps_.backward())
    showStep();
  else
    stepBeyond(true);
}

LessonTimeline::Landing LessonTimeline::landingBeyond(bool back) const
{
  const double width_s = lesson_.timeline.until_s - lesson_.timeline.from_s, overlap_s = width_s * kRerunOverlap;
  const LessonEvent* e = steps_.current();
  Landing l;
  l.back      = back;
  l.hasAnchor = e != nullptr;
  l.anchor    = e ? *e : LessonEvent{};
  l.edge_s    = e ? e->t_s : back ? from_s_ : until_s_;
  l.from_s    = back ? std::max(0.0, from_s_ - width_s + overlap_s) : until_s_ - overlap_s;
  l.until_s   = back ? from_s_ + overlap_s : std::min(lesson_.loaded.base.duration_s, until_s_ - overlap_s + width_s);
  return l;
}

void LessonTimeline::stepBeyond(bool back)
{
  if (!model_ || rerun_.isRunning())
    return;
  if (back ? from_s_ <= 0 : until_s_ >= lesson_.loaded.base.duration_s)
    return sentence_->setText(back ? "Nothing happens before the run starts." : "Nothing happens after the run ends.");
  const Landing l = landingBeyond(back);
  QString error;
  if (!rerun_.start(lesson_.scenario, timelineServer(lesson_), l.from_s, l.until_s, &error))
    return sentence_->setText("Cannot run it again: " + error);
  landing_ = l;
  play_.stop();
  playButton_->setText("▶ play");
  setStepping(false);
  sentence_->setText(QString("The event %1 is outside this trace: running it again (same seed, the same run), traced from %2 s to %3 s…")
                         .arg(back ? "before" : "after")
                         .arg(l.from_s, 0, 'f', 4)
                         .arg(l.until_s, 0, 'f', 4));
}

void LessonTimeline::land(std::shared_ptr<const TimelineModel> model)
{
  showModel(std::move(model), landing_.from_s, landing_.until_s);
  setStepping(true);
  int at = landing_.hasAnchor ? steps_.find(landing_.anchor) : -1;
  if (at >= 0)
    at += landing_.back ? -1 : 1;
  else
    at = landing_.back ? steps_.lastBefore(landing_.edge_s) : steps_.firstAfter(landing_.edge_s);
  if (at < 0 || at >= int(steps_.events().size())) {
    steps_.setIndex(landing_.back ? -1 : int(steps_.events().size()) - 1);
    return sentence_->setText(QString("Nothing happens on the framed lanes from %1 s to %2 s; step again to look further.")
                                  .arg(landing_.from_s, 0, 'f', 4)
                                  .arg(landing_.until_s, 0, 'f', 4));
  }
  steps_.setIndex(at);
  showStep();
}

void LessonTimeline::setStepping(bool enabled)
{
  back_->setEnabled(enabled);
  forward_->setEnabled(enabled);
}

void LessonTimeline::togglePlay()
{
  if (play_.isActive())
    play_.stop();
  else if (!steps_.events().empty())
    play_.start();
  playButton_->setText(play_.isActive() ? "⏸ pause" : "▶ play");
}

void LessonTimeline::showStep()
{
  const LessonEvent* e = steps_.current();
  if (!e)
    return;
  axis_->setCursor(e->t_s);
  if (e->t_s < axis_->visibleStart() || e->t_s > axis_->visibleEnd())
    axis_->goTo(e->t_s);
  const bool lessons = from_s_ == lesson_.timeline.from_s && until_s_ == lesson_.timeline.until_s;
  const QString again = lessons ? QString() : QString(" (run again, traced from %1 s to %2 s)").arg(from_s_, 0, 'f', 3).arg(until_s_, 0, 'f', 3);
  sentence_->setText(QString("%1 s — %2").arg(e->t_s, 0, 'f', 4).arg(e->sentence) + again);
  emit stepped(steps_.index());
}

std::vector<QImage> LessonTimeline::frames(int count)
{
  std::vector<QImage> out;
  if (!model_ || count < 1)
    return out;
  overlay_->resize(view_->size());
  const double from = axis_->visibleStart(), until = axis_->visibleEnd();
  for (int i = 0; i < count; ++i) {
    axis_->setCursor(from + (until - from) * (i + 0.5) / count);
    out.push_back(view_->grab().toImage());
  }
  return out;
}

} // namespace gilsim::studio
