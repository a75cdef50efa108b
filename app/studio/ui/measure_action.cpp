// "Measure on gilsim-server" in the window (see measure_action.hpp).
#include "ui/measure_action.hpp"
#include "core/loaded_trace.hpp"
#include "core/scenario_summary.hpp"
#include "core/background.hpp"
#include "core/results_table_model.hpp"
#include "ui/compare_view.hpp"
#include "ui/measure_dialog.hpp"
#include <QProgressDialog>
#include <cmath>

namespace gilsim::studio {

namespace {

} // namespace

MeasureAction::MeasureAction(ResultsTableModel* results, CompareView* compare, QWidget* window)
    : QObject(window), results_(results), compare_(compare), window_(window)
{
  connect(&runner_, &MeasureRunner::progress, this, &MeasureAction::showProgress);
  connect(&runner_, &MeasureRunner::finished, this, [this](const nlohmann::json& report) {
    closeProgress();
    applyReport(document_, report);
  });
  connect(&runner_, &MeasureRunner::failed, this, [this](const QString& message) {
    closeProgress();
    emit failed(message);
    emit settled();
  });
  connect(&runner_, &MeasureRunner::cancelled, this, [this] {
    closeProgress();
    emit statusMessage("Measurement cancelled: gilsim validate, its servers and wrk were stopped.");
    emit settled();
  });
}

void MeasureAction::ask(const ScenarioDocument& document)
{
  const QString invalid = document.isEmpty() ? QString("Open a scenario first (File ▸ Open).") : document.validationError();
  if (!invalid.isEmpty())
    return emit failed(invalid);
  MeasureDialog dialog(document.load(), window_);
  if (dialog.exec() == QDialog::Accepted)
    start(document, dialog.options());
}

bool MeasureAction::start(const ScenarioDocument& document, const MeasureOptions& options)
{
  QString error;
  const QString invalid = document.validationError();
  if (!invalid.isEmpty() || !runner_.start(document.json(), options, &error)) {
    emit failed(invalid.isEmpty() ? error : invalid);
    return false;
  }
  document_ = document;
  closeProgress();
  progress_ = new QProgressDialog(QString(), "Cancel", 0, 1000, window_);
  progress_->setWindowTitle("Measure on gilsim-server");
  progress_->setWindowModality(Qt::NonModal);
  progress_->setMinimumDuration(0);
  progress_->setAutoClose(false);
  progress_->setAutoReset(false);
  connect(progress_, &QProgressDialog::canceled, this, &MeasureAction::cancel);
  showProgress(0, runner_.estimate_s());
  return true;
}

void MeasureAction::cancel() { runner_.cancel(); }

void MeasureAction::forget()
{
  runner_.cancel();
  ++generation_;
  tracesPending_ = 0;
  realTraces_.clear();
  labels_.clear();
}

void MeasureAction::showAgain()
{
  if (results_->labels() != labels_)
    return forget();
  for (const auto& [k, trace] : realTraces_)
    compare_->setRealTrace(k, trace, realTimelineTitle(labels_[k]));
}

void MeasureAction::prepare(const ScenarioDocument& document)
{
  const Scenario scenario = document.load();
  labels_ = configurationLabels(scenario);
  if (results_->labels() == labels_)
    return;
  results_->reset(labels_);
  compare_->setConfigurations(labels_, scenario.base.server.interpreter.switch_interval_s);
}

void MeasureAction::applyReport(const ScenarioDocument& document, const nlohmann::json& report)
{
  forget();
  try {
    prepare(document);
    const std::vector<Measurement> measurements = readMeasurements(report, labels_);
    results_->setMeasurements(measurements);
    for (const Measurement& m : measurements)
      if (!m.realTraceDir.isEmpty())
        readRealTrace(m.configuration, m.realTraceDir);
  } catch (const std::exception& e) {
    emit failed("the measurement cannot be shown: " + QString::fromUtf8(e.what()));
  }
  emit statusMessage(QString("Measured on gilsim-server: %1 configurations.").arg(report.value("results", nlohmann::json::array()).size()));
  if (tracesPending_ == 0)
    emit settled();
}

void MeasureAction::readRealTrace(int configuration, const QString& dir)
{
  ++tracesPending_;
  const int generation = generation_;
  auto read = [dir] { return loadTrace([&] { return trace::read_dir(dir.toStdString()); }); };
  runInBackground(this, read, [this, configuration, generation](const LoadedTrace& real) {
    if (generation != generation_)
      return;
    if (real.trace) {
      realTraces_[configuration] = real.trace;
      compare_->setRealTrace(configuration, real.trace, realTimelineTitle(labels_[configuration]));
    } else {
      emit failed(QString("%1: the real timeline cannot be shown: %2").arg(labels_[configuration], real.error));
    }
    traceDone();
  });
}

void MeasureAction::traceDone()
{
  if (--tracesPending_ == 0)
    emit settled();
}

void MeasureAction::showProgress(double elapsed_s, double estimate_s)
{
  if (!progress_)
    return;
  progress_->setLabelText(QString("Measuring %1 on gilsim-server (it starts the server and wrk): %2 s of about %3 s")
                              .arg(document_.title())
                              .arg(std::lround(elapsed_s))
                              .arg(std::lround(estimate_s)));
  progress_->setValue(int(1000 * std::min(0.99, elapsed_s / std::max(1.0, estimate_s))));
}

void MeasureAction::closeProgress()
{
  if (!progress_)
    return;
  progress_->disconnect(this);
  progress_->deleteLater();
  progress_ = nullptr;
}

} // namespace gilsim::studio
