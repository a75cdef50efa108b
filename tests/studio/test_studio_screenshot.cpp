// `gilsim-studio --screenshot DIR SCENARIO` writes one 1600×1000 PNG per view
// after the run and its traces are in, and says what failed when it cannot.
#include "core/scenario_document.hpp"
#include "ui/main_window.hpp"
#include "ui/screenshot_session.hpp"
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace gilsim::studio;

namespace {
constexpr int kRunTimeoutMs = 120000;
}

class TestStudioScreenshot : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void writesANonEmptyPictureOfEveryView();
  void anUnknownScenarioFailsWithTheLoadersMessage();

private:
  QTemporaryDir dir_;
};

void TestStudioScreenshot::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  qputenv("GILSIM_BIN", GILSIM_BIN);
}

void TestStudioScreenshot::writesANonEmptyPictureOfEveryView()
{
  ScenarioDocument document = ScenarioDocument::open("default-io-bound");
  document.set("duration_s=3");
  document.set("warmup_s=0.5");
  const QString scenario = dir_.filePath("short.json");
  document.saveAs(scenario);
  const QString pictures = dir_.filePath("shots");

  MainWindow window;
  ScreenshotSession session(&window, pictures, scenario);
  QSignalSpy done(&session, &ScreenshotSession::done);
  session.start();
  QVERIFY(done.wait(kRunTimeoutMs));
  QVERIFY2(done.first().at(0).toInt() == 0, qPrintable(done.first().at(1).toString()));
  for (const char* name : {"scenario.png", "compare.png", "charts.png", "timeline.png"}) {
    const QImage picture(QDir(pictures).filePath(name));
    QVERIFY2(!picture.isNull(), name);
    QCOMPARE(picture.size(), QSize(ScreenshotSession::kWidth_px, ScreenshotSession::kHeight_px));
    QVERIFY(QFileInfo(QDir(pictures).filePath(name)).size() > 10000);
  }
}

void TestStudioScreenshot::anUnknownScenarioFailsWithTheLoadersMessage()
{
  MainWindow window;
  ScreenshotSession session(&window, dir_.filePath("none"), dir_.filePath("missing.json"));
  QSignalSpy done(&session, &ScreenshotSession::done);
  session.start();
  QCOMPARE(done.size(), 1);
  QCOMPARE(done.first().at(0).toInt(), 1);
  QVERIFY2(done.first().at(1).toString().contains("missing.json: cannot open file"), qPrintable(done.first().at(1).toString()));
}

QTEST_MAIN(TestStudioScreenshot)
#include "test_studio_screenshot.moc"
