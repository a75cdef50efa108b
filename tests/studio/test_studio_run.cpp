// The studio runs a scenario the way the CLI does: the table holds exactly the
// figures of `gilsim run`, Cancel kills the children, and bad input or a
// failing child is shown in words (the loader's message, the exit, the signal).
#include "core/results_table_model.hpp"
#include "core/run_controller.hpp"
#include "core/scenario_document.hpp"
#include "ui/main_window.hpp"
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace gilsim::studio;

namespace {

constexpr int kRunTimeoutMs = 120000;

/// A built-in scenario shortened to a few simulated seconds.
ScenarioDocument shortScenario(const QString& name)
{
  ScenarioDocument document = ScenarioDocument::open(name);
  document.set("duration_s=3");
  document.set("warmup_s=0.5");
  return document;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text, bool executable = false)
{
  const QString path = dir.filePath(name);
  QFile file(path);
  file.open(QIODevice::WriteOnly);
  file.write(text);
  file.close();
  if (executable)
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  return path;
}

/// Runs the real CLI on a scenario file; its stdout.
QByteArray gilsimOutput(const QStringList& arguments)
{
  QProcess cli;
  cli.start(GILSIM_BIN, arguments);
  cli.waitForFinished(kRunTimeoutMs);
  return cli.readAllStandardOutput();
}

/// The CLI table's data rows, each split into its cells (columns are two or more spaces apart).
QList<QStringList> cliTableRows(const QByteArray& table)
{
  QList<QStringList> rows;
  const QStringList lines = QString::fromUtf8(table).split('\n');
  for (int i = 3; i < lines.size(); ++i) {
    const QStringList cells = lines[i].trimmed().split(QRegularExpression(" {2,}"), Qt::SkipEmptyParts);
    if (cells.size() == ResultsTableModel::statusColumn())
      rows << cells;
  }
  return rows;
}

bool processAlive(qint64 pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0; }

} // namespace

class TestStudioRun : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void init();
  void theTableHoldsExactlyTheFiguresOfGilsimRun();
  void cancelKillsTheChildren();
  void progressLinesBecomeFractionsOfTheConfigurationsRun();
  void aBadScenarioFileShowsTheLoadersMessageWithItsJsonPath();
  void invalidJsonShowsTheFileLineAndColumn();
  void aChildThatExitsWithCode3ShowsItsMessage();
  void aChildThatCrashesShowsTheSignal();
  void aMissingGilsimBinaryIsNamed();

private:
  void useFakeGilsim(const QByteArray& script);
  QTemporaryDir dir_;
};

void TestStudioRun::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestStudioRun::init() { qputenv("GILSIM_BIN", GILSIM_BIN); }

void TestStudioRun::useFakeGilsim(const QByteArray& script)
{
  static int count = 0;
  qputenv("GILSIM_BIN", writeFile(dir_, QString("fake-gilsim-%1").arg(++count), "#!/bin/sh\n" + script, true).toUtf8());
}

void TestStudioRun::theTableHoldsExactlyTheFiguresOfGilsimRun()
{
  MainWindow window;
  const ScenarioDocument document = shortScenario("default-io-bound");
  window.setDocument(document);
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  QVERIFY(settled.wait(kRunTimeoutMs));

  const QString file = writeFile(dir_, "same.json", QByteArray::fromStdString(document.json().dump()));
  const auto cli     = nlohmann::json::parse(gilsimOutput({"run", file, "--json"}).toStdString());
  const QList<QStringList> table = cliTableRows(gilsimOutput({"run", file}));
  ResultsTableModel* model = window.results();
  QCOMPARE(model->rowCount(), int(cli["results"].size()));
  QCOMPARE(table.size(), model->rowCount());
  for (int row = 0; row < model->rowCount(); ++row) {
    QCOMPARE(model->status(row), ResultsTableModel::Status::done);
    const nlohmann::json& expected = cli["results"][std::size_t(row)];
    QCOMPARE(model->index(row, 2).data(ResultsTableModel::ValueRole).toDouble(), expected["throughput_rps"].get<double>());
    QCOMPARE(model->index(row, 3).data(ResultsTableModel::ValueRole).toDouble(),
             expected["ci95"]["throughput_rps"].get<double>());
    QCOMPARE(model->index(row, 4).data(ResultsTableModel::ValueRole).toDouble(), expected["latency_ms"]["p50"].get<double>());
    QCOMPARE(model->index(row, 5).data(ResultsTableModel::ValueRole).toDouble(), expected["latency_ms"]["p99"].get<double>());
    QCOMPARE(model->result(row)["limit"], expected["limit"]);
    for (int column = 0; column < ResultsTableModel::statusColumn(); ++column)
      QCOMPARE(model->index(row, column).data().toString(), table[row][column]);
  }
}

void TestStudioRun::cancelKillsTheChildren()
{
  useFakeGilsim("echo 'progress 0 0 1 3' >&2\nexec sleep 60\n");
  RunController runs;
  runs.setMaxParallel(2);
  QString error;
  QVERIFY2(runs.start(shortScenario("default-io-bound").json(), &error), qPrintable(error));
  QTRY_COMPARE(runs.childPids().size(), 2);
  const QList<qint64> pids = runs.childPids();
  QSignalSpy cancelled(&runs, &RunController::cancelled);
  QSignalSpy finished(&runs, &RunController::finished);
  runs.cancel();
  QCOMPARE(cancelled.size(), 1);
  for (qint64 pid : pids)
    QTRY_VERIFY(!processAlive(pid));
  QVERIFY(!runs.isRunning());
  QCOMPARE(finished.size(), 0);
}

void TestStudioRun::progressLinesBecomeFractionsOfTheConfigurationsRun()
{
  useFakeGilsim("echo \"progress $4 1 1.5 3\" >&2\nexec sleep 60\n");
  ScenarioDocument document = shortScenario("default-io-bound");
  document.set("replications=2");
  RunController runs;
  runs.setMaxParallel(1);
  QSignalSpy progress(&runs, &RunController::progress);
  QString error;
  QVERIFY2(runs.start(document.json(), &error), qPrintable(error));
  QVERIFY(progress.wait(kRunTimeoutMs));
  QCOMPARE(progress.first().at(0).toInt(), 0);
  QCOMPARE(progress.first().at(1).toDouble(), 0.75);
  QCOMPARE(runs.childPids().size(), 1);
  runs.cancel();
}

void TestStudioRun::aBadScenarioFileShowsTheLoadersMessageWithItsJsonPath()
{
  nlohmann::json bad = ScenarioDocument::open("default-io-bound").json();
  bad["servers"][1]["threads"] = -2;
  const QString file = writeFile(dir_, "bad.json", QByteArray::fromStdString(bad.dump(2)));
  MainWindow window;
  window.openScenario(file);
  QVERIFY2(window.errorText().contains(file + ": servers[1].threads: expected"), qPrintable(window.errorText()));
  QSignalSpy started(window.runs(), &RunController::started);
  window.run();
  QCOMPARE(started.size(), 0);
  QVERIFY(window.errorText().contains("servers[1].threads"));
}

void TestStudioRun::invalidJsonShowsTheFileLineAndColumn()
{
  const QString file = writeFile(dir_, "broken.json", "{\n  \"name\": \"x\",\n  oops\n}\n");
  MainWindow window;
  QVERIFY(!window.openScenario(file));
  QVERIFY2(window.errorText().contains(file + ":3:"), qPrintable(window.errorText()));
}

void TestStudioRun::aChildThatExitsWithCode3ShowsItsMessage()
{
  useFakeGilsim("echo 'gilsim: the simulation ran out of memory' >&2\nexit 3\n");
  MainWindow window;
  window.setDocument(shortScenario("default-io-bound"));
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  QVERIFY(settled.wait(kRunTimeoutMs));
  QCOMPARE(window.results()->status(0), ResultsTableModel::Status::failed);
  QVERIFY2(window.results()->message(0).contains("exit code 3"), qPrintable(window.results()->message(0)));
  QVERIFY(window.results()->message(0).contains("ran out of memory"));
  QVERIFY(window.errorText().contains("sync 5w failed"));
}

void TestStudioRun::aChildThatCrashesShowsTheSignal()
{
  useFakeGilsim("kill -SEGV $$\n");
  MainWindow window;
  window.setDocument(shortScenario("default-io-bound"));
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  QVERIFY(settled.wait(kRunTimeoutMs));
  QVERIFY2(window.results()->message(2).contains("crashed (signal 11"), qPrintable(window.results()->message(2)));
}

void TestStudioRun::aMissingGilsimBinaryIsNamed()
{
  qputenv("GILSIM_BIN", "/nonexistent/gilsim");
  MainWindow window;
  window.setDocument(shortScenario("default-io-bound"));
  QSignalSpy settled(&window, &MainWindow::runSettled);
  window.run();
  QCOMPARE(settled.size(), 1);
  QVERIFY2(window.errorText().contains("GILSIM_BIN=/nonexistent/gilsim"), qPrintable(window.errorText()));
}

QTEST_MAIN(TestStudioRun)
#include "test_studio_run.moc"
