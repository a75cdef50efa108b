// `gilsim-studio --screenshot DIR [SCENARIO]`: opens the scenario, runs it,
// waits for every result and trace, and writes one 1600×1000 PNG per view
// (scenario, compare, charts, build, timeline) into DIR, with the replay cursor and a
// selected request shown at work, then reports how it went.
#pragma once
#include <QObject>
#include <QString>
#include <QTimer>

namespace gilsim::studio {

class MainWindow;

class ScreenshotSession : public QObject {
  Q_OBJECT
public:
  static constexpr int kWidth_px = 1600, kHeight_px = 1000;

  ScreenshotSession(MainWindow* window, QString directory, QString scenario, QObject* parent = nullptr);
  void start();

signals:
  /// exitCode 0: every picture written; otherwise `message` says what went wrong.
  void done(int exitCode, QString message);

private:
  void shootAll();
  /// Puts the replay cursor inside the window and selects a request, so the pictures show them at work.
  void showExample();
  void shootView(int view, const QString& name);
  void shootTimeline();
  void save(QWidget* widget, const QString& name);
  void fail(const QString& message);

  MainWindow* window_;
  QString directory_, scenario_;
  QTimer deadline_;
  QStringList written_, problems_;
};

} // namespace gilsim::studio
