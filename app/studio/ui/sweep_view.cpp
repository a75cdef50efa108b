// The Sweep view (see sweep_view.hpp).
#include "ui/sweep_view.hpp"
#include "core/configuration_colors.hpp"
#include "core/sweep_plan.hpp"
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QThread>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace gilsim::studio {

namespace {

constexpr qreal kLineWidth   = 3.0;
constexpr qreal kMarkerSize  = 11.0;
constexpr int kBandAlpha     = 60;
constexpr double kTitleScale = 1.3;
const QString kDefaultPath   = "servers[*].workers";
const QString kDefaultValues = "1,2,4,8,16";

/// One configuration's points of the figure: x, y and the 95 % half-width (NaN: none), by x.
struct Curve {
  std::vector<double> x, y, half;
};

bool isPowerOfTwo(double v) { return v > 0 && std::abs(std::log2(v) - std::round(std::log2(v))) < 1e-9; }

/// Powers of two from 1 up, spread over a factor of 8 or more: drawn on a log₂ axis.
bool wantsLogAxis(const QStringList& values)
{
  double lowest = 1e300, highest = 0;
  for (const QString& v : values) {
    if (!isPowerOfTwo(v.toDouble()))
      return false;
    lowest  = std::min(lowest, v.toDouble());
    highest = std::max(highest, v.toDouble());
  }
  return highest >= 8 * lowest;
}

QFont scaled(QFont font, double scale, bool bold)
{
  font.setPointSizeF(font.pointSizeF() * scale);
  font.setBold(bold);
  return font;
}

void styleAxis(QAbstractAxis* axis, const QString& title, const QFont& font)
{
  axis->setTitleText(title);
  axis->setTitleFont(font);
  axis->setLabelsFont(font);
}

QLineSeries* bandEdge(const Curve& c, double sign)
{
  auto* edge = new QLineSeries;
  for (std::size_t i = 0; i < c.x.size(); ++i)
    edge->append(c.x[i], c.y[i] + sign * (std::isnan(c.half[i]) ? 0 : c.half[i]));
  return edge;
}

} // namespace

SweepView::SweepView(QWidget* parent) : QWidget(parent)
{
  chart_ = new QChartView(new QChart);
  chart_->setRenderHint(QPainter::Antialiasing);
  status_ = new QLabel;
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildControls());
  layout->addWidget(status_);
  layout->addWidget(chart_, 1);
  connectRunner();
  documentChanged();
}

QWidget* SweepView::buildControls()
{
  parameter_ = new QComboBox;
  parameter_->setEditable(true);
  parameter_->setMinimumContentsLength(28);
  parameter_->setToolTip("The scenario field to vary; servers[*] varies it in every configuration at once");
  values_ = new QLineEdit(kDefaultValues);
  values_->setToolTip("The values it takes, separated by commas");
  figure_ = new QComboBox;
  for (const SweepFigure& f : sweepFigures())
    figure_->addItem(f.name);
  runButton_    = new QPushButton("Run sweep");
  cancelButton_ = new QPushButton("Cancel");
  cancelButton_->setEnabled(false);
  progress_ = new QProgressBar;
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(220);
  progress_->hide();
  auto* row    = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : std::initializer_list<QWidget*>{new QLabel("Vary"), parameter_, new QLabel("over"), values_,
                                                    new QLabel("and plot"), figure_, runButton_, cancelButton_, progress_})
    layout->addWidget(w);
  layout->setStretchFactor(values_, 1);
  connect(runButton_, &QPushButton::clicked, this, &SweepView::run);
  connect(values_, &QLineEdit::returnPressed, this, &SweepView::run);
  connect(cancelButton_, &QPushButton::clicked, this, &SweepView::cancel);
  connect(figure_, &QComboBox::currentIndexChanged, this, &SweepView::redraw);
  return row;
}

void SweepView::connectRunner()
{
  connect(&runner_, &SweepRunner::progress, this, [this](double f) { progress_->setValue(int(f * 1000)); });
  connect(&runner_, &SweepRunner::pointFinished, this, [this](int point, int server, const nlohmann::json& result) {
    results_.at(std::size_t(point)).at(std::size_t(server)) = result;
    redraw();
  });
  connect(&runner_, &SweepRunner::pointFailed, this, [this](int point, int server, const QString& message) {
    failures_ << QString("%1=%2, configuration %3: %4").arg(sweptPath_, sweptValues_.value(point)).arg(server).arg(message);
    showStatus(failures_.join('\n'), true);
  });
  connect(&runner_, &SweepRunner::allDone, this, [this] {
    if (failures_.isEmpty())
      settle(QString("%1 over %2: %3 runs done.").arg(sweptPath_, sweptValues_.join(", ")).arg(results_.size() * std::size_t(runner_.servers())));
    else
      settle(failures_.join('\n'), true);
  });
  connect(&runner_, &SweepRunner::cancelled, this, [this] { settle("Sweep cancelled."); });
}

void SweepView::setDocument(const ScenarioDocument* document)
{
  document_ = document;
  documentChanged();
}

void SweepView::documentChanged()
{
  runner_.cancel();
  const bool empty      = !document_ || document_->isEmpty();
  const QString current = parameter_->currentText();
  parameter_->clear();
  if (!empty)
    parameter_->addItems(sweepParameters(document_->json()));
  const int kept = parameter_->findText(current.isEmpty() ? kDefaultPath : current);
  parameter_->setCurrentIndex(std::max(0, kept >= 0 ? kept : parameter_->findText(kDefaultPath)));
  results_.clear();
  failures_.clear();
  sweptValues_.clear();
  showStatus(empty ? "Open a scenario, pick a parameter and its values, then Run sweep."
                                : "Pick a parameter and its values, then Run sweep: each point runs every configuration.");
  redraw();
}

void SweepView::setSweep(const QString& path, const QString& values, int figure)
{
  parameter_->setCurrentText(path);
  values_->setText(values);
  figure_->setCurrentIndex(figure);
}

void SweepView::run()
{
  QStringList values;
  QString error;
  if (!document_ || document_->isEmpty())
    return settle("Open a scenario first (File ▸ Open).", true);
  if (!parseSweepValues(values_->text(), &values, &error))
    return settle(error, true);
  const QString path = parameter_->currentText().trimmed();
  if (!runner_.start(document_->json(), path, values, &error))
    return settle(error, true);
  sweptPath_   = path;
  sweptValues_ = values;
  failures_.clear();
  results_.assign(std::size_t(values.size()), std::vector<nlohmann::json>(std::size_t(runner_.servers())));
  runButton_->setEnabled(false);
  cancelButton_->setEnabled(true);
  progress_->setValue(0);
  progress_->show();
  showStatus(QString("Running %1 × %2 configurations in child gilsim processes, %3 at once…")
                 .arg(values.size())
                 .arg(runner_.servers())
                 .arg(std::max(1, QThread::idealThreadCount())));
  redraw();
}

void SweepView::cancel() { runner_.cancel(); }

void SweepView::showStatus(const QString& text, bool error)
{
  status_->setStyleSheet(error ? "color: #8b0000;" : "");
  status_->setText(text);
}

void SweepView::settle(const QString& text, bool error)
{
  runButton_->setEnabled(true);
  cancelButton_->setEnabled(false);
  progress_->hide();
  showStatus(text, error);
  emit sweepSettled();
}

QString SweepView::statusText() const { return status_->text(); }

const nlohmann::json& SweepView::result(int point, int server) const
{
  static const nlohmann::json none;
  if (point < 0 || point >= int(results_.size()) || server < 0 || server >= int(results_[std::size_t(point)].size()))
    return none;
  return results_[std::size_t(point)][std::size_t(server)];
}

/// A configuration's label and worker class, from the first of its results in; empty if none is.
std::pair<QString, QString> SweepView::describe(int server) const
{
  for (const auto& point : results_) {
    const nlohmann::json& r = point.at(std::size_t(server));
    if (!r.is_null())
      return {QString::fromStdString(r.value("label", "")), QString::fromStdString(r.value("worker_class", ""))};
  }
  return {};
}

QString SweepView::seriesName(int server) const
{
  const auto [label, workerClass] = describe(server);
  if (label.isEmpty())
    return QString("configuration %1").arg(server + 1);
  if (!sweptPath_.startsWith("servers"))
    return label;
  // its label names the workers or threads the sweep varies: the worker class says what it is
  int sameClass = 0;
  for (std::size_t k = 0; k < (results_.empty() ? 0 : results_.front().size()); ++k)
    sameClass += describe(int(k)).second == workerClass;
  return sameClass > 1 ? QString("%1 (configuration %2)").arg(workerClass).arg(server + 1) : workerClass;
}

double SweepView::addCurve(QChart* chart, int server, const SweepFigure& figure)
{
  Curve c;
  std::vector<std::size_t> order(results_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return sweptValues_[int(a)].toDouble() < sweptValues_[int(b)].toDouble(); });
  for (std::size_t point : order) {
    const nlohmann::json& r = results_[point].at(std::size_t(server));
    if (r.is_null() || std::isnan(figure.value(r)))
      continue;
    c.x.push_back(sweptValues_[int(point)].toDouble());
    c.y.push_back(figure.value(r));
    c.half.push_back(figure.halfWidth(r));
  }
  const QColor color = configurationColor(server);
  if (std::any_of(c.half.begin(), c.half.end(), [](double h) { return !std::isnan(h); })) {
    QLineSeries* upper = bandEdge(c, +1);
    QLineSeries* lower = bandEdge(c, -1);
    auto* band         = new QAreaSeries(upper, lower);
    upper->setParent(band); // the area series does not own its edges
    lower->setParent(band);
    band->setColor(QColor(color.red(), color.green(), color.blue(), kBandAlpha));
    band->setPen(Qt::NoPen);
    chart->addSeries(band);
    chart->legend()->markers(band).value(0)->setVisible(false);
  }
  auto* line = new QLineSeries;
  line->setName(seriesName(server));
  line->setPen(QPen(color, kLineWidth));
  auto* dots = new QScatterSeries;
  dots->setColor(color);
  dots->setBorderColor(color);
  dots->setMarkerSize(kMarkerSize);
  double top = 0;
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    line->append(c.x[i], c.y[i]);
    dots->append(c.x[i], c.y[i]);
    top = std::max(top, c.y[i] + (std::isnan(c.half[i]) ? 0 : c.half[i]));
  }
  chart->addSeries(line);
  chart->addSeries(dots);
  chart->legend()->markers(dots).value(0)->setVisible(false);
  return top;
}

QAbstractAxis* SweepView::makeXAxis() const
{
  const QString unit  = sweepParameterUnit(sweptPath_);
  const QString title = sweptPath_ + (unit.isEmpty() || unit == "count" ? QString() : " (" + unit + ")");
  QAbstractAxis* axis = nullptr;
  if (wantsLogAxis(sweptValues_)) {
    auto* log = new QLogValueAxis;
    log->setBase(2);
    log->setLabelFormat("%g");
    log->setMinorTickCount(0);
    axis = log;
  } else {
    auto* linear = new QValueAxis;
    linear->setLabelFormat("%g");
    axis = linear;
  }
  double lowest = 1e300, highest = -1e300;
  for (const QString& v : sweptValues_) {
    lowest  = std::min(lowest, v.toDouble());
    highest = std::max(highest, v.toDouble());
  }
  if (sweptValues_.isEmpty())
    lowest = 0, highest = 1;
  const bool log = wantsLogAxis(sweptValues_);
  const double pad = log ? 1.25 : 0.05 * std::max(1e-9, highest - lowest);
  axis->setRange(log ? lowest / pad : lowest - pad, log ? highest * pad : highest + pad);
  styleAxis(axis, title + (log ? ", log scale" : ""), font());
  return axis;
}

void SweepView::redraw()
{
  QChart* chart = chart_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
  const SweepFigure& figure = sweepFigures().at(std::size_t(std::max(0, figure_->currentIndex())));
  chart->setTitleFont(scaled(font(), kTitleScale, true));
  chart->setTitle(sweptValues_.isEmpty() ? QString("A figure against a parameter, one line per configuration")
                                         : QString("%1 against %2%3").arg(figure.name, sweptPath_,
                                                                           figure.ci95 ? " (band: 95 % interval)" : ""));
  chart->legend()->setFont(font());
  chart->legend()->setAlignment(Qt::AlignRight);
  double top = 0;
  const int servers = results_.empty() ? 0 : int(results_.front().size());
  for (int k = 0; k < servers; ++k)
    top = std::max(top, addCurve(chart, k, figure));
  QAbstractAxis* x = makeXAxis();
  auto* y          = new QValueAxis;
  y->setRange(0, top > 0 ? top * 1.08 : 1.0);
  y->applyNiceNumbers();
  y->setLabelFormat("%g");
  styleAxis(y, figure.axisTitle, font());
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* series : chart->series()) {
    series->attachAxis(x);
    series->attachAxis(y);
  }
}

} // namespace gilsim::studio
