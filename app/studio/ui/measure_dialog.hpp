// The small dialog before "Measure on gilsim-server": the measured seconds per
// configuration and the warm-up, with how long the whole measurement will take.
#pragma once
#include "core/measure_runner.hpp"
#include <QDialog>

class QDoubleSpinBox;
class QLabel;

namespace gilsim::studio {

class MeasureDialog : public QDialog {
  Q_OBJECT
public:
  MeasureDialog(const Scenario& scenario, QWidget* parent = nullptr);
  MeasureOptions options() const;

private:
  void showEstimate();

  Scenario scenario_;
  QDoubleSpinBox* seconds_;
  QDoubleSpinBox* warmup_;
  QLabel* estimate_;
};

} // namespace gilsim::studio
