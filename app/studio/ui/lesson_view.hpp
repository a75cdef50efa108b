// The Lessons view: the course on the left (✔ right, ✘ wrong, • committed),
// the lesson on the right — its title, sketch and question with the choices,
// nothing of the result; Commit runs it; then the answer, the figures that
// decide it, the explanation and the timeline on the lesson's window with
// its lanes framed; Next. Presenter mode shows the same with large fonts.
#pragma once
#include "app/common/lesson.hpp"
#include "core/lesson_progress.hpp"
#include "core/lesson_session.hpp"
#include <QWidget>
#include <vector>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QScrollArea;

namespace gilsim::studio {

class LessonChoices;
class LessonTimeline;

class LessonView : public QWidget {
  Q_OBJECT
public:
  static constexpr int kHandoutFrames = 8;

  explicit LessonView(LessonProgress* progress, QWidget* parent = nullptr);
  void setCourse(std::vector<Lesson> course);
  /// Keeps progress in `progress` from now on (the screenshot session's own, not the user's).
  void setProgress(LessonProgress* progress);
  const std::vector<Lesson>& course() const { return course_; }
  /// Opens the lesson last opened (or the first).
  void openCurrent();
  bool openLesson(const QString& id);
  void openIndex(int index);
  int currentIndex() const { return index_; }

  /// Presenter mode: no course list, every text at least `points` pt, high contrast.
  void setPresenter(bool presenter, double points = 28);
  bool isPresenter() const { return presenter_; }

  LessonSession* session() { return &session_; }
  LessonChoices* choices() const { return choices_; }
  QPushButton* commitButton() const { return commit_; }
  QWidget* revealArea() const { return reveal_; }
  LessonTimeline* timeline() const { return timeline_; }
  QListWidget* courseList() const { return list_; }
  /// The lesson's page: title to timeline, however long (the screenshots grab it whole).
  QWidget* page() const;
  /// Every text the view shows now (labels, buttons), for tests and the presenter's notes.
  QString visibleText() const;
  /// Writes the open, revealed lesson's handout into `dir`; its path, or empty with `error` set.
  QString writeHandoutTo(const QString& dir, QString* error);

public slots:
  /// Commits the prediction (presenter: an empty one is fine) and runs the lesson.
  void commit();
  void next();
  /// Forgets the answer and asks again.
  void tryAgain();

signals:
  void lessonOpened(int index);
  /// The answer, its figures, the explanation and the timeline are shown.
  void revealed();
  void failed(QString message);

private:
  QWidget* buildPage();
  QWidget* buildReveal();
  void showQuestion(const Lesson& lesson);
  void showVerdict();
  void markCourse();
  void applyFonts();
  QLabel* label(const QString& objectName, bool wrap = true);

  LessonProgress* progress_;
  LessonSession session_;
  std::vector<Lesson> course_;
  int index_ = -1;
  bool presenter_ = false;
  double points_  = 28;
  QListWidget* list_;
  QScrollArea* scroll_;
  QLabel *title_, *sketch_, *question_, *status_;
  LessonChoices* choices_;
  QPushButton *commit_, *again_, *next_;
  QProgressBar* runProgress_;
  QWidget* reveal_;
  QLabel *verdict_, *answer_, *figures_, *explanation_;
  LessonTimeline* timeline_;
};

} // namespace gilsim::studio
