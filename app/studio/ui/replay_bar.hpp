// Replay controls: play/pause, step, and a speed from slow motion (one switch
// interval of simulated time per second) to real time on a log slider; a timer
// moves a cursor through the traced window and reports it.
#pragma once
#include <QElapsedTimer>
#include <QStyle>
#include <QTimer>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace gilsim::studio {

class ReplayBar : public QWidget {
  Q_OBJECT
public:
  explicit ReplayBar(QWidget* parent = nullptr);

  /// The traced window the cursor moves in, and the slowest speed (a switch interval per second).
  void setWindow(double from_s, double until_s, double switchInterval_s);
  double cursor_s() const { return cursor_s_; }
  bool isPlaying() const { return timer_.isActive(); }
  /// Simulated seconds per wall-clock second at the slider's position.
  double speed() const;

public slots:
  void togglePlay();
  void stepForward();
  void stepBackward();
  /// Moves the cursor (clamped to the window) without playing.
  void setCursor(double t_s);
  /// Shows a cursor moved elsewhere (a click in a timeline) without reporting it back.
  void followCursor(double t_s);

signals:
  void cursorMoved(double t_s);

private:
  void advance();
  void showSpeed();
  void showCursor();
  void showPlaying();
  QToolButton* button(QStyle::StandardPixmap icon, const QString& tip);

  QTimer timer_;
  QElapsedTimer sinceTick_;
  QToolButton* play_;
  QSlider* speedSlider_;
  QLabel* speedLabel_;
  QLabel* cursorLabel_;
  double from_s_ = 0, until_s_ = 0, slowest_ = 0.005;
  double cursor_s_ = 0;
};

} // namespace gilsim::studio
