// The --screenshot mode (see screenshot_session.hpp).
#include "ui/screenshot_session.hpp"
#include "ui/compare_view.hpp"
#include "core/lesson_progress.hpp"
#include "ui/lesson_choices.hpp"
#include "ui/lesson_timeline.hpp"
#include "ui/lesson_view.hpp"
#include "ui/presenter_window.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/main_window.hpp"
#include "ui/measure_action.hpp"
#include "ui/replay_bar.hpp"
#include "ui/shortcuts_dialog.hpp"
#include "ui/sweep_view.hpp"
#include "ui/timeline_stack.hpp"
#include <QApplication>
#include <QLineEdit>
#include <QDir>
#include <QSplitter>
#include <QTabWidget>
#include <algorithm>

namespace gilsim::studio {

namespace {
constexpr int kDeadlineMs = 10 * 60 * 1000;
constexpr int kLessonSteps = 3; ///< events stepped through before a lesson's picture, so its sentence shows
const QString kSweepPath   = "servers[*].workers";
const QString kSweepValues = "1,2,4,8,16";

void settle()
{
  for (int pass = 0; pass < 3; ++pass)
    QApplication::processEvents();
}
} // namespace

ScreenshotSession::ScreenshotSession(MainWindow* window, QString directory, QString scenario, QObject* parent)
    : QObject(parent), window_(window), directory_(std::move(directory)), scenario_(std::move(scenario))
{
  deadline_.setSingleShot(true);
  connect(&deadline_, &QTimer::timeout, this, [this] { fail("the run did not end within 10 minutes"); });
}

ScreenshotSession::~ScreenshotSession() = default;

void ScreenshotSession::start()
{
  if (!QDir().mkpath(directory_))
    return fail(directory_ + ": cannot create the folder");
  window_->resize(kWidth_px, kHeight_px);
  window_->show();
  if (!window_->openScenario(scenario_))
    return fail(window_->errorText());
  connect(window_, &MainWindow::runSettled, this, &ScreenshotSession::shootAll, Qt::QueuedConnection);
  deadline_.start(kDeadlineMs);
  window_->run();
}

void ScreenshotSession::shootAll()
{
  disconnect(window_, &MainWindow::runSettled, this, nullptr); // a real timeline drawn later settles the window again
  deadline_.stop();
  const QString problems = window_->errorText();
  showExample();
  shootView(MainWindow::scenarioView, "scenario.png");
  shootView(MainWindow::compareView, "compare.png");
  shootView(MainWindow::chartsView, "charts.png");
  shootView(MainWindow::buildView, "build.png");
  shootTimeline();
  shootShortcuts();
  if (!problems.isEmpty())
    problems_ << problems;
  shootSweep();
}

void ScreenshotSession::shootSweep()
{
  SweepView* sweep = window_->sweep();
  connect(sweep, &SweepView::sweepSettled, this, [this, sweep] {
    sweep->disconnect(this);
    shootView(MainWindow::sweepView, "sweep.png");
    problems_ << sweep->failures();
    if (measure_)
      measureAndShoot();
    else
      shootLessons();
  }, Qt::QueuedConnection);
  deadline_.start(kDeadlineMs);
  window_->views()->setCurrentIndex(MainWindow::sweepView);
  sweep->setSweep(kSweepPath, kSweepValues);
  sweep->run();
}

void ScreenshotSession::measureAndShoot()
{
  MeasureAction* measure = window_->measure();
  connect(measure, &MeasureAction::settled, this, [this, measure] {
    measure->disconnect(this);
    TimelineStack* stack = window_->compare()->timelines();
    if (stack->isComplete())
      return shootMeasurement();
    connect(stack, &TimelineStack::timelineReady, this, [this, stack] {
      if (!stack->isComplete())
        return;
      stack->disconnect(this);
      shootMeasurement();
    }, Qt::QueuedConnection);
  }, Qt::QueuedConnection);
  MeasureOptions options;
  options.seconds = 3;
  if (!measure->start(window_->document(), options)) {
    problems_ << window_->errorText();
    shootLessons();
  }
}

void ScreenshotSession::shootMeasurement()
{
  deadline_.stop();
  if (!window_->errorText().isEmpty())
    problems_ << window_->errorText();
  shootView(MainWindow::compareView, "measure-table.png");
  TimelineStack* stack = window_->compare()->timelines();
  QList<TimelineView*> hidden;
  for (int k = 0; k < window_->results()->rowCount(); ++k)
    if (!stack->realView(k))
      hidden << stack->view(k);
  for (TimelineView* view : hidden)
    view->hide();
  shootTimeline("measure-timeline.png");
  for (TimelineView* view : hidden)
    view->show();
  shootLessons();
}

void ScreenshotSession::shootLessons()
{
  lessonProgress_ = std::make_unique<LessonProgress>(lessonDir_.filePath("lessons.ini"));
  LessonView* lessons = window_->lessons();
  lessons->setProgress(lessonProgress_.get());
  window_->views()->setCurrentIndex(MainWindow::lessonsView);
  lessons->openIndex(0);
  settle();
  save(window_, "lesson-ask.png");
  shootLesson(0);
}

void ScreenshotSession::revealThen(LessonView* view, std::function<void()> then)
{
  auto connection = std::make_shared<QMetaObject::Connection>();
  *connection     = connect(view, &LessonView::revealed, this, [connection, then] {
    disconnect(*connection);
    then();
  }, Qt::QueuedConnection);
  view->choices()->pick(0);
  if (QLineEdit* number = view->choices()->numberEdit())
    number->setText("20");
  deadline_.start(kDeadlineMs);
  view->commit();
}

void ScreenshotSession::shootLesson(int index)
{
  LessonView* lessons = window_->lessons();
  if (std::size_t(index) >= lessons->course().size())
    return shootPresenter();
  lessons->openIndex(index);
  revealThen(lessons, [this, lessons, index] {
    for (int i = 0; i < kLessonSteps; ++i)
      lessons->timeline()->stepForward();
    settle();
    save(lessons->page(), QString("lesson-%1.png").arg(QString::fromStdString(lessons->course()[std::size_t(index)].id)));
    if (index > 0)
      return shootLesson(index + 1);
    QString error;
    if (lessons->writeHandoutTo(QDir(directory_).filePath("handout"), &error).isEmpty())
      problems_ << error;
    shootBeforeWindow([this] { shootLesson(1); });
  });
}

void ScreenshotSession::shootBeforeWindow(std::function<void()> then)
{
  LessonView* lessons      = window_->lessons();
  LessonTimeline* timeline = lessons->timeline();
  while (timeline->steps().index() > 0)
    timeline->stepBackward();
  auto connection = std::make_shared<QMetaObject::Connection>();
  *connection     = connect(timeline, &LessonTimeline::stepped, this, [this, connection, lessons, then] {
    disconnect(*connection);
    deadline_.stop();
    settle();
    save(lessons->page(), "lesson-before-window.png");
    then();
  }, Qt::QueuedConnection);
  deadline_.start(kDeadlineMs);
  timeline->stepBackward(); // past the window's first event: the same run again, traced before it
  if (timeline->isRerunning())
    return;
  disconnect(*connection);
  problems_ << "stepping back past the lesson's window did not run it again: " + timeline->sentence();
  then();
}

void ScreenshotSession::shootShortcuts()
{
  ShortcutsDialog dialog(window_);
  dialog.show();
  settle();
  save(&dialog, "shortcuts.png");
  dialog.hide();
}

void ScreenshotSession::shootPresenter()
{
  lessonProgress_ = std::make_unique<LessonProgress>(lessonDir_.filePath("presenter.ini"));
  presenter_      = std::make_unique<PresenterWindow>(lessonProgress_.get(), window_->lessons()->course());
  presenter_->resize(kPresenterWidth_px, kPresenterHeight_px);
  presenter_->show();
  LessonView* lessons = presenter_->lessons();
  lessons->openIndex(0);
  settle();
  save(presenter_.get(), "presenter-ask.png");
  revealThen(lessons, [this, lessons] {
    settle();
    save(presenter_.get(), "presenter-reveal.png");
    for (int i = 0; i < kLessonSteps; ++i)
      lessons->timeline()->stepForward();
    settle();
    save(presenter_.get(), "presenter-timeline.png");
    presenter_->hide();
    finish();
  });
}

void ScreenshotSession::finish()
{
  deadline_.stop();
  if (problems_.isEmpty())
    emit done(0, "wrote " + written_.join(", "));
  else
    emit done(1, problems_.join('\n'));
}

void ScreenshotSession::showExample()
{
  const int configuration = std::min(1, window_->results()->rowCount() - 1);
  const auto trace        = configuration >= 0 ? window_->compare()->trace(configuration) : nullptr;
  if (!trace)
    return;
  const double middle_s = (trace->from_s + trace->until_s) / 2;
  window_->compare()->replay()->setCursor(middle_s);
  for (const trace::RequestLife& request : trace->requests)
    if (request.finished && request.started_s >= middle_s) {
      window_->compare()->timelines()->selectRequest(configuration, request.id);
      return;
    }
}

void ScreenshotSession::shootView(int view, const QString& name)
{
  window_->views()->setCurrentIndex(view);
  settle();
  save(window_, name);
}

void ScreenshotSession::shootTimeline(const QString& name)
{
  window_->views()->setCurrentIndex(MainWindow::compareView);
  QSplitter* splitter    = window_->compare()->splitter();
  const QByteArray saved = splitter->saveState();
  splitter->setSizes({0, kHeight_px});
  settle();
  save(window_, name);
  splitter->restoreState(saved);
}

void ScreenshotSession::save(QWidget* widget, const QString& name)
{
  const QString path = QDir(directory_).filePath(name);
  if (widget->grab().save(path, "PNG"))
    written_ << path;
  else
    problems_ << path + ": cannot write the PNG";
}

void ScreenshotSession::fail(const QString& message)
{
  deadline_.stop();
  emit done(1, message);
}

} // namespace gilsim::studio
