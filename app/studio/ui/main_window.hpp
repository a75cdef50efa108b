// The studio's window: opens a scenario (file, built-in, recent, drop, command
// line), runs its configurations in child processes with progress and Cancel,
// and shows the Scenario, Compare and Charts views; menus, shortcuts, settings.
#pragma once
#include "core/auto_rerun.hpp"
#include "core/lesson_progress.hpp"
#include "core/results_table_model.hpp"
#include "core/run_controller.hpp"
#include "core/scenario_document.hpp"
#include <QMainWindow>
#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;

namespace gilsim::studio {

class ChartsView;
class CompareView;
class LessonView;
class PresenterWindow;
class MeasureAction;
class ScenarioForm;
class SweepView;
class ScenarioView;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  enum View { scenarioView, compareView, chartsView, buildView, sweepView, lessonsView };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a file or a built-in scenario's name; false (and the loader's message shown) if it cannot.
  bool openScenario(const QString& fileOrName);
  void setDocument(const ScenarioDocument& document);
  const ScenarioDocument& document() const { return document_; }

  RunController* runs() { return &runs_; }
  ResultsTableModel* results() { return &results_; }
  QTabWidget* views() const { return views_; }
  CompareView* compare() const { return compare_; }
  SweepView* sweep() const { return sweep_; }
  MeasureAction* measure() const { return measure_; }
  ScenarioForm* form() const { return form_; }
  LessonView* lessons() const { return lessons_; }
  /// Presenter mode's window while it is open; null otherwise.
  PresenterWindow* presenter() const { return presenter_.get(); }
  AutoRerun* autoRerun() { return &autoRerun_; }
  /// The message shown last in the error banner (empty: none).
  QString errorText() const;

public slots:
  /// File ▸ New: the default I/O-bound scenario, untitled, in the Build view.
  void newScenario();
  void run();
  void cancel();

signals:
  /// A run is over: every configuration finished or failed, and every trace read or not.
  void runSettled();

protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

private:
  void buildViews();
  void buildMenus();
  void buildFileMenu();
  void buildExportMenu(QMenu* file);
  void buildRunMenu();
  void buildHelpMenu();
  void buildLessonsMenu();
  void startPresenter();
  void exportHandout();
  void fillBuiltinMenu(QMenu* menu);
  void fillRecentMenu();
  void connectRuns();
  void connectForm();
  void openFileDialog();
  void saveJsonAs();
  void exportView(const QString& format);
  void exportResults(const QString& format);
  void exportPerfetto();
  void showShortcuts();
  void showAbout();
  void showError(const QString& message);
  void clearError();
  void showRunProgress();
  void settleIfDone();
  /// A time outside the traced window: the same run again, traced around `t_s`.
  void traceAround(double t_s);
  void updateTitle();
  void restoreSettings();
  void saveSettings() const;
  QString askSavePath(const QString& what, const QString& filter, const QString& suffix);

  ScenarioDocument document_;
  RunController runs_;
  double cursorAfterRun_s_ = -1; ///< where "go to time" asked for, once the traces around it are in
  ResultsTableModel results_;
  QTabWidget* views_;
  ScenarioView* scenario_;
  ScenarioForm* form_;
  SweepView* sweep_;
  MeasureAction* measure_;
  CompareView* compare_;
  ChartsView* charts_;
  LessonProgress lessonProgress_;
  LessonView* lessons_;
  std::unique_ptr<PresenterWindow> presenter_;
  QLabel* errorBanner_;
  QLabel* runStatus_;
  QProgressBar* runProgress_;
  QMenu* recentMenu_;
  QAction* runAction_;
  QAction* cancelAction_;
  AutoRerun autoRerun_;
  std::vector<double> progress_;
  int tracesPending_ = 0;
  bool runOver_      = true;
};

} // namespace gilsim::studio
