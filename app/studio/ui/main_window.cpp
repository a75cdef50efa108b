// The studio's window (see main_window.hpp).
#include "ui/main_window.hpp"
#include "core/scenario_summary.hpp"
#include "timeline/go_to_time_edit.hpp"
#include "timeline/time_axis.hpp"
#include "core/background.hpp"
#include "core/recent_files.hpp"
#include "core/results_export.hpp"
#include "ui/charts_view.hpp"
#include "ui/compare_view.hpp"
#include "ui/lesson_timeline.hpp"
#include "ui/lesson_view.hpp"
#include "ui/measure_action.hpp"
#include "ui/presenter_window.hpp"
#include "ui/replay_bar.hpp"
#include "ui/scenario_form.hpp"
#include "ui/scenario_view.hpp"
#include "ui/shortcuts_dialog.hpp"
#include "ui/sweep_view.hpp"
#include "ui/timeline_stack.hpp"
#include "ui/view_export.hpp"
#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>
#include <map>
#include <numeric>

namespace gilsim::studio {

namespace {

const QStringList kBuiltinGroups = {"default", "claim", "effect", "validate", "bench"};
const QString kNewScenarioTemplate    = "default-io-bound";

QString localJsonFile(const QMimeData* mime)
{
  for (const QUrl& url : mime->urls())
    if (url.isLocalFile() && url.toLocalFile().endsWith(".json", Qt::CaseInsensitive))
      return url.toLocalFile();
  return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), autoRerun_(&runs_, [this]() -> const nlohmann::json& { return document_.json(); })
{
  setAcceptDrops(true);
  buildViews();
  buildMenus();
  connectRuns();
  connectForm();
  restoreSettings();
  updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildViews()
{
  scenario_ = new ScenarioView;
  compare_  = new CompareView(&results_);
  charts_   = new ChartsView;
  views_    = new QTabWidget;
  views_->setDocumentMode(true);
  views_->addTab(scenario_, "Scenario");
  views_->addTab(compare_, "Compare");
  views_->addTab(charts_, "Charts");
  form_ = new ScenarioForm(&results_);
  form_->setDocument(&document_);
  views_->addTab(form_, "Build");
  sweep_ = new SweepView;
  sweep_->setDocument(&document_);
  views_->addTab(sweep_, "Sweep");
  lessons_ = new LessonView(&lessonProgress_);
  views_->addTab(lessons_, "Lessons");
  measure_ = new MeasureAction(&results_, compare_, this);
  connect(measure_, &MeasureAction::failed, this, &MainWindow::showError);
  connect(measure_, &MeasureAction::statusMessage, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
  errorBanner_ = new QLabel;
  errorBanner_->setObjectName("errorBanner");
  errorBanner_->setWordWrap(true);
  errorBanner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorBanner_->setStyleSheet("background: #fde8e8; color: #8b0000; border: 1px solid #d55e00; padding: 6px;");
  errorBanner_->hide();
  auto* central = new QWidget;
  auto* layout  = new QVBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 0);
  layout->addWidget(errorBanner_);
  layout->addWidget(views_, 1);
  setCentralWidget(central);
  runStatus_   = new QLabel("Open a scenario (File ▸ Open, or drop a .json file here), then Run (F5).");
  runProgress_ = new QProgressBar;
  runProgress_->setRange(0, 1000);
  runProgress_->setMaximumWidth(240);
  runProgress_->hide();
  statusBar()->addWidget(runStatus_, 1);
  statusBar()->addPermanentWidget(runProgress_);
}

void MainWindow::buildMenus()
{
  buildFileMenu();
  buildRunMenu();
  QMenu* view = menuBar()->addMenu("&View");
  const QStringList names = {"&Scenario", "&Compare", "C&harts", "&Build", "S&weep", "&Lessons"};
  for (int i = 0; i < names.size(); ++i)
    view->addAction(names[i], QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), this, [this, i] { views_->setCurrentIndex(i); });
  buildLessonsMenu();
  buildHelpMenu();
}

void MainWindow::buildFileMenu()
{
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&New scenario", QKeySequence::New, this, &MainWindow::newScenario);
  file->addAction("&Open…", QKeySequence::Open, this, &MainWindow::openFileDialog);
  fillBuiltinMenu(file->addMenu("Open &built-in"));
  recentMenu_ = file->addMenu("Open &recent");
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
  file->addAction("&Save JSON as…", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this, &MainWindow::saveJsonAs);
  buildExportMenu(file);
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::buildExportMenu(QMenu* file)
{
  QMenu* exports = file->addMenu("&Export");
  exports->addAction("This view as &PNG…", this, [this] { exportView("png"); });
  exports->addAction("This view as &SVG…", this, [this] { exportView("svg"); });
  exports->addSeparator();
  exports->addAction("Results as &CSV…", this, [this] { exportResults("csv"); });
  exports->addAction("Results as &JSON…", this, [this] { exportResults("json"); });
  exports->addSeparator();
  exports->addAction("Timeline window as Per&fetto trace…", this, &MainWindow::exportPerfetto);
}

void MainWindow::fillBuiltinMenu(QMenu* menu)
{
  std::map<QString, QMenu*> groups;
  for (const QString& group : kBuiltinGroups)
    groups[group] = menu->addMenu(group);
  for (const auto& [name, text] : builtin_scenarios()) {
    const QString qname = QString::fromStdString(name);
    const QString group = qname.section('-', 0, 0);
    QMenu* into         = groups.count(group) ? groups[group] : menu;
    into->addAction(qname, this, [this, qname] { openScenario(qname); });
  }
}

void MainWindow::fillRecentMenu()
{
  recentMenu_->clear();
  for (const QString& file : recentFiles())
    recentMenu_->addAction(file, this, [this, file] { openScenario(file); });
  if (recentMenu_->isEmpty())
    recentMenu_->addAction("(none yet)")->setEnabled(false);
}

void MainWindow::buildRunMenu()
{
  QMenu* runMenu = menuBar()->addMenu("&Run");
  runAction_     = runMenu->addAction("&Run all configurations", this, &MainWindow::run);
  runAction_->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
  cancelAction_ = runMenu->addAction("&Cancel", QKeySequence(Qt::Key_Escape), this, &MainWindow::cancel);
  cancelAction_->setEnabled(false);
  QAction* rerun = runMenu->addAction("Re-run small scenarios on each &change");
  rerun->setCheckable(true);
  rerun->setChecked(autoRerun_.isEnabled());
  connect(rerun, &QAction::toggled, &autoRerun_, &AutoRerun::setEnabled);
  runMenu->addAction("&Measure on gilsim-server…", this, [this] { measure_->ask(document_); });
  runMenu->addSeparator();
  ReplayBar* replay = compare_->replay();
  using LessonSlot  = void (LessonTimeline::*)();
  auto addReplay    = [&](const QString& text, const QKeySequence& keys, void (ReplayBar::*slot)(), LessonSlot lessonSlot) {
    QAction* action = runMenu->addAction(text, keys, this, [this, replay, slot, lessonSlot] {
      if (views_->currentIndex() == lessonsView) // the Lessons view: its events, one at a time
        (lessons_->timeline()->*lessonSlot)();
      else
        (replay->*slot)();
    });
    action->setShortcutContext(Qt::WindowShortcut);
  };
  addReplay("Replay: play / pause", QKeySequence(Qt::Key_Space), &ReplayBar::togglePlay, &LessonTimeline::togglePlay);
  addReplay("Replay: step back", QKeySequence(Qt::Key_Comma), &ReplayBar::stepBackward, &LessonTimeline::stepBackward);
  addReplay("Replay: step forward", QKeySequence(Qt::Key_Period), &ReplayBar::stepForward, &LessonTimeline::stepForward);
  runMenu->addAction("&Go to time…", QKeySequence(Qt::CTRL | Qt::Key_G), this, [this] {
    views_->setCurrentIndex(compareView);
    compare_->goTo()->setFocus();
    compare_->goTo()->selectAll();
  });
  connect(compare_->goTo(), &GoToTimeEdit::outsideTrace, this, &MainWindow::traceAround);
}

void MainWindow::buildHelpMenu()
{
  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
  help->addAction("&About gilsim-studio", this, &MainWindow::showAbout);
}

void MainWindow::buildLessonsMenu()
{
  QMenu* menu = menuBar()->addMenu("&Lessons");
  try {
    lessons_->setCourse(builtin_lesson_course());
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  for (std::size_t i = 0; i < lessons_->course().size(); ++i)
    menu->addAction(QString("%1. %2").arg(i + 1).arg(QString::fromStdString(lessons_->course()[i].title)), this, [this, i] {
      views_->setCurrentIndex(lessonsView);
      lessons_->openIndex(int(i));
    });
  menu->addSeparator();
  menu->addAction("&Presenter mode", QKeySequence(Qt::Key_F11), this, &MainWindow::startPresenter);
  menu->addAction("Export this lesson's &handout (HTML and PDF)…", this, &MainWindow::exportHandout);
  connect(views_, &QTabWidget::currentChanged, this, [this](int view) {
    if (view == lessonsView && lessons_->currentIndex() < 0)
      lessons_->openCurrent();
  });
}

void MainWindow::startPresenter()
{
  presenter_ = std::make_unique<PresenterWindow>(&lessonProgress_, lessons_->course());
  presenter_->present();
}

void MainWindow::exportHandout()
{
  const QString dir = QFileDialog::getExistingDirectory(this, "Write the handout into");
  if (dir.isEmpty())
    return;
  QString error;
  const QString path = lessons_->writeHandoutTo(dir, &error);
  if (path.isEmpty())
    showError("The handout: " + error);
  else
    statusBar()->showMessage(QString("Wrote %1, %2.pdf and the timeline's frames").arg(path, path.chopped(5)), 8000);
}

void MainWindow::connectRuns()
{
  connect(&runs_, &RunController::progress, this, [this](int k, double f) {
    results_.setProgress(k, f);
    progress_.at(std::size_t(k)) = f;
    showRunProgress();
  });
  connect(&runs_, &RunController::finished, this, [this](int k, const nlohmann::json& result, const QString&) {
    results_.setResult(k, result);
    charts_->setResult(k, result);
    progress_.at(std::size_t(k)) = 1;
    ++tracesPending_;
    showRunProgress();
  });
  connect(&runs_, &RunController::failed, this, [this](int k, const QString& message) {
    results_.setFailed(k, message);
    progress_.at(std::size_t(k)) = 1;
    showError(QString("%1 failed: %2").arg(results_.label(k), message));
    showRunProgress();
  });
  connect(&runs_, &RunController::traceLoaded, this, [this](int k, std::shared_ptr<const trace::Trace> trace) {
    compare_->setTrace(k, trace);
    charts_->setTrace(k, trace);
    --tracesPending_;
    settleIfDone();
  });
  connect(&runs_, &RunController::traceFailed, this, [this](int k, const QString& message) {
    showError(QString("%1: the trace cannot be shown: %2").arg(results_.label(k), message));
    --tracesPending_;
    settleIfDone();
  });
  connect(compare_->timelines(), &TimelineStack::timelineReady, this, &MainWindow::settleIfDone);
  connect(compare_->timelines(), &TimelineStack::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 5000); });
  connect(&runs_, &RunController::allDone, this, [this] {
    runOver_ = true;
    settleIfDone();
  });
  connect(&runs_, &RunController::cancelled, this, [this] {
    results_.setCancelled();
    runOver_       = true;
    tracesPending_ = 0;
    settleIfDone();
    runStatus_->setText("Run cancelled.");
  });
}

void MainWindow::connectForm()
{
  connect(form_, &ScenarioForm::edited, this, [this] {
    scenario_->setDocument(document_);
    if (document_.validationError().isEmpty())
      clearError();
    updateTitle();
    autoRerun_.documentChanged();
  });
  connect(&autoRerun_, &AutoRerun::runDue, this, &MainWindow::run);
  connect(&autoRerun_, &AutoRerun::skipped, this, [this](const QString& why) { statusBar()->showMessage(why, 5000); });
}

void MainWindow::newScenario()
{
  nlohmann::json document = ScenarioDocument::open(kNewScenarioTemplate).json();
  document.erase("name");
  document.erase("description");
  setDocument(ScenarioDocument(std::move(document), "untitled.json"));
  views_->setCurrentIndex(buildView);
}

bool MainWindow::openScenario(const QString& fileOrName)
{
  try {
    setDocument(ScenarioDocument::open(fileOrName));
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    views_->setCurrentIndex(scenarioView);
    return false;
  }
  addRecentFile(fileOrName);
  return true;
}

void MainWindow::setDocument(const ScenarioDocument& document)
{
  runs_.cancel();
  runs_.setTraceWindow(0, 0); // a new scenario: gilsim's default window
  document_ = document;
  clearError();
  scenario_->setDocument(document_);
  form_->setDocument(&document_);
  const QString invalid = document_.validationError();
  if (!invalid.isEmpty())
    showError(invalid);
  results_.reset({});
  measure_->forget();
  sweep_->documentChanged();
  updateTitle();
  runStatus_->setText(invalid.isEmpty() ? QString("%1: press F5 to run its configurations.").arg(document_.title())
                                        : "The scenario is invalid: see the message above.");
}

void MainWindow::run()
{
  runs_.cancel();
  clearError();
  const QString invalid = document_.isEmpty() ? QString("Open a scenario first (File ▸ Open).") : document_.validationError();
  if (!invalid.isEmpty()) {
    showError(invalid);
    return;
  }
  const Scenario scenario = document_.load();
  const QStringList labels = configurationLabels(scenario);
  results_.reset(labels);
  compare_->setConfigurations(labels, scenario.base.server.interpreter.switch_interval_s);
  measure_->showAgain();
  charts_->setConfigurations(labels);
  progress_.assign(std::size_t(labels.size()), 0.0);
  tracesPending_ = 0;
  runOver_       = false;
  QString error;
  if (!runs_.start(document_.json(), &error)) {
    runOver_ = true;
    showError(error);
    emit runSettled();
    return;
  }
  if (views_->currentIndex() == scenarioView)
    views_->setCurrentIndex(compareView);
  runAction_->setEnabled(false);
  cancelAction_->setEnabled(true);
  runProgress_->show();
  showRunProgress();
}

void MainWindow::cancel() { runs_.cancel(); }

void MainWindow::showRunProgress()
{
  const double total = std::accumulate(progress_.begin(), progress_.end(), 0.0);
  const double mean  = progress_.empty() ? 0 : total / double(progress_.size());
  runProgress_->setValue(int(mean * 1000));
  const auto done = std::count(progress_.begin(), progress_.end(), 1.0);
  runStatus_->setText(QString("Running %1: %2 of %3 configurations done (%4 in parallel)")
                          .arg(document_.title())
                          .arg(done)
                          .arg(progress_.size())
                          .arg(runs_.childPids().size()));
}

void MainWindow::traceAround(double t_s)
{
  const double duration_s = document_.load().base.duration_s;
  if (t_s < 0 || t_s > duration_s) {
    showError(QString("Go to %1 s: the run lasts %2 s.").arg(t_s).arg(duration_s));
    return;
  }
  runs_.setTraceWindow(std::max(0.0, t_s - 1), std::min(duration_s, t_s + 1));
  cursorAfterRun_s_ = t_s;
  statusBar()->showMessage(QString("Running again, traced around %1 s (same seed: the same run)…").arg(t_s), 5000);
  run();
}

void MainWindow::settleIfDone()
{
  if (!runOver_ || tracesPending_ > 0 || !compare_->timelines()->isComplete())
    return;
  if (cursorAfterRun_s_ >= 0) {
    compare_->timelines()->axis()->setCursor(cursorAfterRun_s_);
    compare_->timelines()->axis()->goTo(cursorAfterRun_s_);
    cursorAfterRun_s_ = -1;
  }
  runAction_->setEnabled(true);
  cancelAction_->setEnabled(false);
  runProgress_->hide();
  if (!runStatus_->text().startsWith("Run cancelled"))
    runStatus_->setText(QString("%1: %2 configurations run.").arg(document_.title()).arg(progress_.size()));
  emit runSettled();
}

void MainWindow::openFileDialog()
{
  const QString path = QFileDialog::getOpenFileName(this, "Open a scenario", QString(), "Scenarios (*.json);;All files (*)");
  if (!path.isEmpty())
    openScenario(path);
}

QString MainWindow::askSavePath(const QString& what, const QString& filter, const QString& suffix)
{
  QFileDialog dialog(this, what, QString(), filter);
  dialog.setAcceptMode(QFileDialog::AcceptSave);
  dialog.setDefaultSuffix(suffix);
  return dialog.exec() == QDialog::Accepted ? dialog.selectedFiles().value(0) : QString();
}

void MainWindow::saveJsonAs()
{
  const QString path = askSavePath("Save the scenario", "Scenarios (*.json)", "json");
  if (path.isEmpty())
    return;
  try {
    document_.saveAs(path);
    addRecentFile(path);
    scenario_->setDocument(document_);
    updateTitle();
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
}

void MainWindow::exportView(const QString& format)
{
  const QString path = askSavePath("Export this view", format.toUpper() + QString(" (*.%1)").arg(format), format);
  if (path.isEmpty())
    return;
  try {
    if (format == "svg")
      exportSvg(views_->currentWidget(), path, document_.title());
    else
      exportPng(views_->currentWidget(), path);
    statusBar()->showMessage("Wrote " + path, 5000);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
}

void MainWindow::exportResults(const QString& format)
{
  const QString path = askSavePath("Export the results", format.toUpper() + QString(" (*.%1)").arg(format), format);
  if (path.isEmpty())
    return;
  try {
    const nlohmann::json results = results_.results();
    writeTextFile(path, format == "csv" ? resultsCsv(results)
                                        : QString::fromStdString(resultsDocument(document_.title(), results).dump(2)) + "\n");
    statusBar()->showMessage("Wrote " + path, 5000);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
}

void MainWindow::exportPerfetto()
{
  const QString path = askSavePath("Export the timeline window as a Perfetto trace", "Chrome/Perfetto trace (*.json)", "json");
  if (path.isEmpty())
    return;
  statusBar()->showMessage("Writing the Perfetto trace…");
  runInBackground(this, [path, traces = compare_->timelines()->shownTraces()] { return writePerfettoTrace(path, traces); },
                  [this, path](const QString& error) {
                    if (error.isEmpty())
                      statusBar()->showMessage("Wrote " + path + " (open it at ui.perfetto.dev)", 8000);
                    else
                      showError(error);
                  });
}

void MainWindow::showShortcuts() { ShortcutsDialog(this).exec(); }

void MainWindow::showAbout()
{
  QMessageBox::about(this, "About gilsim-studio",
                     "<h3>gilsim-studio</h3><p>Watch Gunicorn's worker classes and CPython's GIL at work, side by "
                     "side, on the same simulated load.</p><p>Each configuration runs in its own <tt>gilsim</tt> "
                     "process (SimGrid); the figures are those <tt>gilsim run</tt> prints.</p>");
}

void MainWindow::showError(const QString& message)
{
  const QString shown = errorText().isEmpty() ? message : errorText() + "\n" + message;
  errorBanner_->setText(shown);
  errorBanner_->show();
  statusBar()->showMessage(message.section('\n', 0, 0), 8000);
}

void MainWindow::clearError()
{
  errorBanner_->clear();
  errorBanner_->hide();
}

QString MainWindow::errorText() const { return errorBanner_->isHidden() ? QString() : errorBanner_->text(); }

void MainWindow::updateTitle()
{
  setWindowTitle(document_.isEmpty() ? QString("gilsim-studio") : QString("%1[*] — gilsim-studio").arg(document_.title()));
  setWindowModified(document_.isDirty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
  if (!localJsonFile(event->mimeData()).isEmpty())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
  const QString file = localJsonFile(event->mimeData());
  if (!file.isEmpty() && openScenario(file))
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
  runs_.cancel();
  saveSettings();
  event->accept();
}

void MainWindow::restoreSettings()
{
  QSettings settings;
  if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
    resize(1400, 900);
  restoreState(settings.value("window/state").toByteArray());
  compare_->splitter()->restoreState(settings.value("compare/splitter").toByteArray());
  views_->setCurrentIndex(settings.value("window/view", scenarioView).toInt());
}

void MainWindow::saveSettings() const
{
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("compare/splitter", compare_->splitter()->saveState());
  settings.setValue("window/view", views_->currentIndex());
}

} // namespace gilsim::studio
