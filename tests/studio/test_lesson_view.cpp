// Lessons in the studio: the question shows nothing of the result until the
// student commits; then the run's answer, its figures and the timeline on the
// lesson's window with its lanes framed; progress survives a restart; presenter
// mode renders at 1920×1080 with no text below 24 pt; stepping back and forth
// lands on the same event, across the traced window's start too (the same
// seed run again); a handout is one HTML page with its frames, and a PDF with
// the answer on a later page.
#include "core/handout_writer.hpp"
#include "core/lesson_lanes.hpp"
#include "core/lesson_progress.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/lesson_choices.hpp"
#include "ui/lesson_timeline.hpp"
#include "ui/lesson_view.hpp"
#include "ui/presenter_window.hpp"
#include "ui/shortcuts_dialog.hpp"
#include <QAbstractButton>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextBlock>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
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

/// One step; a step past the traced window waits for the run again to land.
bool step(studio::LessonTimeline* t, bool forward)
{
  QSignalSpy stepped(t, &studio::LessonTimeline::stepped);
  forward ? t->stepForward() : t->stepBackward();
  return !stepped.isEmpty() || (t->isRerunning() && stepped.wait(kRevealTimeoutMs));
}

/// The same event: time, lane and kind (and its sentence).
bool same(const LessonEvent& a, const LessonEvent& b)
{
  return a.t_s == b.t_s && a.lane == b.lane && a.kind == b.kind && sameEvent(a, b);
}

/// The number of pages of a PDF written by Qt (its page objects are not compressed).
int pdfPages(const QByteArray& pdf)
{
  return int(QString::fromLatin1(pdf).count(QRegularExpression("/Type\\s*/Page(?!s)")));
}

bool revealFirst(LessonView& view, const std::vector<Lesson>& course)
{
  view.setCourse(course);
  view.resize(1400, 1000);
  view.show();
  view.openLesson(kFirst);
  view.choices()->pick(1);
  view.commit();
  return revealIn(view);
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
  void steppingBackAcrossTheWindowStartRunsAgainAndLandsOnTheSameEvents();
  void steppingForwardPastTheWindowEndAndBackLandsOnTheSameEvent();
  void aHandoutIsOnePageWithItsFramesAndAPdf();
  void aHandoutsPdfPutsTheAnswerOnALaterPage();
  void everyLessonsLanesAreInItsTraceWithEvents();
  void theShortcutsListTheLessonsAndPresenterKeys();

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

void TestLessonView::steppingBackAcrossTheWindowStartRunsAgainAndLandsOnTheSameEvents()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  QVERIFY(revealFirst(view, course_));
  studio::LessonTimeline* t = view.timeline();
  const std::vector<LessonEvent> window = t->steps().events();
  QVERIFY(window.size() > 3);
  QVERIFY(step(t, true));
  QCOMPARE(t->steps().index(), 0);
  QVERIFY(step(t, false)); // before the first event of the traced window: the same seed, traced before it
  QVERIFY(t->windowStart_s() < 5.0);
  const LessonEvent before = *t->steps().current();
  QVERIFY(before.t_s <= window[0].t_s && !same(before, window[0]));
  QVERIFY(t->view()->axis()->cursor() < window[0].t_s + 1e-12);
  QVERIFY(t->sentence().contains(before.sentence));
  for (std::size_t i = 0; i < 3; ++i) { // forward again: the traced window's events, the same time, lane and kind
    QVERIFY(step(t, true));
    QVERIFY2(same(*t->steps().current(), window[i]), qPrintable(t->steps().current()->sentence + " / " + window[i].sentence));
  }
  QVERIFY(step(t, false));
  QVERIFY(step(t, false));
  QVERIFY(step(t, false));
  QVERIFY(same(*t->steps().current(), before));
}

void TestLessonView::steppingForwardPastTheWindowEndAndBackLandsOnTheSameEvent()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  QVERIFY(revealFirst(view, course_));
  studio::LessonTimeline* t = view.timeline();
  const std::vector<LessonEvent> window = t->steps().events();
  while (t->steps().index() + 1 < int(window.size()))
    t->stepForward();
  QVERIFY(step(t, true)); // after the last event: the same seed, traced after the window
  QVERIFY(t->windowEnd_s() > 5.05);
  const LessonEvent after = *t->steps().current();
  QVERIFY(after.t_s >= window.back().t_s && !same(after, window.back()));
  QVERIFY(step(t, false));
  QVERIFY(same(*t->steps().current(), window.back()));
  QVERIFY(step(t, true));
  QVERIFY(same(*t->steps().current(), after));
}

void TestLessonView::aHandoutIsOnePageWithItsFramesAndAPdf()
{
  LessonProgress progress(iniPath());
  LessonView view(&progress);
  QVERIFY(revealFirst(view, course_));
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
  QFile pdf(dir_.filePath("handout/" + kFirst + ".pdf"));
  QVERIFY(pdf.open(QIODevice::ReadOnly));
  const QByteArray bytes = pdf.readAll();
  QVERIFY(bytes.startsWith("%PDF"));
  QVERIFY2(pdfPages(bytes) >= 2, qPrintable(QString("%1 pages").arg(pdfPages(bytes))));
}

void TestLessonView::aHandoutsPdfPutsTheAnswerOnALaterPage()
{
  Handout h;
  h.id       = "a-lesson";
  h.title    = "A lesson";
  h.sketch   = "[ process | GIL ]";
  h.question = "Which one?";
  h.choices  = {"this one", "that one"};
  h.answer   = "that one";
  h.figures  = {"throughput_rps of \"that one\" = 195 req/s"};
  h.window   = "that one, 5 s to 5.05 s";
  QImage frame(1000, 300, QImage::Format_RGB32);
  frame.fill(Qt::gray);
  h.frames = {frame, frame};
  const auto doc = handoutDocument(h);
  int question = -1, answer = -1;
  for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
    if (b.text().contains("Which one?"))
      question = b.blockNumber();
    if (b.text().startsWith("The answer: that one")) {
      answer = b.blockNumber();
      QVERIFY(b.blockFormat().pageBreakPolicy() & QTextFormat::PageBreak_AlwaysBefore);
    }
  }
  QVERIFY(question >= 0 && answer > question);
  QString error;
  const QString path = writeHandoutPdf(dir_.path(), h, &error);
  QVERIFY2(!path.isEmpty(), qPrintable(error));
  QFile pdf(path);
  QVERIFY(pdf.open(QIODevice::ReadOnly));
  const QByteArray bytes = pdf.readAll();
  QVERIFY(bytes.startsWith("%PDF"));
  QVERIFY(pdfPages(bytes) >= 2);
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

void TestLessonView::theShortcutsListTheLessonsAndPresenterKeys()
{
  ShortcutsDialog dialog;
  auto* table = dialog.findChild<QTableWidget*>();
  QVERIFY(table);
  QStringList rows;
  for (int r = 0; r < table->rowCount(); ++r)
    rows << (table->item(r, 0) ? table->item(r, 0)->text() : QString()) + " | " + (table->item(r, 1) ? table->item(r, 1)->text() : QString());
  const QString all = rows.join('\n');
  QVERIFY(all.contains("Ctrl+6 | Show the Lessons view"));
  QVERIFY(all.contains("F11 | Presenter mode"));
  QVERIFY(all.contains("Presenter mode (F11)"));
  for (const auto& [keys, what] : PresenterWindow::keys())
    QVERIFY2(all.contains(keys + " | " + what), qPrintable(keys));
}

QTEST_MAIN(TestLessonView)
#include "test_lesson_view.moc"
