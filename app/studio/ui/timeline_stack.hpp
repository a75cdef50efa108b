// One timeline per server configuration, stacked, all on one shared TimeAxis
// so the same instant lines up in every configuration; the selected request's
// life and the dragged range's figures are passed on as text.
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <memory>
#include <vector>

class TimeAxis;
class QVBoxLayout;
class QLabel;

namespace gilsim::studio {

class TimelineStack : public QWidget {
  Q_OBJECT
public:
  explicit TimelineStack(QWidget* parent = nullptr);
  TimeAxis* axis() const { return axis_; }
  void setConfigurations(const QStringList& labels);
  void setTrace(int configuration, std::shared_ptr<const trace::Trace> trace);

signals:
  void requestText(QString text);
  void rangeText(QString text);
  /// The union of the traces' windows changed.
  void windowChanged(double from_s, double until_s);

private:
  void fitAxisToTraces();

  TimeAxis* axis_;
  QVBoxLayout* rows_;
  std::vector<QLabel*> titles_;
  std::vector<QLabel*> placeholders_;
  std::vector<std::shared_ptr<const trace::Trace>> traces_;
};

} // namespace gilsim::studio
