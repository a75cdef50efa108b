// One timeline per server configuration, stacked (scrolled when many), on one shared TimeAxis
// so the same instant lines up in every configuration; each timeline's model
// is built off the GUI thread; a selected request or range is passed on as text; a
// configuration measured on gilsim-server shows its real timeline right under its simulated one.
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <QString>
#include <memory>
#include <utility>
#include <vector>

class TimeAxis;
class TimelineView;
class QSplitter;

namespace gilsim::studio {

class TimelineStack : public QWidget {
  Q_OBJECT
public:
  explicit TimelineStack(QWidget* parent = nullptr);
  TimeAxis* axis() const { return axis_; }
  void setConfigurations(const QStringList& labels);
  void setTrace(int configuration, std::shared_ptr<const trace::Trace> trace);
  /// Shows (or replaces) a configuration's real timeline under its simulated one, titled `title`.
  void setRealTrace(int configuration, std::shared_ptr<const trace::Trace> trace, const QString& title);
  /// The real timeline of a configuration; null if none.
  TimelineView* realView(int configuration) const;
  TimelineView* view(int configuration) const { return views_.at(std::size_t(configuration)); }
  /// Every trace shown, in the order shown, with its timeline's title.
  std::vector<std::pair<QString, std::shared_ptr<const trace::Trace>>> shownTraces() const;
  /// Lights up request `id` in a configuration's timeline and spells out its life.
  void selectRequest(int configuration, uint32_t id);
  /// Every trace given has its timeline drawn.
  bool isComplete() const { return modelsPending_ == 0; }

signals:
  void requestText(QString text);
  void rangeText(QString text);
  void statusMessage(QString text);
  /// The union of the traces' windows changed.
  void windowChanged(double from_s, double until_s);
  /// A timeline got its model (see isComplete()).
  void timelineReady(int configuration);

private:
  TimelineView* addView(int configuration, const QString& label);
  void fitAxisToTraces();
  /// One label column for every view: the same instant at the same x.
  void alignLabels();
  /// Builds `view`'s model off the GUI thread; timelineReady(configuration) follows.
  void showModel(TimelineView* view, int configuration, std::shared_ptr<const trace::Trace> trace);

  TimeAxis* axis_;
  QSplitter* splitter_;
  std::vector<TimelineView*> views_;
  std::vector<std::shared_ptr<const trace::Trace>> traces_;
  std::vector<TimelineView*> realViews_;
  std::vector<std::shared_ptr<const trace::Trace>> realTraces_;
  int generation_    = 0;
  int modelsPending_ = 0;
};

} // namespace gilsim::studio
