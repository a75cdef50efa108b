// Replay controls (see replay_bar.hpp).
#include "ui/replay_bar.hpp"
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <algorithm>
#include <cmath>

namespace gilsim::studio {

namespace {
constexpr int kTickMs          = 33;      ///< about 30 cursor moves a second
constexpr int kSliderSteps     = 100;
constexpr double kFastest      = 1.0;     ///< real time: a simulated second per second

QString durationText(double s)
{
  if (s >= 1)
    return QString::number(s, 'g', 3) + " s";
  if (s >= 1e-3)
    return QString::number(s * 1e3, 'g', 3) + " ms";
  return QString::number(s * 1e6, 'g', 3) + " µs";
}
} // namespace

ReplayBar::ReplayBar(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  auto* back = button(QStyle::SP_MediaSeekBackward, "Step back one switch interval (,)");
  play_      = button(QStyle::SP_MediaPlay, "Play / pause the replay (Space)");
  auto* next = button(QStyle::SP_MediaSeekForward, "Step forward one switch interval (.)");
  speedSlider_ = new QSlider(Qt::Horizontal);
  speedSlider_->setRange(0, kSliderSteps);
  speedSlider_->setValue(kSliderSteps / 3);
  speedSlider_->setMinimumWidth(220);
  speedSlider_->setToolTip("Replay speed: from one switch interval per second (slow motion) to real time");
  speedLabel_  = new QLabel;
  cursorLabel_ = new QLabel;
  speedLabel_->setMinimumWidth(200);
  cursorLabel_->setMinimumWidth(160);
  layout->addWidget(new QLabel("Replay"));
  for (QWidget* w : {static_cast<QWidget*>(back), static_cast<QWidget*>(play_), static_cast<QWidget*>(next)})
    layout->addWidget(w);
  layout->addWidget(cursorLabel_);
  layout->addSpacing(16);
  layout->addWidget(new QLabel("speed"));
  layout->addWidget(speedSlider_);
  layout->addWidget(speedLabel_);
  layout->addStretch(1);
  connect(back, &QToolButton::clicked, this, &ReplayBar::stepBackward);
  connect(play_, &QToolButton::clicked, this, &ReplayBar::togglePlay);
  connect(next, &QToolButton::clicked, this, &ReplayBar::stepForward);
  connect(speedSlider_, &QSlider::valueChanged, this, &ReplayBar::showSpeed);
  connect(&timer_, &QTimer::timeout, this, &ReplayBar::advance);
  timer_.setInterval(kTickMs);
  showSpeed();
  showCursor();
}

QToolButton* ReplayBar::button(QStyle::StandardPixmap icon, const QString& tip)
{
  auto* b = new QToolButton;
  b->setIcon(style()->standardIcon(icon));
  b->setToolTip(tip);
  b->setMinimumWidth(36);
  return b;
}

void ReplayBar::showPlaying()
{
  play_->setIcon(style()->standardIcon(timer_.isActive() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void ReplayBar::setWindow(double from_s, double until_s, double switchInterval_s)
{
  from_s_  = from_s;
  until_s_ = std::max(from_s, until_s);
  slowest_ = std::max(1e-6, switchInterval_s);
  timer_.stop();
  showPlaying();
  showSpeed();
  setCursor(from_s_);
}

double ReplayBar::speed() const
{
  const double position = double(speedSlider_->value()) / kSliderSteps;
  return slowest_ * std::pow(kFastest / slowest_, position);
}

void ReplayBar::togglePlay()
{
  if (timer_.isActive()) {
    timer_.stop();
  } else {
    if (cursor_s_ >= until_s_)
      setCursor(from_s_);
    sinceTick_.start();
    timer_.start();
  }
  showPlaying();
}

void ReplayBar::stepForward() { setCursor(cursor_s_ + slowest_); }
void ReplayBar::stepBackward() { setCursor(cursor_s_ - slowest_); }

void ReplayBar::setCursor(double t_s)
{
  cursor_s_ = std::clamp(t_s, from_s_, until_s_);
  showCursor();
  emit cursorMoved(cursor_s_);
}

void ReplayBar::followCursor(double t_s)
{
  cursor_s_ = std::clamp(t_s, from_s_, until_s_);
  showCursor();
}

void ReplayBar::advance()
{
  const double wall_s = sinceTick_.restart() / 1000.0;
  setCursor(cursor_s_ + speed() * wall_s);
  if (cursor_s_ >= until_s_)
    togglePlay();
}

void ReplayBar::showSpeed() { speedLabel_->setText(durationText(speed()) + " simulated per second"); }

void ReplayBar::showCursor() { cursorLabel_->setText(QString("t = %1 s").arg(cursor_s_, 0, 'f', 4)); }

} // namespace gilsim::studio
