// The timeline widget, headless: the wheel and the keys move the shared axis,
// a click on an interval selects its request (lit on its lanes and the GIL
// strip), a drag selects a range, collapsing hides rows, worker marks show on
// the process rows, and what it draws has the states' colours.
#include "timeline/synthetic_trace.hpp"
#include "timeline/timeline_palette.hpp"
#include "timeline/timeline_view.hpp"
#include <QHelpEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <set>

namespace {

std::shared_ptr<const TimelineModel> smallModel()
{
  SyntheticTraceOptions o;
  o.duration_s = 1;
  o.kill_at_s  = 0.8;
  o.greenlets  = 2;
  return std::make_shared<TimelineModel>(makeSyntheticTrace(o));
}

struct Fixture {
  TimeAxis axis;
  TimelineView view{&axis};
  Fixture()
  {
    view.setModel(smallModel());
    view.resize(1200, 700);
    view.show();
  }
  QPoint plotPoint(double share_x, int lane) const
  {
    QRect plot = view.plotRect();
    return {plot.left() + static_cast<int>(share_x * plot.width()), view.yOfLane(lane) + view.layout().rowHeight(TimelineRow::Kind::thread) / 2};
  }
};

void wheel(QWidget& w, QPoint at, int degrees_eighths, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
  QWheelEvent e(at, w.mapToGlobal(at), QPoint(), QPoint(0, degrees_eighths), Qt::NoButton, mods, Qt::NoScrollPhase, false);
  QApplication::sendEvent(&w, &e);
}

} // namespace

class TestTimelineView : public QObject {
  Q_OBJECT
private slots:
  void theWheelZoomsAtTheMouse();
  void keysZoomPanAndFit();
  void clickingAnIntervalSelectsItsRequest();
  void shiftDragSelectsARangeAndReportsIt();
  void collapsingAProcessHidesItsRows();
  void aSelectedRequestLightsUpOnTheGilStrip();
  void workerMarksAreDrawnAndNamedOnTheProcessRow();
  void jumpKeysMoveTheCursorToTheNextWorkerEvent();
  void theDrawingIsNotBlankAndHasTheStatesColours();
  void shortcutsAreListed();
};

void TestTimelineView::theWheelZoomsAtTheMouse()
{
  Fixture f;
  QPoint at = f.plotPoint(0.3, f.view.model()->stateLanes()[1]);
  double t  = f.view.timeAt(at.x());
  wheel(f.view, at, 120);
  QVERIFY(f.axis.visibleWidth() < 0.99);
  QVERIFY(std::fabs(f.view.timeAt(at.x()) - t) < 1e-9);
  wheel(f.view, at, -240);
  QCOMPARE(f.axis.visibleWidth(), 1.0);
}

void TestTimelineView::keysZoomPanAndFit()
{
  Fixture f;
  QTest::keyClick(&f.view, Qt::Key_W);
  double zoomed = f.axis.visibleWidth();
  QVERIFY(zoomed < 1);
  double start = f.axis.visibleStart();
  QTest::keyClick(&f.view, Qt::Key_D);
  QVERIFY(f.axis.visibleStart() > start);
  QTest::keyClick(&f.view, Qt::Key_A);
  QTest::keyClick(&f.view, Qt::Key_A);
  QVERIFY(f.axis.visibleStart() < start);
  QTest::keyClick(&f.view, Qt::Key_S);
  QVERIFY(f.axis.visibleWidth() > zoomed);
  QTest::keyClick(&f.view, Qt::Key_W);
  QTest::keyClick(&f.view, Qt::Key_End);
  QCOMPARE(f.axis.visibleEnd(), f.axis.traceEnd());
  QTest::keyClick(&f.view, Qt::Key_F);
  QCOMPARE(f.axis.visibleWidth(), 1.0);
}

void TestTimelineView::clickingAnIntervalSelectsItsRequest()
{
  Fixture f;
  int lane = f.view.model()->stateLanes()[1];
  f.axis.setVisibleRange(0.3, 0.32);
  const auto& s = f.view.model()->trace().states[static_cast<std::size_t>(lane)];
  long i = f.view.model()->intervalAt(lane, 0.3);
  while (s.request[static_cast<std::size_t>(i)] == 0 || s.start[static_cast<std::size_t>(i)] < 0.3)
    ++i;
  double mid = (s.start[static_cast<std::size_t>(i)] + f.view.model()->intervalEnd(lane, i)) / 2;
  QSignalSpy spy(&f.view, &TimelineView::requestSelected);
  QTest::mouseClick(&f.view, Qt::LeftButton, Qt::NoModifier, QPoint(static_cast<int>(std::lround(f.view.xOf(mid))), f.plotPoint(0, lane).y()));
  QCOMPARE(spy.count(), 1);
  uint32_t id = s.request[static_cast<std::size_t>(i)] - 1;
  QCOMPARE(spy[0][0].value<uint32_t>(), id);
  QVERIFY(spy[0][1].toString().startsWith(QStringLiteral("request %1 on connection").arg(id)));
  QCOMPARE(f.view.selectedRequest(), static_cast<int64_t>(id));
  QCOMPARE(f.view.selectedLane(), lane);
}

void TestTimelineView::shiftDragSelectsARangeAndReportsIt()
{
  Fixture f;
  QSignalSpy spy(&f.view, &TimelineView::rangeStats);
  int lane = f.view.model()->stateLanes()[1];
  QPoint a = f.plotPoint(0.2, lane), b = f.plotPoint(0.6, lane);
  QTest::mousePress(&f.view, Qt::LeftButton, Qt::ShiftModifier, a);
  QMouseEvent move(QEvent::MouseMove, b, f.view.mapToGlobal(b), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
  QApplication::sendEvent(&f.view, &move);
  QTest::mouseRelease(&f.view, Qt::LeftButton, Qt::ShiftModifier, b);
  QVERIFY(f.axis.hasSelection());
  QVERIFY(std::fabs(f.axis.selectionStart() - f.view.timeAt(a.x())) < 1e-9);
  QCOMPARE(spy.count(), 1);
  QVERIFY(spy[0][0].toString().contains(QStringLiteral("requests finished")));
}

void TestTimelineView::collapsingAProcessHidesItsRows()
{
  Fixture f;
  int rows      = f.view.layout().count();
  int process   = f.view.model()->rows()[1].lane;
  int thread    = f.view.model()->stateLanes()[1];
  QVERIFY(f.view.yOfLane(thread) > 0);
  f.view.setExpanded(process, false);
  QCOMPARE(f.view.yOfLane(thread), -1);
  QVERIFY(f.view.layout().count() < rows - 10);
  f.view.setExpanded(process, true);
  f.view.setExpanded(thread, false);
  QCOMPARE(f.view.layout().count(), rows - 2);
  QRect plot = f.view.plotRect();
  QPoint triangle(8 + f.view.model()->rows()[static_cast<std::size_t>(f.view.model()->rowOfLane(thread))].depth * 14, f.plotPoint(0, thread).y());
  QVERIFY(triangle.x() < plot.left());
  QTest::mouseClick(&f.view, Qt::LeftButton, Qt::NoModifier, triangle);
  QVERIFY(f.view.isExpanded(thread));
  QCOMPARE(f.view.layout().count(), rows);
}

void TestTimelineView::aSelectedRequestLightsUpOnTheGilStrip()
{
  Fixture f;
  const auto& model = *f.view.model();
  const auto& life  = model.trace().requests[30];
  auto holds        = model.requestHolds(model.requestSpans(life.id));
  QVERIFY(!holds.empty());
  const HoldSpan& longest = *std::max_element(holds.begin(), holds.end(), [](const auto& a, const auto& b) { return a.end_s - a.start_s < b.end_s - b.start_s; });
  double length = longest.end_s - longest.start_s;
  f.axis.setVisibleRange(longest.start_s - 2 * length, longest.end_s + 2 * length);
  int process = model.trace().locks[static_cast<std::size_t>(longest.lock)].process_lane;
  int y = f.view.yOfLane(process) + f.view.layout().rowHeight(TimelineRow::Kind::process) +
          f.view.layout().rowHeight(TimelineRow::Kind::lock) * 2 / 3;
  QImage before = f.view.grab().toImage();
  f.view.selectRequest(life.id);
  QImage after = f.view.grab().toImage();
  int lit = 0, kept = 0, dim = 0, dimmed = 0;
  QRect plot = f.view.plotRect();
  for (int x = plot.left() + 2; x < plot.right() - 2; ++x) {
    double a = f.view.timeAt(x - 1), b = f.view.timeAt(x + 2);
    bool in  = std::any_of(holds.begin(), holds.end(), [&](const HoldSpan& h) { return h.start_s <= a && h.end_s >= b; });
    bool out = std::none_of(holds.begin(), holds.end(), [&](const HoldSpan& h) { return h.end_s >= a && h.start_s <= b; });
    QRgb was = before.pixel(x, y) | 0xff000000u, is = after.pixel(x, y) | 0xff000000u;
    lit += in, kept += in && is == was;
    dim += out, dimmed += out && is == TimelinePalette::dimmed(was);
  }
  QVERIFY(lit > 20 && dim > 20);
  QVERIFY2(kept >= lit * 9 / 10 && dimmed >= dim * 9 / 10, qPrintable(QStringLiteral("%1/%2 %3/%4").arg(kept).arg(lit).arg(dimmed).arg(dim)));
  f.view.clearRequest();
  QCOMPARE(f.view.grab().toImage(), before);
}

void TestTimelineView::workerMarksAreDrawnAndNamedOnTheProcessRow()
{
  Fixture f;
  f.axis.setVisibleRange(0.7, 0.9);
  const auto& marks = f.view.model()->workerMarks();
  const auto& died  = marks.back();
  QCOMPARE(died.event, gilsim::trace::WorkerEvent::died_timeout);
  int x = static_cast<int>(std::lround(f.view.xOf(died.t_s)));
  int y = f.view.yOfLane(static_cast<int>(died.lane)) + 2;
  QImage shot = f.view.grab().toImage();
  bool found = false;
  for (int dx = -2; dx <= 2; ++dx)
    found = found || (shot.pixel(x + dx, y) | 0xff000000u) == TimelinePalette::workerEvent(died.event).rgb();
  QVERIFY(found);
  QHelpEvent help(QEvent::ToolTip, QPoint(x, y), f.view.mapToGlobal(QPoint(x, y)));
  QApplication::sendEvent(&f.view, &help);
  QVERIFY2(QToolTip::text().contains(QStringLiteral("worker 1 killed by the timeout at 800.000 ms")), qPrintable(QToolTip::text()));
}

void TestTimelineView::jumpKeysMoveTheCursorToTheNextWorkerEvent()
{
  Fixture f;
  f.axis.zoomAt(0.5, 10);
  QSignalSpy status(&f.view, &TimelineView::statusMessage);
  QTest::keyClick(&f.view, Qt::Key_K);
  QCOMPARE(f.axis.cursor(), 0.8);
  QVERIFY(std::fabs((f.axis.visibleStart() + f.axis.visibleEnd()) / 2 - 0.8) < 1e-9);
  QVERIFY2(status.last()[0].toString().startsWith(QStringLiteral("worker 1 killed by the timeout at")), qPrintable(status.last()[0].toString()));
  f.view.setSelectedLane(f.view.model()->stateLanes()[1]);
  QTest::keyClick(&f.view, Qt::Key_N, Qt::ShiftModifier);
  QVERIFY(f.axis.cursor() < 0.8);
  double request = f.axis.cursor();
  QTest::keyClick(&f.view, Qt::Key_R);
  QVERIFY(f.axis.cursor() > request);
}

void TestTimelineView::theDrawingIsNotBlankAndHasTheStatesColours()
{
  Fixture f;
  f.axis.setVisibleRange(0.2, 0.25);
  QImage shot = f.view.grab().toImage().convertToFormat(QImage::Format_RGB32);
  std::set<QRgb> colours;
  for (int y = 0; y < shot.height(); y += 2)
    for (int x = 0; x < shot.width(); x += 2)
      colours.insert(shot.pixel(x, y) | 0xff000000u);
  for (uint8_t s : {0, 1, 2, 3, 4})
    QVERIFY2(colours.count(TimelinePalette::state(s)), qPrintable(QString::number(s)));
  QVERIFY(colours.count(TimelinePalette::busyCores()));
  QVERIFY(colours.count(TimelinePalette::holderColour(1)));
  QVERIFY(colours.size() > 20);
}

void TestTimelineView::shortcutsAreListed()
{
  auto list = TimelineView::shortcuts();
  QVERIFY(list.size() >= 10);
  std::unique_ptr<QWidget> legend(TimelineView::makeLegend());
  QVERIFY(legend->sizeHint().height() > 10);
}

QTEST_MAIN(TestTimelineView)
#include "test_timeline_view.moc"
