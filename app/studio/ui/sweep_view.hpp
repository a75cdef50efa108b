// The Sweep view: pick a parameter of the open scenario, the values it takes and a
// figure; each point runs in child gilsim processes (progress, Cancel) and the figure
// is plotted against the parameter, one line per configuration, with its 95 % band.
#pragma once
#include "core/scenario_document.hpp"
#include "core/sweep_runner.hpp"
#include <QWidget>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

class QAbstractAxis;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace gilsim::studio {

struct SweepFigure;

class SweepView : public QWidget {
  Q_OBJECT
public:
  explicit SweepView(QWidget* parent = nullptr);
  /// The scenario a sweep runs (the window's, read at each Run); then documentChanged().
  void setDocument(const ScenarioDocument* document);
  /// A new scenario: its parameters in the combo, the plot emptied, a sweep going cancelled.
  void documentChanged();
  /// Sets the controls as a person would (the parameter may be any path the loader takes).
  void setSweep(const QString& path, const QString& values, int figure = 0);
  SweepRunner* runner() { return &runner_; }
  QChartView* chart() const { return chart_; }
  QString statusText() const;
  /// What failed in the last sweep, one line per point.
  const QStringList& failures() const { return failures_; }
  /// result(point, server): a `gilsim run --json` result, null until it is in.
  const nlohmann::json& result(int point, int server) const;

public slots:
  void run();
  void cancel();

signals:
  /// The sweep is over: every point in (or failed), or it was refused or cancelled.
  void sweepSettled();

private:
  QWidget* buildControls();
  void connectRunner();
  void showStatus(const QString& text, bool error = false);
  void settle(const QString& text, bool error = false);
  void redraw();
  std::pair<QString, QString> describe(int server) const;
  QString seriesName(int server) const;
  /// Draws configuration `server`'s line, markers and band; returns the highest point drawn.
  double addCurve(QChart* chart, int server, const SweepFigure& figure);
  QAbstractAxis* makeXAxis() const;

  SweepRunner runner_;
  const ScenarioDocument* document_ = nullptr;
  QComboBox* parameter_;
  QLineEdit* values_;
  QComboBox* figure_;
  QPushButton* runButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* status_;
  QChartView* chart_;
  QString sweptPath_;
  QStringList sweptValues_;
  std::vector<std::vector<nlohmann::json>> results_;
  QStringList failures_;
};

} // namespace gilsim::studio
