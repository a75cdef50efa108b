// The "go to time" field: the times people type (seconds by default, or with
// a unit), Enter centring the shared axis there, and a clear error for text it
// cannot read or a time outside the trace, the axis left where it was.
#include "timeline/go_to_time_edit.hpp"
#include "timeline/time_axis.hpp"
#include <QSignalSpy>
#include <QTest>
#include <cmath>

class TestTimelineGoTo : public QObject {
  Q_OBJECT
private slots:
  void readsSecondsAndUnits_data();
  void readsSecondsAndUnits();
  void refusesWhatIsNotATime_data();
  void refusesWhatIsNotATime();
  void enterCentresTheAxisAndMovesTheCursor();
  void badTextFlagsTheFieldAndLeavesTheAxis();
};

void TestTimelineGoTo::readsSecondsAndUnits_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<double>("seconds");
  QTest::newRow("bare") << "5.012" << 5.012;
  QTest::newRow("ms") << "5012 ms" << 5.012;
  QTest::newRow("s") << "5.01 s" << 5.01;
  QTest::newRow("us glued") << "250us" << 250e-6;
  QTest::newRow("micro sign") << QStringLiteral("250 \u00b5s") << 250e-6;
  QTest::newRow("greek mu") << QStringLiteral("250\u03bcs") << 250e-6;
  QTest::newRow("ns") << "80 ns" << 80e-9;
  QTest::newRow("spaces, capitals") << "  12.5 MS " << 12.5e-3;
  QTest::newRow("leading point") << ".5" << 0.5;
  QTest::newRow("exponent") << "1.5e3 ms" << 1.5;
}

void TestTimelineGoTo::readsSecondsAndUnits()
{
  QFETCH(QString, text);
  QFETCH(double, seconds);
  QString error;
  auto t = GoToTimeEdit::parseTime(text, &error);
  QVERIFY2(t.has_value(), qPrintable(error));
  QVERIFY(std::fabs(*t - seconds) <= 1e-12 * std::max(1.0, seconds));
}

void TestTimelineGoTo::refusesWhatIsNotATime_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("says");
  QTest::newRow("empty") << "" << "Type a time";
  QTest::newRow("words") << "soon" << "is not a time";
  QTest::newRow("unit") << "5 min" << "is not a unit of time";
  QTest::newRow("comma") << "5,012" << "decimals with a point";
  QTest::newRow("two numbers") << "5 6" << "is not a unit of time";
  QTest::newRow("huge") << "1e400" << "too large";
}

void TestTimelineGoTo::refusesWhatIsNotATime()
{
  QFETCH(QString, text);
  QFETCH(QString, says);
  QString error;
  QVERIFY(!GoToTimeEdit::parseTime(text, &error).has_value());
  QVERIFY2(error.contains(says), qPrintable(error));
}

void TestTimelineGoTo::enterCentresTheAxisAndMovesTheCursor()
{
  TimeAxis axis;
  axis.setTraceRange(4, 10);
  axis.setVisibleRange(4, 5);
  GoToTimeEdit edit(&axis);
  QSignalSpy went(&edit, &GoToTimeEdit::wentTo);
  QTest::keyClicks(&edit, QStringLiteral("7250 ms"));
  QTest::keyClick(&edit, Qt::Key_Return);
  QCOMPARE(went.count(), 1);
  QCOMPARE(went[0][0].toDouble(), 7.25);
  QCOMPARE(axis.cursor(), 7.25);
  QVERIFY(std::fabs((axis.visibleStart() + axis.visibleEnd()) / 2 - 7.25) < 1e-12);
  QVERIFY(std::fabs(axis.visibleWidth() - 1) < 1e-12);
  QVERIFY(edit.errorText().isEmpty() && edit.styleSheet().isEmpty());
}

void TestTimelineGoTo::badTextFlagsTheFieldAndLeavesTheAxis()
{
  TimeAxis axis;
  axis.setTraceRange(4, 10);
  axis.setVisibleRange(4, 5);
  GoToTimeEdit edit(&axis);
  edit.show();
  QSignalSpy went(&edit, &GoToTimeEdit::wentTo);
  for (const char* bad : {"7.2.5", "12 s"}) {
    edit.clear();
    QTest::keyClicks(&edit, QString::fromLatin1(bad));
    QTest::keyClick(&edit, Qt::Key_Return);
    QVERIFY(!edit.errorText().isEmpty());
    QCOMPARE(edit.toolTip(), edit.errorText());
    QVERIFY(edit.styleSheet().contains(QStringLiteral("border")));
  }
  QVERIFY2(edit.errorText().contains(QStringLiteral("outside the trace")), qPrintable(edit.errorText()));
  QCOMPARE(went.count(), 0);
  QCOMPARE(axis.visibleStart(), 4.0);
  QCOMPARE(axis.cursor(), 4.0);
  QTest::keyClick(&edit, Qt::Key_Backspace);
  QVERIFY(edit.errorText().isEmpty() && edit.toolTip().isEmpty() && edit.styleSheet().isEmpty());
}

QTEST_MAIN(TestTimelineGoTo)
#include "test_timeline_goto.moc"
