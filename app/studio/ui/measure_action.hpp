// "Measure on gilsim-server" in the window: asks for the seconds, runs the
// measurement with progress and Cancel, fills the table's measured columns and
// shows each gthread configuration's real timeline under its simulated one.
#pragma once
#include "core/measure_report.hpp"
#include "core/measure_runner.hpp"
#include "core/scenario_document.hpp"
#include "engine/trace_file.hpp"
#include <QObject>
#include <map>
#include <memory>

class QProgressDialog;
class QWidget;

namespace gilsim::studio {

class CompareView;
class ResultsTableModel;

class MeasureAction : public QObject {
  Q_OBJECT
public:
  MeasureAction(ResultsTableModel* results, CompareView* compare, QWidget* window);

  /// Asks for the seconds in a dialog, then starts.
  void ask(const ScenarioDocument& document);
  /// Starts without asking; false (and `failed`) if it cannot.
  bool start(const ScenarioDocument& document, const MeasureOptions& options);
  void cancel();
  /// A new scenario: cancels, forgets the last measurement.
  void forget();
  /// After the comparison was re-run: shows the real timelines again.
  void showAgain();
  /// Fills the measured columns from a `gilsim validate --json` report on `document` and reads its real traces.
  void applyReport(const ScenarioDocument& document, const nlohmann::json& report);
  MeasureRunner* runner() { return &runner_; }
  bool isBusy() const { return runner_.isRunning() || tracesPending_ > 0; }

signals:
  void failed(QString message);
  void statusMessage(QString text);
  /// The measurement is in: columns filled and every real trace shown (or failed).
  void settled();

private:
  /// The table and the timelines set to the document's configurations, unless they already are.
  void prepare(const ScenarioDocument& document);
  void showProgress(double elapsed_s, double estimate_s);
  void readRealTrace(int configuration, const QString& dir);
  void traceDone();
  void closeProgress();

  ResultsTableModel* results_;
  CompareView* compare_;
  QWidget* window_;
  MeasureRunner runner_;
  QProgressDialog* progress_ = nullptr;
  ScenarioDocument document_;
  QStringList labels_;
  double switchInterval_s_ = 0.005;
  std::map<int, std::shared_ptr<const trace::Trace>> realTraces_;
  int tracesPending_ = 0;
  int generation_    = 0;
};

} // namespace gilsim::studio
