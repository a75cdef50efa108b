// "Go to time t": inside the traced window the cursor moves there; outside it
// the studio runs the same scenario and seed again, traced around t, and the
// figures stay what they were (a run is deterministic).
#include "core/results_table_model.hpp"
#include "core/scenario_document.hpp"
#include "timeline/go_to_time_edit.hpp"
#include "timeline/time_axis.hpp"
#include "ui/compare_view.hpp"
#include "ui/main_window.hpp"
#include "ui/timeline_stack.hpp"
#include <QSignalSpy>
#include <QtTest>

using namespace gilsim::studio;

namespace {

constexpr int kRunTimeoutMs = 120000;

/// Every figure of the comparison table, as shown.
QStringList tableText(MainWindow& window)
{
  QStringList cells;
  const ResultsTableModel* model = window.results();
  for (int r = 0; model && r < model->rowCount(); ++r)
    for (int c = 0; c < ResultsTableModel::statusColumn(); ++c)
      cells << model->data(model->index(r, c), Qt::DisplayRole).toString();
  return cells;
}

void typeTime(GoToTimeEdit* edit, const QString& text)
{
  edit->setText(text);
  QTest::keyClick(edit, Qt::Key_Return);
}

} // namespace

class TestStudioGoTo : public QObject {
  Q_OBJECT
private slots:
  void aTimeOutsideTheWindowRunsAgainTracedAroundIt();
};

void TestStudioGoTo::aTimeOutsideTheWindowRunsAgainTracedAroundIt()
{
  qputenv("GILSIM_BIN", GILSIM_BIN);
  MainWindow window;
  ScenarioDocument document = ScenarioDocument::open("default-cpu-bound");
  document.set("duration_s=8");
  document.set("warmup_s=1");
  window.setDocument(document);
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  QVERIFY(settled.wait(kRunTimeoutMs));
  TimeAxis* axis = window.compare()->timelines()->axis();
  QCOMPARE(axis->traceStart(), 1.0); // gilsim's default window: 2 s after the warm-up
  QCOMPARE(axis->traceEnd(), 3.0);
  const QStringList before = tableText(window);
  QVERIFY(!before.isEmpty());

  GoToTimeEdit* edit = window.compare()->goTo();
  typeTime(edit, "2.5 s");
  QCOMPARE(axis->cursor(), 2.5);
  QCOMPARE(settled.count(), 1); // inside the window: no run

  typeTime(edit, "6 s");
  QVERIFY(settled.wait(kRunTimeoutMs));
  QCOMPARE(axis->traceStart(), 5.0);
  QCOMPARE(axis->traceEnd(), 7.0);
  QCOMPARE(axis->cursor(), 6.0);
  QCOMPARE(tableText(window), before);

  typeTime(edit, "soon");
  QVERIFY(!edit->errorText().isEmpty());
  QCOMPARE(settled.count(), 2);
}

QTEST_MAIN(TestStudioGoTo)
#include "test_studio_goto.moc"
