// The Compare view (see compare_view.hpp).
#include "ui/compare_view.hpp"
#include "core/configuration_colors.hpp"
#include "core/result_figures.hpp"
#include "core/results_table_model.hpp"
#include "timeline/time_axis.hpp"
#include "ui/counters_panel.hpp"
#include "ui/replay_bar.hpp"
#include "timeline/go_to_time_edit.hpp"
#include "ui/timeline_stack.hpp"
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace gilsim::studio {

namespace {
constexpr int kSideWidth_px = 440; ///< the counters and the selected request beside the timelines
} // namespace

CompareView::CompareView(ResultsTableModel* results, QWidget* parent) : QWidget(parent), results_(results)
{
  splitter_ = new QSplitter(Qt::Vertical, this);
  splitter_->setObjectName("compareSplitter");
  splitter_->addWidget(buildResultsArea());
  splitter_->addWidget(buildTimelineArea());
  splitter_->setStretchFactor(0, 0);
  splitter_->setStretchFactor(1, 1);
  (new QVBoxLayout(this))->addWidget(splitter_);
  connectCursor();
  connect(results_, &QAbstractItemModel::dataChanged, this, &CompareView::showLimits);
  connect(results_, &QAbstractItemModel::modelReset, this, &CompareView::showLimits);
  connect(results_, &QAbstractItemModel::modelReset, this, &CompareView::fitTableToRows);
}

QWidget* CompareView::buildResultsArea()
{
  table_ = new QTableView;
  table_->setModel(results_);
  table_->verticalHeader()->hide();
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  limits_ = new QLabel;
  limits_->setWordWrap(true);
  limits_->setTextFormat(Qt::RichText);
  limits_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* area   = new QWidget;
  auto* layout = new QVBoxLayout(area);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_);
  layout->addWidget(limits_);
  layout->addStretch(1);
  return area;
}

QWidget* CompareView::buildTimelineArea()
{
  replay_    = new ReplayBar;
  timelines_ = new TimelineStack;
  details_   = new QPlainTextEdit;
  details_->setReadOnly(true);
  counters_ = new CountersPanel;
  auto* side       = new QWidget;
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  sideLayout->addWidget(counters_);
  sideLayout->addWidget(details_, 1);
  side->setFixedWidth(kSideWidth_px);
  details_->setPlaceholderText("Click a request in a timeline to see its life; drag a range to see what happened in it.");
  timelineArea_      = new QWidget;
  auto* layout       = new QVBoxLayout(timelineArea_);
  auto* row          = new QHBoxLayout;
  layout->setContentsMargins(0, 0, 0, 0);
  row->addWidget(timelines_, 1);
  row->addWidget(side);
  auto* controls = new QHBoxLayout;
  goTo_          = new GoToTimeEdit(timelines_->axis());
  goTo_->setPlaceholderText("go to time (Ctrl+G), e.g. 12.5 s");
  goTo_->setMaximumWidth(260);
  controls->addWidget(replay_, 1);
  controls->addWidget(goTo_);
  layout->addLayout(controls);
  layout->addLayout(row, 1);
  connect(timelines_, &TimelineStack::requestText, this, [this](const QString& text) {
    requestText_ = text;
    showDetails();
  });
  connect(timelines_, &TimelineStack::rangeText, this, [this](const QString& text) {
    rangeText_ = text;
    showDetails();
  });
  connect(timelines_, &TimelineStack::windowChanged, this,
          [this](double from_s, double until_s) { replay_->setWindow(from_s, until_s, switchInterval_s_); });
  return timelineArea_;
}

void CompareView::connectCursor()
{
  TimeAxis* axis = timelines_->axis();
  connect(replay_, &ReplayBar::cursorMoved, axis, &TimeAxis::setCursor);
  connect(axis, &TimeAxis::cursorChanged, this, [this, axis] {
    replay_->followCursor(axis->cursor());
    counters_->showAt(axis->cursor());
  });
}

void CompareView::setConfigurations(const QStringList& labels, double switchInterval_s)
{
  switchInterval_s_ = switchInterval_s;
  traces_.assign(std::size_t(labels.size()), nullptr);
  timelines_->setConfigurations(labels);
  counters_->setConfigurations(labels);
  requestText_.clear();
  rangeText_.clear();
  showDetails();
}

void CompareView::setTrace(int configuration, std::shared_ptr<const trace::Trace> trace)
{
  traces_.at(std::size_t(configuration)) = trace;
  counters_->setTrace(configuration, trace);
  timelines_->setTrace(configuration, std::move(trace));
}

void CompareView::setRealTrace(int configuration, std::shared_ptr<const trace::Trace> trace, const QString& title)
{
  timelines_->setRealTrace(configuration, std::move(trace), title);
}

void CompareView::fitTableToRows()
{
  const int rows_px = table_->verticalHeader()->defaultSectionSize() * results_->rowCount();
  table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() + rows_px + 2 * table_->frameWidth() + 2);
}

std::shared_ptr<const trace::Trace> CompareView::trace(int configuration) const
{
  return configuration < int(traces_.size()) ? traces_[std::size_t(configuration)] : nullptr;
}

void CompareView::showLimits()
{
  QStringList lines;
  for (int row = 0; row < results_->rowCount(); ++row) {
    const QString swatch = QString("<font color='%1'>■</font> <b>%2</b>: ")
                               .arg(configurationColor(row).name(), results_->label(row).toHtmlEscaped());
    if (results_->status(row) == ResultsTableModel::Status::done)
      lines << swatch + limitSentence(results_->result(row)).toHtmlEscaped();
    else if (results_->status(row) == ResultsTableModel::Status::failed)
      lines << swatch + "<font color='#b00020'>" + results_->message(row).toHtmlEscaped().replace("\n", "<br>") + "</font>";
  }
  limits_->setText(lines.isEmpty() ? QString() : "<p style='line-height:130%'>What limits each configuration:<br>" +
                                                     lines.join("<br>") + "</p>");
}

void CompareView::showDetails()
{
  QStringList parts;
  if (!requestText_.isEmpty())
    parts << "Selected request\n" + requestText_;
  if (!rangeText_.isEmpty())
    parts << "Selected range\n" + rangeText_;
  details_->setPlainText(parts.join("\n\n"));
}

} // namespace gilsim::studio
