// Lessons in the studio: the question shows nothing of the result until the
// student commits; then the run's answer, its figures and the timeline on the
// lesson's window with its lanes framed; progress survives a restart; presenter
// mode renders at 1920×1080 with no text below 24 pt; stepping back and forth
// lands on the same event; a handout is one HTML page with its frames.
#include "core/lesson_lanes.hpp"
#include "core/lesson_progress.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/lesson_choices.hpp"
#include "ui/lesson_timeline.hpp"
#include "ui/lesson_view.hpp"
#include "ui/presenter_window.hpp"
#include <QAbstractButton>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace gilsim;
using namespace gilsim::studio;

namespace {

constexpr int kRevealTimeoutMs = 120000;
constexpr double kPresenterMinPoints = 24;
const QString kFirst = "01-processes-vs-threads";

/// The figures a lesson's verdict would print: none may be on screen before the commit.
QStringList figureTexts(const LessonVerdict& v)
{
  QStringList texts;
  for (const LessonFigure& f : v.figures)
    texts << QString::fromStdString(f.shown);
  return texts;
}

bool revealIn(LessonView& view)
{
  QSignalSpy revealed(&view, &LessonView::revealed);
  return revealed.wait(kRevealTimeoutMs);
}

} // namespace

class TestLessonView : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void init();
  void theQuestionHidesTheAnswerUntilCommitted();
  void anAnswerAndTheProgressPersistBetweenSessions();
  void nextFollowsTheCourse();
  void presenterModeHasNoTextBelow24Points();
  void presenterModeTypesTheNumberGuessed();
  void steppingBackAndForthLandsOnTheSameEvent();
  void aHandoutIsOnePageWithItsFrames();
  void everyLessonsLanesAreInItsTraceWithEvents();

private:
  QString iniPath() const { return dir_.filePath("progress.ini"); }
  QTemporaryDir dir_;
  std::vector<Lesson> course_;
};

void TestLessonView::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  qputenv("GILSIM_BIN", GILSIM_BIN);
  course_ = builtin_lesson_course();
  QVERIFY(course_.size() >= 19);
}

void TestLessonView::init() { QFile::remove(iniPath()); }

void TestLessonView::theQuestionHidesTheAnswerUntilCommitted()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  view.setCourse(course_);
  view.resize(1400, 1000);
  view.show();
  view.openLesson(kFirst);
  QCOMPARE(view.session()->stage(), LessonSession::Stage::asking);
  QVERIFY(view.session()->verdict() == nullptr);
  QVERIFY(view.session()->trace() == nullptr);
  QVERIFY(!view.revealArea()->isVisible());
  QVERIFY(view.session()->runs()->childPids().isEmpty()); // nothing runs before the commit
  view.commit();                                          // nothing picked: refused
  QCOMPARE(view.session()->stage(), LessonSession::Stage::asking);
  const QString before = view.visibleText();
  view.choices()->pick(2); // "1 process × 4 threads": wrong
  view.commit();
  QCOMPARE(view.session()->stage(), LessonSession::Stage::running);
  QVERIFY(!view.choices()->buttons()[0]->isEnabled());
  QVERIFY(revealIn(view));
  const LessonVerdict* v = view.session()->verdict();
  QVERIFY(v);
  for (const QString& figure : figureTexts(*v)) {
    QVERIFY2(!before.contains(figure), qPrintable(figure + " was shown before the commit"));
    QVERIFY2(view.visibleText().contains(figure), qPrintable(figure + " is not shown after the reveal"));
  }
  QVERIFY(view.revealArea()->isVisible());
  QVERIFY(view.visibleText().contains("The answer: 2 sync processes"));
  QVERIFY(view.visibleText().contains("Not this time"));
  QVERIFY(!view.session()->predictionRight());
  QVERIFY(view.timeline()->isReady());
  QCOMPARE(view.timeline()->highlightedRows().size(), std::size_t(3)); // worker 1's GIL and two threads
  QCOMPARE(view.timeline()->view()->axis()->visibleStart(), 5.0);
}

void TestLessonView::anAnswerAndTheProgressPersistBetweenSessions()
{
  {
    LessonProgress progress(iniPath());
    LessonView view(&progress);
    view.setCourse(course_);
    view.openLesson(kFirst);
    view.choices()->pick(1); // "2 sync processes": right
    view.commit();
    QVERIFY(revealIn(view));
    QVERIFY(view.session()->predictionRight());
    view.next();
    progress.sync();
  }
  LessonProgress progress(iniPath());
  QCOMPARE(progress.current(), QString("02-workers-per-core"));
  const LessonProgress::Entry e = progress.entry(kFirst);
  QVERIFY(e.committed && e.revealed && e.right);
  QCOMPARE(e.prediction.choices, std::vector<int>{1});
  LessonView view(&progress);
  view.setCourse(course_);
  QVERIFY(view.courseList()->item(0)->text().startsWith("✔"));
  view.openLesson(kFirst); // the remembered answer, run again: the same answer
  QVERIFY(view.choices()->buttons()[1]->isChecked());
  QVERIFY(revealIn(view));
  QVERIFY(view.session()->predictionRight());
  view.tryAgain();
  QCOMPARE(view.session()->stage(), LessonSession::Stage::asking);
  QVERIFY(!progress.entry(kFirst).committed);
}

void TestLessonView::nextFollowsTheCourse()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  view.setCourse(course_);
  view.openIndex(0);
  for (std::size_t i = 1; i < course_.size(); ++i) {
    view.next();
    QCOMPARE(view.currentIndex(), int(i));
    QCOMPARE(view.session()->lesson().id, course_[i].id);
  }
}

void TestLessonView::presenterModeHasNoTextBelow24Points()
{
  LessonProgress progress(iniPath());
  PresenterWindow presenter(&progress, course_);
  presenter.resize(1920, 1080);
  presenter.show();
  LessonView* view = presenter.lessons();
  view->openLesson(kFirst);
  QTest::keyClick(&presenter, Qt::Key_2); // the class says "2 sync processes"
  QVERIFY(view->choices()->buttons()[1]->isChecked());
  QSignalSpy revealed(view, &LessonView::revealed);
  QTest::keyClick(&presenter, Qt::Key_R);
  QVERIFY(revealed.wait(kRevealTimeoutMs));
  QTest::keyClick(&presenter, Qt::Key_Period);
  QCOMPARE(view->timeline()->steps().index(), 0);
  const QImage shot = presenter.grab().toImage();
  QCOMPARE(shot.size(), QSize(1920, 1080));
  for (QWidget* w : presenter.findChildren<QWidget*>()) {
    if (!w->isVisibleTo(&presenter))
      continue;
    double points = w->font().pointSizeF();
    if (qobject_cast<TimelineView*>(w))
      points *= 0.85; // greenlet and task labels are drawn that much smaller
    QVERIFY2(points >= kPresenterMinPoints, qPrintable(QString("%1 (%2) at %3 pt").arg(w->metaObject()->className(), w->objectName()).arg(points)));
  }
  QVERIFY(!view->courseList()->isVisibleTo(&presenter));
  QVERIFY(presenter.notes()->findChild<QLabel*>()->text().contains("unit of CPU parallelism")); // the instructor's notes
  QTest::keyClick(&presenter, Qt::Key_N);
  QCOMPARE(view->currentIndex(), 1);
}

void TestLessonView::presenterModeTypesTheNumberGuessed()
{
  LessonProgress progress(iniPath());
  PresenterWindow presenter(&progress, course_);
  presenter.resize(1920, 1080);
  presenter.show();
  LessonView* view = presenter.lessons();
  view->openLesson("09-workers-times-threads");
  QTest::keyClicks(&presenter, "18");
  QCOMPARE(view->choices()->numberEdit()->text(), QString("18"));
  QSignalSpy revealed(view, &LessonView::revealed);
  QTest::keyClick(&presenter, Qt::Key_R);
  QVERIFY(revealed.wait(kRevealTimeoutMs));
  QVERIFY(view->session()->predictionRight());
}

void TestLessonView::steppingBackAndForthLandsOnTheSameEvent()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  view.setCourse(course_);
  view.resize(1400, 1000);
  view.show();
  view.openLesson(kFirst);
  view.choices()->pick(1);
  view.commit();
  QVERIFY(revealIn(view));
  studio::LessonTimeline* t = view.timeline();
  QVERIFY(t->steps().events().size() > 20);
  bool sawDropRequest = false;
  for (const LessonEvent& e : t->steps().events())
    sawDropRequest = sawDropRequest || e.sentence.contains("sets a drop request");
  QVERIFY(sawDropRequest);
  for (int i = 0; i < 10; ++i)
    t->stepForward();
  const int index          = t->steps().index();
  const double cursor_s    = t->view()->axis()->cursor();
  const QString sentence   = t->sentence();
  for (int i = 0; i < 7; ++i)
    t->stepBackward();
  QCOMPARE(t->steps().index(), index - 7);
  for (int i = 0; i < 7; ++i)
    t->stepForward();
  QCOMPARE(t->steps().index(), index);
  QCOMPARE(t->view()->axis()->cursor(), cursor_s);
  QCOMPARE(t->sentence(), sentence);
  QVERIFY(t->view()->axis()->cursor() >= 5.0 && t->view()->axis()->cursor() <= 5.05);
}

void TestLessonView::aHandoutIsOnePageWithItsFrames()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  view.setCourse(course_);
  view.resize(1400, 1000);
  view.show();
  view.openLesson(kFirst);
  view.choices()->pick(1);
  view.commit();
  QVERIFY(revealIn(view));
  QString error;
  const QString path = view.writeHandoutTo(dir_.filePath("handout"), &error);
  QVERIFY2(!path.isEmpty(), qPrintable(error));
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QString html = QString::fromUtf8(file.readAll());
  QVERIFY(html.indexOf("Which configuration serves the most") < html.indexOf("class=\"answer\""));
  QVERIFY(html.contains("The answer: 2 sync processes"));
  QCOMPARE(html.count("data:image/png;base64,"), LessonView::kHandoutFrames);
  QVERIFY(!html.contains("src=\"http"));
  for (int i = 1; i <= LessonView::kHandoutFrames; ++i)
    QVERIFY(QFile::exists(dir_.filePath(QString("handout/%1-frame-%2.png").arg(kFirst).arg(i, 2, 10, QChar('0')))));
}

void TestLessonView::everyLessonsLanesAreInItsTraceWithEvents()
{
  for (const Lesson& lesson : course_) {
    LessonSession session;
    session.setLesson(lesson);
    QSignalSpy revealed(&session, &LessonSession::revealed);
    QString error;
    QVERIFY2(session.commit({}, &error), qPrintable(error));
    QVERIFY2(revealed.wait(kRevealTimeoutMs), qPrintable(QString::fromStdString(lesson.id) + ": " + session.failure()));
    const TimelineModel model(session.trace());
    QStringList missing;
    const std::vector<int> rows = lessonRows(model, lesson.timeline.lanes, &missing);
    QVERIFY2(missing.isEmpty(), qPrintable(QString::fromStdString(lesson.id) + ": no lane " + missing.join(", ")));
    QVERIFY2(!LessonSteps(model, rows, lesson.timeline.from_s, lesson.timeline.until_s).events().empty(),
             qPrintable(QString::fromStdString(lesson.id) + ": nothing happens on its lanes in its window"));
  }
}

QTEST_MAIN(TestLessonView)
#include "test_lesson_view.moc"
