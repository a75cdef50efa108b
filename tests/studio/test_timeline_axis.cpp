// The shared time axis: zooming keeps the time under the mouse in place, the
// visible range stays inside the trace, selection and cursor are clamped.
#include "timeline/time_axis.hpp"
#include "timeline/time_format.hpp"
#include <QSignalSpy>
#include <QTest>

class TestTimelineAxis : public QObject {
  Q_OBJECT
private slots:
  void zoomAtKeepsThePointUnderTheMouseFixed();
  void theVisibleRangeStaysInsideTheTrace();
  void goToCentresATimeKeepingTheZoom();
  void selectionAndCursorAreClampedAndSignalled();
  void severalTracesShareOneAxis();
  void rulerTicksReadInTheRightUnit();
};

void TestTimelineAxis::zoomAtKeepsThePointUnderTheMouseFixed()
{
  TimeAxis axis;
  axis.setTraceRange(10, 20);
  double t = 13.7, width_px = 1000;
  double x = axis.xOf(t, width_px);
  for (double factor : {2.0, 10.0, 1e3, 0.5}) {
    axis.zoomAt(t, factor);
    QVERIFY(std::fabs(axis.xOf(t, width_px) - x) < 1e-6);
  }
  QVERIFY(std::fabs(axis.visibleWidth() - 10.0 / 1e4) < 1e-9);
}

void TestTimelineAxis::theVisibleRangeStaysInsideTheTrace()
{
  TimeAxis axis;
  QSignalSpy visible(&axis, &TimeAxis::visibleChanged);
  axis.setTraceRange(0, 2);
  axis.zoomAt(1, 4);
  axis.pan(-10);
  QCOMPARE(axis.visibleStart(), 0.0);
  QCOMPARE(axis.visibleWidth(), 0.5);
  axis.pan(10);
  QCOMPARE(axis.visibleEnd(), 2.0);
  axis.zoomAt(1, 0.001);
  QCOMPARE(axis.visibleStart(), 0.0);
  QCOMPARE(axis.visibleEnd(), 2.0);
  axis.zoomAt(1, 1e30);
  QVERIFY(std::fabs(axis.visibleWidth() - TimeAxis::kMinVisible_s) < 1e-15);
  axis.fit();
  QCOMPARE(axis.visibleWidth(), 2.0);
  QVERIFY(visible.count() >= 5);
}

void TestTimelineAxis::goToCentresATimeKeepingTheZoom()
{
  TimeAxis axis;
  axis.setTraceRange(0, 10);
  axis.setVisibleRange(2, 3);
  axis.goTo(6);
  QCOMPARE(axis.visibleStart(), 5.5);
  QCOMPARE(axis.visibleEnd(), 6.5);
  axis.goTo(9.9);
  QCOMPARE(axis.visibleEnd(), 10.0);
  QCOMPARE(axis.visibleWidth(), 1.0);
}

void TestTimelineAxis::selectionAndCursorAreClampedAndSignalled()
{
  TimeAxis axis;
  axis.setTraceRange(1, 2);
  QSignalSpy selection(&axis, &TimeAxis::selectionChanged), cursor(&axis, &TimeAxis::cursorChanged);
  axis.setSelection(1.8, 0.2);
  QCOMPARE(axis.selectionStart(), 1.0);
  QCOMPARE(axis.selectionEnd(), 1.8);
  QVERIFY(axis.hasSelection());
  axis.clearSelection();
  QVERIFY(!axis.hasSelection());
  axis.setCursor(5);
  QCOMPARE(axis.cursor(), 2.0);
  QCOMPARE(selection.count(), 2);
  QCOMPARE(cursor.count(), 1);
}

void TestTimelineAxis::severalTracesShareOneAxis()
{
  TimeAxis axis;
  axis.includeTraceRange(3, 5);
  axis.includeTraceRange(2, 4);
  QCOMPARE(axis.traceStart(), 2.0);
  QCOMPARE(axis.traceEnd(), 5.0);
  QCOMPARE(axis.visibleWidth(), 3.0);
}

void TestTimelineAxis::rulerTicksReadInTheRightUnit()
{
  QCOMPARE(niceStep(0.0031), 0.005);
  QCOMPARE(niceStep(1.2e-6), 2e-6);
  QCOMPARE(formatTick(10.20035, 5e-5, 11), QStringLiteral("10.20035 s"));
  QCOMPARE(formatTick(0.75, 0.05, 0.9), QStringLiteral("750 ms"));
  QCOMPARE(formatTick(0.0000125, 5e-7, 2e-5), QStringLiteral("12.5 \u00b5s"));
  QCOMPARE(formatDuration(0.0856), QStringLiteral("85.6 ms"));
  QCOMPARE(formatDuration(3.1e-6), QStringLiteral("3.10 \u00b5s"));
  QCOMPARE(tickTimes(0.05, 0.31, 0.1).size(), std::size_t{3});
}

QTEST_MAIN(TestTimelineAxis)
#include "test_timeline_axis.moc"
