// The Sweep view, headless: each point's figure is exactly the one `gilsim run --set … --json`
// prints; a value the loader refuses is reported before any child starts; the
// plot has one line per configuration, in its colour, through the points.
#include "core/configuration_colors.hpp"
#include "core/sweep_plan.hpp"
#include "core/sweep_runner.hpp"
#include "ui/sweep_view.hpp"
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace gilsim::studio;

namespace {

constexpr int kSweepTimeoutMs = 240'000;

/// default-io-bound, shortened so that a sweep of it takes seconds.
ScenarioDocument smallScenario()
{
  ScenarioDocument document = ScenarioDocument::open("default-io-bound");
  document.set("duration_s=6");
  document.set("warmup_s=1");
  return document;
}

/// `gilsim run FILE --set A... --json`'s results.
nlohmann::json cliResults(const QString& file, const QStringList& assignments)
{
  QStringList arguments = {"run", file, "--json"};
  for (const QString& a : assignments)
    arguments << "--set" << a;
  QProcess cli;
  cli.start(GILSIM_BIN, arguments);
  if (!cli.waitForFinished(kSweepTimeoutMs) || cli.exitCode() != 0)
    return nullptr;
  return nlohmann::json::parse(cli.readAllStandardOutput().toStdString())["results"];
}

} // namespace

class TestStudioSweep : public QObject {
  Q_OBJECT
private slots:
  void initTestCase() { qputenv("GILSIM_BIN", GILSIM_BIN); }

  void parametersComeFromTheTable()
  {
    const QStringList paths = sweepParameters(smallScenario().json());
    for (const char* path : {"servers[*].workers", "servers[1].threads", "load.connections", "machine.cores"})
      QVERIFY2(paths.contains(path), qPrintable(path));
    QVERIFY(!paths.contains("servers[].workers"));
    QCOMPARE(sweepAssignments("servers[*].workers", "4", 3),
             QStringList({"servers[0].workers=4", "servers[1].workers=4", "servers[2].workers=4"}));
  }

  void eachPointIsWhatTheCliPrints()
  {
    const ScenarioDocument document = smallScenario();
    const QStringList values = {"4", "32"};
    SweepRunner runner;
    QSignalSpy done(&runner, &SweepRunner::allDone);
    std::map<std::pair<int, int>, nlohmann::json> results;
    connect(&runner, &SweepRunner::pointFinished, this,
            [&](int point, int server, const nlohmann::json& r) { results[{point, server}] = r; });
    QString error;
    QVERIFY2(runner.start(document.json(), "load.connections", values, &error), qPrintable(error));
    QVERIFY(done.wait(kSweepTimeoutMs));
    QCOMPARE(int(results.size()), values.size() * runner.servers());

    QTemporaryDir dir;
    const QString file = dir.filePath("small.json");
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QByteArray::fromStdString(document.json().dump()));
    out.close();
    for (int point = 0; point < values.size(); ++point) {
      const nlohmann::json cli = cliResults(file, sweepAssignments("load.connections", values[point], runner.servers()));
      QVERIFY(cli.is_array());
      for (int server = 0; server < runner.servers(); ++server)
        for (const SweepFigure& figure : sweepFigures()) {
          const nlohmann::json& mine = results[{point, server}];
          QCOMPARE(figure.value(mine), figure.value(cli[std::size_t(server)]));
          if (figure.ci95)
            QCOMPARE(figure.halfWidth(mine), figure.halfWidth(cli[std::size_t(server)]));
        }
    }
  }

  void aRefusedValueStopsEverythingBeforeItRuns()
  {
    SweepRunner runner;
    QSignalSpy started(&runner, &SweepRunner::started);
    QString error;
    QVERIFY(!runner.start(smallScenario().json(), "servers[*].workers", {"2", "-1", "4"}, &error));
    QVERIFY2(error.contains("servers[*].workers=-1") && error.contains("servers[0].workers"), qPrintable(error));
    QCOMPARE(started.count(), 0);
    QVERIFY(runner.childPids().isEmpty());
    QVERIFY(!runner.isRunning());

    QStringList values;
    QVERIFY(!parseSweepValues("1, two, 4", &values, &error));
    QVERIFY(error.contains("two"));
    QVERIFY(!runner.start(smallScenario().json(), "servers[7].workers", {"2"}, &error));
    QVERIFY2(error.contains("servers[7]"), qPrintable(error));
  }

  void theViewRefusesBadValuesAndPlotsOneLinePerConfiguration()
  {
    const ScenarioDocument document = smallScenario();
    SweepView view;
    view.resize(1200, 700);
    view.setDocument(&document);
    QSignalSpy settled(&view, &SweepView::sweepSettled);
    QSignalSpy started(view.runner(), &SweepRunner::started);
    view.setSweep("servers[*].workers", "1,0");
    view.run();
    QCOMPARE(settled.count(), 1);
    QCOMPARE(started.count(), 0);
    QVERIFY2(view.statusText().contains("refused"), qPrintable(view.statusText()));

    view.setSweep("servers[*].workers", "1,2,4");
    view.run();
    QVERIFY(settled.wait(kSweepTimeoutMs));
    QVERIFY2(view.statusText().contains("9 runs done"), qPrintable(view.statusText()));
    QList<QLineSeries*> lines;
    for (QAbstractSeries* s : view.chart()->chart()->series())
      if (s->type() == QAbstractSeries::SeriesTypeLine)
        lines << static_cast<QLineSeries*>(s);
    QCOMPARE(lines.size(), 3);
    for (int k = 0; k < 3; ++k) {
      QCOMPARE(lines[k]->pen().color(), configurationColor(k));
      QCOMPARE(lines[k]->count(), 3);
      QCOMPARE(lines[k]->at(2).x(), 4.0);
      QCOMPARE(lines[k]->at(2).y(), sweepFigures()[0].value(view.result(2, k)));
    }
  }
};

QTEST_MAIN(TestStudioSweep)
#include "test_studio_sweep.moc"
