// The dialog before a measurement (see measure_dialog.hpp).
#include "ui/measure_dialog.hpp"
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <cmath>

namespace gilsim::studio {

MeasureDialog::MeasureDialog(const Scenario& scenario, QWidget* parent) : QDialog(parent), scenario_(scenario)
{
  setWindowTitle("Measure on gilsim-server");
  seconds_ = new QDoubleSpinBox;
  seconds_->setRange(1, 3600);
  seconds_->setDecimals(0);
  seconds_->setValue(MeasureOptions{}.seconds);
  seconds_->setSuffix(" s");
  warmup_ = new QDoubleSpinBox;
  warmup_->setRange(0, 600);
  warmup_->setDecimals(1);
  warmup_->setValue(MeasureOptions{}.warmup_s);
  warmup_->setSuffix(" s");
  estimate_ = new QLabel;
  estimate_->setWordWrap(true);
  auto* intro = new QLabel("Runs each configuration on the real mini-server (gilsim-server on core 0, wrk on core 1), "
                           "simulates the same setup, and adds the measured figures to the table; gthread "
                           "configurations also show their real timeline under the simulated one.");
  intro->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText("Measure");
  auto* form = new QFormLayout(this);
  form->addRow(intro);
  form->addRow("Measured seconds per configuration", seconds_);
  form->addRow("Warm-up before measuring", warmup_);
  form->addRow(estimate_);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(seconds_, &QDoubleSpinBox::valueChanged, this, &MeasureDialog::showEstimate);
  connect(warmup_, &QDoubleSpinBox::valueChanged, this, &MeasureDialog::showEstimate);
  showEstimate();
  setMinimumWidth(520);
}

MeasureOptions MeasureDialog::options() const
{
  MeasureOptions o;
  o.seconds  = seconds_->value();
  o.warmup_s = warmup_->value();
  return o;
}

void MeasureDialog::showEstimate()
{
  estimate_->setText(QString("%1 configurations: about %2 s in all, with the calibration of each worker class.")
                         .arg(scenario_.servers.size())
                         .arg(std::lround(MeasureRunner::estimate_s(scenario_, options()))));
}

} // namespace gilsim::studio
