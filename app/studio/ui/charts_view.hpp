// The Charts view: the whole run of every configuration, one colour each —
// throughput and latency p50/p99 over time and the latency CDF (from the
// traces' 100 ms aggregates, binned to ~120 points), CPU busy and GIL wait as
// bars (from the results, rounded as the table shows them).
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

class QChart;
class QChartView;

namespace gilsim::studio {

class ChartsView : public QWidget {
  Q_OBJECT
public:
  explicit ChartsView(QWidget* parent = nullptr);
  void setConfigurations(const QStringList& labels);
  void setResult(int configuration, const nlohmann::json& result);
  void setTrace(int configuration, std::shared_ptr<const trace::Trace> trace);

private:
  struct Configuration {
    QString label;
    nlohmann::json result;
    std::shared_ptr<const trace::Trace> trace;
  };
  std::vector<const trace::Aggregates*> aggregates() const;
  void redraw();
  /// Simulated time along x from 0 to `end_s`, `yTitle` up to `top`.
  void attachTimeAxes(QChart* chart, const QString& yTitle, double end_s, double top);
  void drawThroughput();
  void drawLatency();
  void drawCdf();
  void drawCpuAndGil();

  std::vector<Configuration> configurations_;
  QChartView* throughput_;
  QChartView* latency_;
  QChartView* cdf_;
  QChartView* cpuGil_;
};

} // namespace gilsim::studio
