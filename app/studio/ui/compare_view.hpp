// The Compare view: the comparison table (the figures `gilsim run` prints, with
// ±95 % intervals), the CLI's sentence on what limits each configuration, the
// counters at the replay cursor, and one timeline per configuration on one axis.
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <memory>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTableView;

class GoToTimeEdit;

namespace gilsim::studio {

class CountersPanel;
class ReplayBar;
class ResultsTableModel;
class TimelineStack;

class CompareView : public QWidget {
  Q_OBJECT
public:
  CompareView(ResultsTableModel* results, QWidget* parent = nullptr);
  void setConfigurations(const QStringList& labels, double switchInterval_s);
  void setTrace(int configuration, std::shared_ptr<const trace::Trace> trace);
  /// A configuration measured on gilsim-server: its real timeline under the simulated one.
  void setRealTrace(int configuration, std::shared_ptr<const trace::Trace> trace, const QString& title);

  QTableView* table() const { return table_; }
  /// The trace shown for a configuration; null before it is read.
  std::shared_ptr<const trace::Trace> trace(int configuration) const;
  ReplayBar* replay() const { return replay_; }
  /// "Go to time": moves the timelines' cursor; a time outside their window asks for another.
  GoToTimeEdit* goTo() const { return goTo_; }
  TimelineStack* timelines() const { return timelines_; }
  /// The timelines with the replay bar and the details beside them (the "timeline" picture).
  QWidget* timelineArea() const { return timelineArea_; }
  QSplitter* splitter() const { return splitter_; }

private:
  QWidget* buildResultsArea();
  QWidget* buildTimelineArea();
  void connectCursor();
  void showLimits();
  /// Every configuration's row stays in sight, however the splitter is dragged.
  void fitTableToRows();
  void showDetails();

  ResultsTableModel* results_;
  QTableView* table_;
  QLabel* limits_;
  CountersPanel* counters_;
  ReplayBar* replay_;
  GoToTimeEdit* goTo_;
  TimelineStack* timelines_;
  QPlainTextEdit* details_;
  QWidget* timelineArea_;
  QSplitter* splitter_;
  std::vector<std::shared_ptr<const trace::Trace>> traces_;
  QString requestText_, rangeText_;
  double switchInterval_s_ = 0.005;
};

} // namespace gilsim::studio
