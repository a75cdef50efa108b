// The timeline on a real trace as gilsim-server writes it (one file per
// worker, merged by read_dir): no counters and no request lives, only lanes
// with request ids and locks; hover, click, range figures and drawing all work.
#include "timeline/synthetic_trace.hpp"
#include "timeline/timeline_palette.hpp"
#include "timeline/timeline_view.hpp"
#include <QHelpEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <algorithm>
#include <set>
#include <unordered_map>

namespace tf = gilsim::trace_format;
using gilsim::trace::State;

namespace {

constexpr double kFrom = 1, kUntil = 1.5;
constexpr uint32_t kRequestsPerWorker = 10'000'000; ///< gilsim-server's request ids start at worker × this

/// A synthetic process's states and lock events as records, lanes numbered from its process (lane 0).
std::vector<tf::Record> workerRecords(const gilsim::trace::Trace& t, uint32_t request_base)
{
  std::vector<tf::Record> out;
  for (std::size_t lane = 1; lane < t.lanes.size(); ++lane) {
    const auto& s = t.states[lane];
    for (std::size_t i = 0; i < s.size(); ++i)
      out.push_back(tf::Record::make(tf::Kind::state, static_cast<uint8_t>(s.state[i]), s.start[i], static_cast<uint32_t>(lane - 1),
                                     s.request[i] ? s.request[i] + request_base : 0));
  }
  for (const auto& h : t.locks[0].holds) {
    out.push_back(tf::Record::make(tf::Kind::lock, static_cast<uint8_t>(tf::LockEvent::grant), h.start_s, h.lane - 1, 0));
    out.push_back(tf::Record::make(tf::Kind::lock, static_cast<uint8_t>(tf::LockEvent::release), h.end_s, h.lane - 1, 0));
  }
  for (const auto& d : t.locks[0].drop_requests)
    out.push_back(tf::Record::make(tf::Kind::lock, static_cast<uint8_t>(tf::LockEvent::drop_request), d.t_s, d.lane - 1, 0));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.time_s() < b.time_s(); });
  out.erase(std::find_if(out.begin(), out.end(), [](const auto& r) { return r.time_s() >= kUntil; }), out.end());
  return out;
}

/// Worker `number`'s file, as gilsim-server writes it: header, lanes, then its records.
void writeRealWorker(const QString& path, int number)
{
  SyntheticTraceOptions o;
  o.processes  = 1;
  o.threads    = 3;
  o.from_s     = kFrom;
  o.duration_s = kUntil - kFrom;
  o.seed       = static_cast<uint64_t>(number);
  auto t = makeSyntheticTrace(o);
  gilsim::TraceFileWriter out(path.toStdString());
  out.blob(0, tf::BlobKind::header,
           {{"label", "gthread 2x3"}, {"real", true}, {"worker", number}, {"window_s", {kFrom, kUntil}}, {"cores", 2}});
  for (std::size_t lane = 1; lane < t->lanes.size(); ++lane) {
    const auto& l = t->lanes[lane];
    std::string name = l.parent < 0 ? "worker " + std::to_string(number) : l.name;
    out.lane(kFrom, static_cast<uint32_t>(lane - 1), l.parent < 0 ? -1 : l.parent - 1, number, l.kind, name);
  }
  for (const auto& r : workerRecords(*t, static_cast<uint32_t>(number) * kRequestsPerWorker))
    out.record(r);
  out.finish(kUntil);
}

/// Each request's end: its last interval of work (not idle, not killed), when before the window's end.
std::unordered_map<uint32_t, double> workEnds(const gilsim::trace::Trace& t)
{
  std::unordered_map<uint32_t, double> end;
  for (const auto& s : t.states)
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.request[i] && s.state[i] != State::idle && s.state[i] != State::killed)
        end[s.request[i] - 1] = std::max(end[s.request[i] - 1], i + 1 < s.size() ? s.start[i + 1] : t.until_s);
  for (auto it = end.begin(); it != end.end();)
    it = it->second < t.until_s ? std::next(it) : end.erase(it);
  return end;
}

} // namespace

class TestTimelineReal : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void theMergedTraceHasTwoWorkersLocksAndNoLives();
  void aRequestsSummaryComesFromItsLanes();
  void rangeStatsCountTheRequestsWhoseWorkEnds();
  void hoverClickAndDrawingWork();

private:
  QTemporaryDir dir_;
  std::shared_ptr<const TimelineModel> model_;
};

void TestTimelineReal::initTestCase()
{
  writeRealWorker(dir_.filePath(QStringLiteral("worker-1-100.gtrace")), 1);
  writeRealWorker(dir_.filePath(QStringLiteral("worker-2-101.gtrace")), 2);
  auto trace = std::make_shared<gilsim::trace::Trace>(gilsim::trace::read_dir(dir_.path().toStdString()));
  model_     = std::make_shared<TimelineModel>(trace);
}

void TestTimelineReal::theMergedTraceHasTwoWorkersLocksAndNoLives()
{
  const auto& t = model_->trace();
  QVERIFY(model_->isReal());
  QVERIFY(t.requests.empty() && t.counters.empty());
  QCOMPARE(t.locks.size(), std::size_t{2});
  QVERIFY(!model_->hasMachine());
  int processes = 0, locks = 0;
  for (const auto& r : model_->rows())
    processes += r.kind == TimelineRow::Kind::process, locks += r.kind == TimelineRow::Kind::lock;
  QCOMPARE(processes, 2);
  QCOMPARE(locks, 2);
  QCOMPARE(model_->stateLanes().size(), std::size_t{8});
}

void TestTimelineReal::aRequestsSummaryComesFromItsLanes()
{
  const auto& t = model_->trace();
  auto ends     = workEnds(t);
  uint32_t id   = 0;
  for (const auto& [request, end] : ends)
    if (request / kRequestsPerWorker == 2 && end < kUntil - 0.1 && (id == 0 || request < id))
      id = request;
  QVERIFY(id != 0);
  auto spans = model_->requestSpans(id);
  QVERIFY(!spans.empty());
  QString text = model_->requestSummary(id);
  QString head = QStringLiteral("request %1, worker 2 / %2: from ").arg(id).arg(QString::fromStdString(t.lanes[static_cast<std::size_t>(spans.front().lane)].name));
  QVERIFY2(text.startsWith(head), qPrintable(text));
  TimelineModel::StateTimes sum{};
  for (const auto& s : spans) {
    auto part = model_->stateTime(s.lane, s.start_s, s.end_s);
    for (std::size_t k = 0; k < sum.size(); ++k)
      sum[k] += part[k];
  }
  QString cpu = QStringLiteral("CPU %1 ms").arg(sum[static_cast<std::size_t>(State::running)] * 1e3, 0, 'f', 1);
  QVERIFY2(text.contains(cpu) && text.contains(QStringLiteral("GIL wait")), qPrintable(text + " / " + cpu));
  QVERIFY2(!text.contains(QStringLiteral("backlog")) && !text.contains(QStringLiteral("cut by")), qPrintable(text));
  auto holds = model_->requestHolds(spans);
  QVERIFY(!holds.empty());
  QCOMPARE(model_->trace().locks[static_cast<std::size_t>(holds.front().lock)].process_lane, static_cast<uint32_t>(model_->processLaneOf(spans.front().lane)));
}

void TestTimelineReal::rangeStatsCountTheRequestsWhoseWorkEnds()
{
  auto ends = workEnds(model_->trace());
  double a = 1.1, b = 1.3;
  int expected = static_cast<int>(std::count_if(ends.begin(), ends.end(), [&](const auto& e) { return e.second >= a && e.second <= b; }));
  TimelineRangeStats st = model_->rangeStats(a, b, model_->stateLanes());
  QVERIFY(expected > 10);
  QCOMPARE(st.requests_finished, expected);
  QCOMPARE(st.lanes, 8);
  QVERIFY2(st.text().contains(QStringLiteral("GIL wait")), qPrintable(st.text()));
}

void TestTimelineReal::hoverClickAndDrawingWork()
{
  TimeAxis axis;
  TimelineView view(&axis);
  view.setModel(model_);
  view.resize(1200, 600);
  view.show();
  axis.setVisibleRange(1.2, 1.22);
  int lane = model_->stateLanes()[5];
  const auto& s = model_->trace().states[static_cast<std::size_t>(lane)];
  long i = model_->intervalAt(lane, 1.2);
  while (s.request[static_cast<std::size_t>(i)] == 0 || s.start[static_cast<std::size_t>(i)] < 1.2 || s.state[static_cast<std::size_t>(i)] == State::idle)
    ++i;
  double mid = (s.start[static_cast<std::size_t>(i)] + model_->intervalEnd(lane, i)) / 2;
  QPoint at(static_cast<int>(std::lround(view.xOf(mid))), view.yOfLane(lane) + view.layout().rowHeight(TimelineRow::Kind::thread) / 2);
  QHelpEvent help(QEvent::ToolTip, at, view.mapToGlobal(at));
  QApplication::sendEvent(&view, &help);
  uint32_t id = s.request[static_cast<std::size_t>(i)] - 1;
  QVERIFY2(QToolTip::text().contains(QStringLiteral("request %1").arg(id)), qPrintable(QToolTip::text()));
  QSignalSpy spy(&view, &TimelineView::requestSelected);
  QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, at);
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy[0][0].value<uint32_t>(), id);
  QVERIFY(spy[0][1].toString().startsWith(QStringLiteral("request %1, worker 2").arg(id)));
  QImage shot = view.grab().toImage().convertToFormat(QImage::Format_RGB32);
  std::set<QRgb> colours;
  for (int y = 0; y < shot.height(); y += 2)
    for (int x = 0; x < shot.width(); x += 2)
      colours.insert(shot.pixel(x, y) | 0xff000000u);
  QVERIFY(colours.count(TimelinePalette::state(static_cast<uint8_t>(s.state[static_cast<std::size_t>(i)]))));
  QVERIFY(colours.count(TimelinePalette::dimmed(TimelinePalette::state(static_cast<uint8_t>(State::running)))));
  QVERIFY(colours.count(TimelinePalette::dimmed(TimelinePalette::holderColour(model_->holderColour(model_->stateLanes()[1])))));
}

QTEST_MAIN(TestTimelineReal)
#include "test_timeline_real.moc"
