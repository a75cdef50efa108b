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

constexpr std::size_t kPointsAcross = 120; ///< enough to see the shape, few enough to see through the noise

/// How many 100 ms buckets one point of a time chart sums up.
std::size_t bucketsPerPoint(const trace::Aggregates& a) { return std::max<std::size_t>(1, (a.buckets() + kPointsAcross - 1) / kPointsAcross); }

/// One point of a time chart: `per` buckets from `first`, their middle time and completions.
struct Bin {
  double middle_s = 0, completed = 0, width_s = 0;
};
Bin binAt(const trace::Aggregates& a, std::size_t first, std::size_t per)
{
  const std::size_t last = std::min(a.buckets(), first + per);
  Bin bin;
  bin.width_s  = double(last - first) * a.bucket_s;
  bin.middle_s = double(first) * a.bucket_s + bin.width_s / 2;
  for (std::size_t i = first; i < last; ++i)
    bin.completed += a.completed[i];
  return bin;
}

/// The completion-weighted mean of a per-bucket latency over one bin; NaN if nothing completed.
double weightedLatency_ms(const trace::Aggregates& a, const std::vector<double>& latency_ms, std::size_t first, std::size_t per)
{
  double sum = 0, weight = 0;
  for (std::size_t i = first; i < std::min(a.buckets(), first + per); ++i) {
    sum += a.completed[i] * latency_ms[i];
    weight += a.completed[i];
  }
  return weight > 0 ? sum / weight : std::nan("");
}

QString binText(double bin_s) { return QString::number(bin_s, 'g', 2) + " s"; }

/// The width of one point, in seconds, over all configurations' traces.
double pointWidth_s(const std::vector<const trace::Aggregates*>& all)
{
  double width_s = 0.1;
  for (const trace::Aggregates* a : all)
    width_s = std::max(width_s, double(bucketsPerPoint(*a)) * a->bucket_s);
  return width_s;
}

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

std::vector<const trace::Aggregates*> ChartsView::aggregates() const
{
  std::vector<const trace::Aggregates*> all;
  for (const Configuration& c : configurations_)
    if (c.trace)
      all.push_back(&c.trace->aggregates);
  return all;
}

void ChartsView::attachTimeAxes(QChart* chart, const QString& yTitle, double end_s, double top)
{
  auto* x = addAxis<QValueAxis>(chart, Qt::AlignBottom, "simulated time (s)", font());
  auto* y = addAxis<QValueAxis>(chart, Qt::AlignLeft, yTitle, font());
  fromZero(x, end_s / 1.05);
  fromZero(y, top);
  attach(chart, x, y);
}

void ChartsView::drawThroughput()
{
  QChart* chart = resetChart(throughput_, "Throughput over time (completed req/s, per " + binText(pointWidth_s(aggregates())) + ")");
  double top = 1, end_s = 1;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    QLineSeries* line = addLine(chart, c.label, configurationColor(int(k)));
    if (!c.trace)
      continue;
    const trace::Aggregates& a = c.trace->aggregates;
    const std::size_t per      = bucketsPerPoint(a);
    for (std::size_t first = 0; first < a.buckets(); first += per) {
      const Bin bin = binAt(a, first, per);
      line->append(bin.middle_s, bin.completed / bin.width_s);
      top = std::max(top, bin.completed / bin.width_s);
    }
    end_s = std::max(end_s, double(a.buckets()) * a.bucket_s);
  }
  attachTimeAxes(chart, "completed req/s", end_s, top);
}

void ChartsView::drawLatency()
{
  QChart* chart = resetChart(latency_, "Latency over time (ms, per " + binText(pointWidth_s(aggregates())) + "): p50 solid, p99 dashed");
  double top = 1, end_s = 1;
  for (std::size_t k = 0; k < configurations_.size(); ++k) {
    const Configuration& c = configurations_[k];
    QLineSeries* p50 = addLine(chart, c.label, configurationColor(int(k)));
    QLineSeries* p99 = addLine(chart, c.label + " p99", configurationColor(int(k)), Qt::DashLine);
    chart->legend()->markers(p99).value(0)->setVisible(false);
    if (!c.trace)
      continue;
    const trace::Aggregates& a = c.trace->aggregates;
    const std::size_t per      = bucketsPerPoint(a);
    for (std::size_t first = 0; first < a.buckets(); first += per) {
      const double middle_s = binAt(a, first, per).middle_s;
      const double p99_ms   = weightedLatency_ms(a, a.latency_p99_ms, first, per);
      if (std::isnan(p99_ms))
        continue;
      p50->append(middle_s, weightedLatency_ms(a, a.latency_p50_ms, first, per));
      p99->append(middle_s, p99_ms);
      top = std::max(top, p99_ms);
    }
    end_s = std::max(end_s, double(a.buckets()) * a.bucket_s);
  }
  attachTimeAxes(chart, "latency (ms)", end_s, top);
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
    x->setRange(lowest_ms / 1.5, highest_ms * 1.5);
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
