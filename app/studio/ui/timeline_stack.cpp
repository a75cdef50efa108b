// One timeline per configuration on a shared axis (see timeline_stack.hpp).
#include "ui/timeline_stack.hpp"
#include "core/configuration_colors.hpp"
#include "timeline/time_axis.hpp"
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>

namespace gilsim::studio {

TimelineStack::TimelineStack(QWidget* parent) : QWidget(parent), axis_(new TimeAxis(this))
{
  auto* content = new QWidget;
  rows_         = new QVBoxLayout(content);
  rows_->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setWidget(content);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll);
}

void TimelineStack::setConfigurations(const QStringList& labels)
{
  for (QLabel* w : titles_)
    delete w;
  for (QLabel* w : placeholders_)
    delete w;
  titles_.clear();
  placeholders_.clear();
  traces_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  while (QLayoutItem* item = rows_->takeAt(0))
    delete item;
  for (int k = 0; k < labels.size(); ++k) {
    auto* title = new QLabel(QString("<b><font color='%1'>■</font> %2</b>").arg(configurationColor(k).name(), labels[k]));
    auto* body  = new QLabel("waiting for the trace…");
    body->setMinimumHeight(120);
    body->setAlignment(Qt::AlignCenter);
    body->setStyleSheet("background: #f4f4f4; color: #555;");
    rows_->addWidget(title);
    rows_->addWidget(body, 1);
    titles_.push_back(title);
    placeholders_.push_back(body);
  }
}

void TimelineStack::setTrace(int configuration, std::shared_ptr<const trace::Trace> trace)
{
  const auto k = static_cast<std::size_t>(configuration);
  placeholders_.at(k)->setText(QString("%1 lanes, %2 intervals in [%3 s, %4 s]")
                                   .arg(trace->lanes.size())
                                   .arg(trace->interval_count())
                                   .arg(trace->from_s)
                                   .arg(trace->until_s));
  traces_.at(k) = std::move(trace);
  fitAxisToTraces();
}

void TimelineStack::fitAxisToTraces()
{
  double from_s = 1e300, until_s = -1e300;
  for (const auto& trace : traces_)
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
