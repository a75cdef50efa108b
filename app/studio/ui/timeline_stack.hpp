// One timeline per server configuration, stacked (scrolled when many), on one shared TimeAxis
// so the same instant lines up in every configuration; each timeline's model
// is built off the GUI thread; a selected request or range is passed on as text.
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <memory>
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

  TimeAxis* axis_;
  QSplitter* splitter_;
  std::vector<TimelineView*> views_;
  std::vector<std::shared_ptr<const trace::Trace>> traces_;
  int generation_    = 0;
  int modelsPending_ = 0;
};

} // namespace gilsim::studio
