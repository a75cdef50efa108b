// Presenter mode: the lessons full screen for a lecture hall — every text at
// least 28 pt, black on white, thick frames — driven from the keyboard alone:
// N / → next lesson, R reveal (commit the class's answer and run), 1-9 mark a
// choice (or type the number guessed), P play the events, , . step back / forward, Esc leave. With a second
// screen, the instructor's notes (what it shows, what to ask, the misconceptions) go there.
#pragma once
#include "app/common/lesson.hpp"
#include <QWidget>
#include <vector>

class QLabel;

namespace gilsim::studio {

class LessonProgress;
class LessonView;

class PresenterWindow : public QWidget {
  Q_OBJECT
public:
  static constexpr double kPoints = 28;

  PresenterWindow(LessonProgress* progress, std::vector<Lesson> course, QWidget* parent = nullptr);
  ~PresenterWindow() override;
  LessonView* lessons() const { return view_; }
  /// The notes window (shown on a second screen when there is one), for tests.
  QWidget* notes() const { return notes_; }
  /// Full screen, on the first screen; the notes on the second if connected.
  void present();
  /// The keys and what they do, for the Help menu and docs.
  static QList<QPair<QString, QString>> keys();

protected:
  /// Every key pressed in this window comes here first: no button or choice takes it.
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  void showNotes();
  /// False for a key presenter mode does not use.
  bool handleKey(int key);
  LessonView* view_;
  QWidget* notes_;
  QLabel* notesText_;
};

} // namespace gilsim::studio
