// The server's counters at the replay cursor, one row per configuration:
// runnable threads, backlog, requests in the system, pool waiters, database
// connections, memory — read from each trace (CounterSeries::value_at).
#pragma once
#include "engine/trace_file.hpp"
#include <QWidget>
#include <memory>
#include <vector>

class QLabel;
class QTableWidget;

namespace gilsim::studio {

class CountersPanel : public QWidget {
  Q_OBJECT
public:
  explicit CountersPanel(QWidget* parent = nullptr);
  void setConfigurations(const QStringList& labels);
  void setTrace(int configuration, std::shared_ptr<const trace::Trace> trace);

public slots:
  void showAt(double t_s);

private:
  QStringList counterNames() const;
  QString valueText(int configuration, const QString& counter, double t_s) const;

  QStringList labels_;
  QLabel* title_;
  QTableWidget* table_;
  std::vector<std::shared_ptr<const trace::Trace>> traces_;
  double shown_s_ = 0;
};

} // namespace gilsim::studio
