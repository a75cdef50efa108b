// "Measure on gilsim-server", headless: a report fills the measured columns and a real
// trace shows under its simulated timeline; validate's refusal is shown in its words;
// Cancel leaves no process of validate's session; the loaded traces export as Perfetto JSON.
#include "core/measure_report.hpp"
#include "core/measure_runner.hpp"
#include "core/results_export.hpp"
#include "core/results_table_model.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/compare_view.hpp"
#include "ui/main_window.hpp"
#include "ui/measure_action.hpp"
#include "ui/timeline_stack.hpp"
#include <QProcess>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace gilsim::studio;

namespace {

constexpr int kRunTimeoutMs     = 120'000;
constexpr int kMeasureTimeoutMs = 300'000;

ScenarioDocument shortScenario(const QString& name)
{
  ScenarioDocument document = ScenarioDocument::open(name);
  document.set("duration_s=4");
  document.set("warmup_s=1");
  return document;
}

/// A report as `gilsim validate --target server --json` prints it, for two of validate-io-bound's configurations.
nlohmann::json cannedReport(const QString& realTraceDir)
{
  auto row = [](const char* label, const char* cls, double rps, double p50, const std::string& dir) {
    return nlohmann::json{{"label", label},
                          {"worker_class", cls},
                          {"predicted", {{"throughput_rps", rps * 1.1}, {"latency_ms", {{"p50", p50 * 0.9}, {"p99", 3 * p50}}},
                                         {"errors", 0}, {"worker_kills", 0}, {"cpu_utilization", 0.4}}},
                          {"measured", {{"throughput_rps", rps}, {"latency_ms", {{"mean", p50}, {"p50", p50}, {"p90", 2 * p50}, {"p99", 4 * p50}}},
                                        {"errors", 3}, {"worker_kills", 1}, {"cpu_utilization", 0.456}}},
                          {"real_trace_dir", dir},
                          {"relative_error", {{"throughput", 0.1}, {"p50", -0.1}}}};
  };
  return {{"scenario", "Validation: I/O-bound"},
          {"target", "server"},
          {"results", {row("sync 4w", "sync", 75.25, 52.5, ""), row("gthread 1w x 16t", "gthread", 310.0, 51.0, realTraceDir.toStdString())}}};
}

/// The columns after "run", by header.
int measuredColumn(const ResultsTableModel& model, const QString& header, int nth = 0)
{
  for (int c = ResultsTableModel::statusColumn() + 1; c < model.columnCount(); ++c)
    if (model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() == header && nth-- == 0)
      return c;
  return -1;
}

QString cell(const ResultsTableModel& model, int row, int column) { return model.data(model.index(row, column), Qt::DisplayRole).toString(); }

bool runAndSettle(MainWindow& window)
{
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  return settled.count() > 0 || settled.wait(kRunTimeoutMs);
}

/// The command names of the live processes of session `sid`, from `ps`.
QStringList sessionCommands(qint64 sid)
{
  QProcess ps;
  ps.start("ps", {"-e", "-o", "sess=,stat=,comm="});
  ps.waitForFinished();
  QStringList commands;
  for (const QString& line : QString::fromUtf8(ps.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
    const QStringList f = line.simplified().split(' ');
    if (f.size() >= 3 && f[0].toLongLong() == sid && !f[1].startsWith('Z'))
      commands << f[2];
  }
  return commands;
}

bool haveWrk() { return !QStandardPaths::findExecutable("wrk").isEmpty(); }

} // namespace

class TestStudioMeasure : public QObject {
  Q_OBJECT
private slots:
  void initTestCase() { qputenv("GILSIM_BIN", GILSIM_BIN); }

  void aReportFillsTheMeasuredColumnsAndShowsTheRealTimeline()
  {
    // a trace of configuration 1 stands in for gilsim-server's: read_dir merges a folder of them
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath("real-1"));
    const ScenarioDocument document = shortScenario("validate-io-bound");
    const QString scenarioFile = dir.filePath("s.json");
    QFile f(scenarioFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromStdString(document.json().dump()));
    f.close();
    QProcess cli;
    cli.start(GILSIM_BIN, {"run", scenarioFile, "--json", "--server", "1", "--trace-file", dir.filePath("real-1/worker-1-1.gtrace")});
    QVERIFY(cli.waitForFinished(kRunTimeoutMs) && cli.exitCode() == 0);

    MainWindow window;
    window.setDocument(document);
    QVERIFY(runAndSettle(window));
    QSignalSpy settled(window.measure(), &MeasureAction::settled);
    window.measure()->applyReport(window.document(), cannedReport(dir.filePath("real-1")));
    QVERIFY(settled.count() > 0 || settled.wait(kRunTimeoutMs));

    const ResultsTableModel& model = *window.results();
    QCOMPARE(model.columnCount(), ResultsTableModel::statusColumn() + 1 + int(measuredFigures().size()));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real req/s")), QString("75.2"));
    QCOMPARE(cell(model, 1, measuredColumn(model, "real req/s")), QString("310"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real p50 ms")), QString("52.5"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real p99 ms")), QString("210"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real CPU %")), QString("46"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real errors")), QString("3"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "real kills")), QString("1"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "vs sim.")), QString("+10 %"));
    QCOMPARE(cell(model, 0, measuredColumn(model, "vs sim.", 1)), QString("-10 %"));
    QCOMPARE(cell(model, 2, measuredColumn(model, "real req/s")), QString());
    QCOMPARE(model.data(model.index(1, measuredColumn(model, "real req/s")), ResultsTableModel::ValueRole).toDouble(), 310.0);
    QVERIFY(!cell(model, 0, 2).isEmpty()); // the predicted figures stay

    TimelineStack* stack = window.compare()->timelines();
    QVERIFY(QTest::qWaitFor([&] { return stack->isComplete(); }, kRunTimeoutMs));
    QVERIFY(!stack->realView(0) && !stack->realView(2));
    TimelineView* real = stack->realView(1);
    QVERIFY(real && real->model());
    QCOMPARE(real->title(), QString("gthread 1w x 16t — measured on gilsim-server"));
    QCOMPARE(real->axis(), stack->view(1)->axis());
    auto* splitter = qobject_cast<QSplitter*>(real->parentWidget());
    QVERIFY(splitter);
    QCOMPARE(splitter->indexOf(real), splitter->indexOf(stack->view(1)) + 1);

    // a re-run keeps the measurement
    QVERIFY(runAndSettle(window));
    QVERIFY(QTest::qWaitFor([&] { return stack->isComplete() && stack->realView(1) && stack->realView(1)->model(); }, kRunTimeoutMs));
    QCOMPARE(cell(*window.results(), 1, measuredColumn(*window.results(), "real req/s")), QString("310"));

    // the Perfetto export: the traces loaded, the real one too
    const ShownTraces shown = stack->shownTraces();
    QCOMPARE(int(shown.size()), 4);
    const QString out = dir.filePath("perfetto.json");
    QCOMPARE(writePerfettoTrace(out, shown), QString());
    QFile written(out);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const nlohmann::json chrome = nlohmann::json::parse(written.readAll().toStdString(), nullptr, false);
    QVERIFY(chrome.is_object() && chrome.contains("traceEvents") && chrome["traceEvents"].is_array());
    QVERIFY(chrome["traceEvents"].size() > 100);
    QVERIFY(chrome.dump().find("measured on gilsim-server") != std::string::npos);

    window.setDocument(document); // another scenario forgets it
    QCOMPARE(window.results()->columnCount(), ResultsTableModel::statusColumn() + 1);
  }

  void nothingToExportSaysSo()
  {
    QVERIFY(!writePerfettoTrace(QDir::temp().filePath("gilsim-none.json"), {}).isEmpty());
  }

  void validateRefusalIsShownInItsWords()
  {
    nlohmann::json open = shortScenario("validate-io-bound").json();
    open["load"] = {{"type", "open"}, {"rate_rps", 50}};
    const ScenarioDocument document(open, "open.json");
    QVERIFY2(document.validationError().isEmpty(), qPrintable(document.validationError()));
    MeasureRunner runner;
    QSignalSpy failed(&runner, &MeasureRunner::failed);
    QString error;
    QVERIFY2(runner.start(document.json(), {}, &error), qPrintable(error));
    QVERIFY(failed.wait(kRunTimeoutMs));
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains("load.type") && message.contains("closed"), qPrintable(message));
  }

  void cancelLeavesNoServerNorWrk()
  {
    if (!haveWrk())
      QSKIP("wrk is not installed: validate cannot run (bash .ci/install-validation)");
    MeasureRunner runner;
    QSignalSpy cancelled(&runner, &MeasureRunner::cancelled);
    MeasureOptions options;
    options.seconds = 60;
    QString error;
    QVERIFY2(runner.start(shortScenario("validate-io-bound").json(), options, &error), qPrintable(error));
    QVERIFY(QTest::qWaitFor([&] { return runner.pid() > 0; }, 10'000));
    const qint64 sid = runner.pid();
    const bool serving = QTest::qWaitFor([&] { return sessionCommands(sid).contains("gilsim-server"); }, 60'000);
    if (!serving)
      qWarning("gilsim-server did not start within 60 s (busy machine?): cancelling anyway");
    QTest::qWait(1500); // wrk too, on a machine that is not too busy
    const QStringList before = sessionCommands(sid);
    qInfo("running in validate's session before Cancel: %s", qPrintable(before.join(", ")));
    runner.cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!runner.isRunning());
    QVERIFY2(QTest::qWaitFor([&] { return sessionCommands(sid).isEmpty(); }, 5'000),
             qPrintable("left running: " + sessionCommands(sid).join(", ") + " (before: " + before.join(", ") + ")"));
  }

  void aRealMeasurementOfOneGthreadConfiguration()
  {
    if (!haveWrk())
      QSKIP("wrk is not installed: validate cannot run (bash .ci/install-validation)");
    MainWindow window;
    window.setDocument(shortScenario("validate-io-bound"));
    QSignalSpy settled(window.measure(), &MeasureAction::settled);
    MeasureOptions options;
    options.seconds  = 1;
    options.warmup_s = 0.5;
    options.server   = 1;
    QVERIFY(window.measure()->start(window.document(), options));
    QVERIFY(settled.wait(kMeasureTimeoutMs));
    QVERIFY2(window.errorText().isEmpty(), qPrintable(window.errorText()));
    const ResultsTableModel& model = *window.results();
    QVERIFY(model.hasMeasurements());
    QVERIFY(model.measured(0).is_null() && !model.measured(1).is_null());
    QVERIFY(model.data(model.index(1, measuredColumn(model, "real req/s")), ResultsTableModel::ValueRole).toDouble() > 0);
    TimelineStack* stack = window.compare()->timelines();
    QVERIFY(QTest::qWaitFor([&] { return stack->isComplete(); }, kRunTimeoutMs));
    QVERIFY(stack->realView(1) && stack->realView(1)->model());
    QVERIFY(stack->realView(1)->model()->isReal());
  }
};

QTEST_MAIN(TestStudioMeasure)
#include "test_studio_measure.moc"
