// `gilsim-studio --screenshot DIR [SCENARIO]`: opens the scenario, runs it,
// waits for every result and trace, and writes one 1600×1000 PNG per view
// (scenario, compare, charts, build, timeline, sweep) into DIR, with the replay cursor and a
// selected request shown at work, and the keyboard shortcuts; with `measure`, also a measurement
// on gilsim-server; then every lesson asked and revealed, the first stepped back before its
// traced window, presenter mode at 1920×1080 and a handout (HTML, PDF, frames).
#pragma once
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <memory>

namespace gilsim::studio {

class LessonProgress;
class LessonView;
class MainWindow;
class PresenterWindow;

class ScreenshotSession : public QObject {
  Q_OBJECT
public:
  static constexpr int kWidth_px = 1600, kHeight_px = 1000;

  static constexpr int kPresenterWidth_px = 1920, kPresenterHeight_px = 1080;

  ScreenshotSession(MainWindow* window, QString directory, QString scenario, QObject* parent = nullptr);
  ~ScreenshotSession() override;
  /// Also measures on gilsim-server (about 30 s) and writes measure-table.png and measure-timeline.png.
  void setMeasure(bool measure) { measure_ = measure; }
  void start();

signals:
  /// exitCode 0: every picture written; otherwise `message` says what went wrong.
  void done(int exitCode, QString message);

private:
  void shootAll();
  /// Puts the replay cursor inside the window and selects a request, so the pictures show them at work.
  void showExample();
  void shootView(int view, const QString& name);
  void shootTimeline(const QString& name = "timeline.png");
  /// Sweeps servers[*].workers over 1..16 and writes sweep.png, then goes on.
  void shootSweep();
  void measureAndShoot();
  void shootMeasurement();
  /// Every lesson asked (lesson-ask.png) and revealed (lesson-ID.png), presenter mode, a handout; then finish().
  void shootLessons();
  void shootLesson(int index);
  /// The first lesson stepped back past its window's start (run again): lesson-before-window.png; then `then`.
  void shootBeforeWindow(std::function<void()> then);
  void shootShortcuts();
  void shootPresenter();
  /// Commits a first answer in `view` and calls `then` once the reveal is drawn.
  void revealThen(LessonView* view, std::function<void()> then);
  void finish();
  void save(QWidget* widget, const QString& name);
  void fail(const QString& message);

  MainWindow* window_;
  QString directory_, scenario_;
  QTimer deadline_;
  QStringList written_, problems_;
  bool measure_ = false;
  QTemporaryDir lessonDir_; ///< the lessons' progress during the session: not the user's
  std::unique_ptr<LessonProgress> lessonProgress_;
  std::unique_ptr<PresenterWindow> presenter_;
};

} // namespace gilsim::studio
