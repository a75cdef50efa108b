// One timeline per configuration on a shared axis (see timeline_stack.hpp).
#include "ui/timeline_stack.hpp"
#include "core/background.hpp"
#include "timeline/time_axis.hpp"
#include "timeline/timeline_view.hpp"
#include <QPointer>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

namespace gilsim::studio {

namespace {
constexpr int kMinTimelineHeight_px = 210; ///< a machine row, a process and a few threads
}

TimelineStack::TimelineStack(QWidget* parent) : QWidget(parent), axis_(new TimeAxis(this))
{
  splitter_ = new QSplitter(Qt::Vertical);
  splitter_->setChildrenCollapsible(false);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(splitter_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(TimelineView::makeLegend(this));
  layout->addWidget(scroll, 1);
}

void TimelineStack::setConfigurations(const QStringList& labels)
{
  ++generation_;
  modelsPending_ = 0;
  for (TimelineView* view : views_)
    delete view;
  for (TimelineView* view : realViews_)
    delete view;
  views_.clear();
  traces_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  realViews_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  realTraces_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  for (int k = 0; k < labels.size(); ++k)
    views_.push_back(addView(k, labels[k]));
}

TimelineView* TimelineStack::addView(int configuration, const QString& label)
{
  auto* view = new TimelineView(axis_);
  view->setTitle(label);
  view->setMinimumHeight(kMinTimelineHeight_px);
  splitter_->addWidget(view);
  connect(view, &TimelineView::requestSelected, this, [this, label](uint32_t id, const QString& life) {
    emit requestText(QString("%1, request %2\n%3").arg(label).arg(id).arg(life));
  });
  connect(view, &TimelineView::rangeStats, this, [this, label](const QString& text) { emit rangeText(label + "\n" + text); });
  connect(view, &TimelineView::statusMessage, this, &TimelineStack::statusMessage);
  connect(view, &TimelineView::preferredLabelWidthChanged, this, &TimelineStack::alignLabels);
  return view;
}

void TimelineStack::alignLabels()
{
  int widest = 0;
  for (const auto* list : {&views_, &realViews_})
    for (TimelineView* v : *list)
      if (v)
        widest = std::max(widest, v->preferredLabelWidth());
  for (const auto* list : {&views_, &realViews_})
    for (TimelineView* v : *list)
      if (v)
        v->setLabelWidth(widest);
}

void TimelineStack::setTrace(int configuration, std::shared_ptr<const trace::Trace> trace)
{
  traces_.at(std::size_t(configuration)) = trace;
  showModel(views_.at(std::size_t(configuration)), configuration, std::move(trace));
}

void TimelineStack::setRealTrace(int configuration, std::shared_ptr<const trace::Trace> trace, const QString& title)
{
  const auto k = static_cast<std::size_t>(configuration);
  delete realViews_.at(k);
  realViews_[k] = nullptr;
  TimelineView* view = addView(configuration, title);
  splitter_->insertWidget(splitter_->indexOf(views_.at(k)) + 1, view);
  realViews_[k]  = view;
  alignLabels();
  realTraces_[k] = trace;
  showModel(view, configuration, std::move(trace));
}

TimelineView* TimelineStack::realView(int configuration) const
{
  return configuration < int(realViews_.size()) ? realViews_[std::size_t(configuration)] : nullptr;
}

std::vector<std::pair<QString, std::shared_ptr<const trace::Trace>>> TimelineStack::shownTraces() const
{
  std::vector<std::pair<QString, std::shared_ptr<const trace::Trace>>> shown;
  for (std::size_t k = 0; k < views_.size(); ++k) {
    if (traces_[k])
      shown.emplace_back(views_[k]->title(), traces_[k]);
    if (realTraces_[k])
      shown.emplace_back(realViews_[k]->title(), realTraces_[k]);
  }
  return shown;
}

void TimelineStack::showModel(TimelineView* view, int configuration, std::shared_ptr<const trace::Trace> trace)
{
  ++modelsPending_;
  const int generation = generation_;
  QPointer<TimelineView> target(view);
  runInBackground(this, [trace] { return std::make_shared<const TimelineModel>(trace); },
                  [this, target, configuration, generation](const std::shared_ptr<const TimelineModel>& model) {
                    if (generation != generation_)
                      return;
                    if (target)
                      target->setModel(model);
                    --modelsPending_;
                    fitAxisToTraces();
                    emit timelineReady(configuration);
                  });
}

void TimelineStack::selectRequest(int configuration, uint32_t id) { views_.at(std::size_t(configuration))->selectRequest(id); }

void TimelineStack::fitAxisToTraces()
{
  double from_s = 1e300, until_s = -1e300;
  std::vector<std::shared_ptr<const trace::Trace>> all = traces_;
  all.insert(all.end(), realTraces_.begin(), realTraces_.end());
  for (const auto& trace : all)
    if (trace) {
      from_s  = std::min(from_s, trace->from_s);
      until_s = std::max(until_s, trace->until_s);
    }
  if (until_s <= from_s)
    return;
  axis_->setTraceRange(from_s, until_s);
  emit windowChanged(from_s, until_s);
}

} // namespace gilsim::studio
