// The Charts view (see charts_view.hpp).
#include "ui/charts_view.hpp"
#include "core/configuration_colors.hpp"
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace gilsim::studio {

namespace {

constexpr double kTitleScale = 1.3;
constexpr qreal kLineWidth   = 2.0;

QChartView* makeChartView()
{
  auto* view = new QChartView(new QChart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(360, 260);
  return view;
}

/// Empties a chart and titles it, with fonts large enough for a projector.
QChart* resetChart(QChartView* view, const QString& title)
{
  QChart* chart = view->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  QFont font = view->font();
  font.setPointSizeF(font.pointSizeF() * kTitleScale);
  font.setBold(true);
  chart->setTitleFont(font);
  chart->setTitle(title);
  chart->legend()->setFont(view->font());
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  return chart;
}

template <class Axis>
Axis* addAxis(QChart* chart, Qt::Alignment side, const QString& title, const QFont& font)
{
  auto* axis = new Axis;
  axis->setTitleText(title);
  axis->setTitleFont(font);
  axis->setLabelsFont(font);
  chart->addAxis(axis, side);
  return axis;
}

QLineSeries* addLine(QChart* chart, const QString& name, QColor color, Qt::PenStyle style = Qt::SolidLine)
{
  auto* series = new QLineSeries;
  series->setName(name);
  QPen pen(color, kLineWidth, style);
  series->setPen(pen);
  chart->addSeries(series);
  return series;
}

/// A value axis from 0 to a little above `top`, at round numbers.
void fromZero(QValueAxis* axis, double top)
{
  axis->setRange(0, std::max(top, 1e-9) * 1.05);
  axis->applyNiceNumbers();
  axis->setLabelFormat("%g");
}

void attach(QChart* chart, QAbstractAxis* x, QAbstractAxis* y)
{
  for (QAbstractSeries* series : chart->series()) {
    series->attachAxis(x);
    series->attachAxis(y);
  }
}

/// The bucket's middle time, for bucket i of width bucket_s.
double bucketMiddle_s(const trace::Aggregates& a, std::size_t i) { return (static_cast<double>(i) + 0.5) * a.bucket_s; }

double numberAt(const nlohmann::json& result, const char* pointer)
{
  const nlohmann::json::json_pointer at(pointer);
  return result.contains(at) && result[at].is_number() ? result[at].get<double>() : 0.0;
}

} // namespace

ChartsView::ChartsView(QWidget* parent) : QWidget(parent)
{
  auto* grid  = new QGridLayout(this);
  throughput_ = makeChartView();
  latency_    = makeChartView();
  cdf_        = makeChartView();
  cpuGil_     = makeChartView();
  grid->addWidget(throughput_, 0, 0);
  grid->addWidget(latency_, 0, 1);
  grid->addWidget(cdf_, 1, 0);
  grid->addWidget(cpuGil_, 1, 1);
  redraw();
}

void ChartsView::setConfigurations(const QStringList& labels)
{
  configurations_.clear();
  for (const QString& label : labels)
    configurations_.push_back({label, {}, nullptr});
  redraw();
}

void ChartsView::setResult(int configuration, const nlohmann::json& result)
{
  configurations_.at(static_cast<std::size_t>(configuration)).result = result;
  drawCpuAndGil();
}

void ChartsView::setTrace(int configuration, std::shared_ptr<const trace::Trace> trace)
{
  configurations_.at(static_cast<std::size_t>(configuration)).trace = std::move(trace);
  drawThroughput();
  drawLatency();
  drawCdf();
}

void ChartsView::redraw()
{
  drawThroughput();
  drawLatency();
  drawCdf();
  drawCpuAndGil();
}

void ChartsView::drawThroughput()
{
  QChart* chart = resetChart(throughput_, "Throughput over time (req/s per 100 ms)");
  double top = 1, end_s = 1;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    QLineSeries* line = addLine(chart, c.label, configurationColor(int(k)));
    if (!c.trace)
      continue;
    const trace::Aggregates& a = c.trace->aggregates;
    for (std::size_t i = 0; i < a.buckets(); ++i) {
      const double rps = a.completed[i] / a.bucket_s;
      line->append(bucketMiddle_s(a, i), rps);
      top = std::max(top, rps);
    }
    end_s = std::max(end_s, double(a.buckets()) * a.bucket_s);
  }
  auto* x = addAxis<QValueAxis>(chart, Qt::AlignBottom, "simulated time (s)", font());
  auto* y = addAxis<QValueAxis>(chart, Qt::AlignLeft, "completed req/s", font());
  fromZero(x, end_s / 1.05);
  fromZero(y, top);
  attach(chart, x, y);
}

void ChartsView::drawLatency()
{
  QChart* chart = resetChart(latency_, "Latency over time: p50 solid, p99 dashed (ms)");
  double top = 1, end_s = 1;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    QLineSeries* p50 = addLine(chart, c.label, configurationColor(int(k)));
    QLineSeries* p99 = addLine(chart, c.label + " p99", configurationColor(int(k)), Qt::DashLine);
    chart->legend()->markers(p99).value(0)->setVisible(false);
    if (!c.trace)
      continue;
    const trace::Aggregates& a = c.trace->aggregates;
    for (std::size_t i = 0; i < a.buckets(); ++i) {
      if (a.completed[i] <= 0)
        continue;
      p50->append(bucketMiddle_s(a, i), a.latency_p50_ms[i]);
      p99->append(bucketMiddle_s(a, i), a.latency_p99_ms[i]);
      top = std::max(top, a.latency_p99_ms[i]);
    }
    end_s = std::max(end_s, double(a.buckets()) * a.bucket_s);
  }
  auto* x = addAxis<QValueAxis>(chart, Qt::AlignBottom, "simulated time (s)", font());
  auto* y = addAxis<QValueAxis>(chart, Qt::AlignLeft, "latency (ms)", font());
  fromZero(x, end_s / 1.05);
  fromZero(y, top);
  attach(chart, x, y);
}

void ChartsView::drawCdf()
{
  QChart* chart = resetChart(cdf_, "Latency CDF over the measurement window");
  double lowest_ms = 1e300, highest_ms = 0;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    QLineSeries* line = addLine(chart, c.label, configurationColor(int(k)));
    if (!c.trace)
      continue;
    const std::vector<double>& cdf_ms = c.trace->aggregates.cdf_ms;
    for (std::size_t q = 0; q < cdf_ms.size(); ++q) {
      if (cdf_ms[q] <= 0)
        continue;
      line->append(cdf_ms[q], double(q) / double(std::max<std::size_t>(1, cdf_ms.size() - 1)));
      lowest_ms  = std::min(lowest_ms, cdf_ms[q]);
      highest_ms = std::max(highest_ms, cdf_ms[q]);
    }
  }
  auto* x = addAxis<QLogValueAxis>(chart, Qt::AlignBottom, "latency (ms, log scale)", font());
  x->setLabelFormat("%g");
  x->setMinorTickCount(8);
  if (highest_ms > 0)
    x->setRange(std::pow(10, std::floor(std::log10(lowest_ms))), std::pow(10, std::ceil(std::log10(highest_ms))));
  auto* y = addAxis<QValueAxis>(chart, Qt::AlignLeft, "fraction of requests", font());
  y->setRange(0, 1);
  attach(chart, x, y);
}

void ChartsView::drawCpuAndGil()
{
  QChart* chart = resetChart(cpuGil_, "CPU busy and GIL wait (% of time)");
  auto* bars    = new QBarSeries;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    auto* set = new QBarSet(c.label);
    set->setColor(configurationColor(int(k)));
    set->setLabelFont(font());
    set->setLabelColor(Qt::black);
    *set << std::round(100 * numberAt(c.result, "/cpu_utilization")) << std::round(100 * numberAt(c.result, "/gil/wait_fraction"));
    bars->append(set);
  }
  bars->setLabelsVisible(true);
  bars->setLabelsFormat("@value");
  bars->setLabelsPrecision(3);
  bars->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
  chart->addSeries(bars);
  auto* x = addAxis<QBarCategoryAxis>(chart, Qt::AlignBottom, QString(), font());
  x->append({"CPU busy (of all cores)", "waiting for the GIL"});
  auto* y = addAxis<QValueAxis>(chart, Qt::AlignLeft, "% of time", font());
  y->setRange(0, 110);
  y->setTickCount(12);
  y->setLabelFormat("%g");
  attach(chart, x, y);
}

} // namespace gilsim::studio
