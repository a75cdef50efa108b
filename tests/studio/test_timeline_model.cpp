// The timeline model without a window: its rows, its levels of detail (they
// keep every state's time and show the state with the most time per pixel),
// the lock strips, requests' lives and GIL holds, range figures, worker marks
// and event jumps.
#include "timeline/synthetic_trace.hpp"
#include "timeline/timeline_model.hpp"
#include <QTest>
#include <cmath>
#include <numeric>
#include <set>

using gilsim::trace::LaneStates;
using gilsim::trace::State;
using gilsim::trace::Trace;
using StateTimes = TimelineModel::StateTimes;

namespace {

std::shared_ptr<Trace> threadedTrace()
{
  SyntheticTraceOptions o;
  o.duration_s = 2;
  o.greenlets  = 2;
  o.kill_at_s  = 1.5;
  o.seed       = 7;
  return makeSyntheticTrace(o);
}

/// Each state's time within [a, b] summed over the lane's intervals, one by one.
StateTimes bruteForce(const Trace& t, int lane, double a, double b)
{
  StateTimes sum{};
  const LaneStates& s = t.states[static_cast<std::size_t>(lane)];
  for (std::size_t i = 0; i < s.size(); ++i) {
    double end     = i + 1 < s.size() ? s.start[i + 1] : t.until_s;
    double overlap = std::min(end, b) - std::max(s.start[i], a);
    if (overlap > 0)
      sum[static_cast<std::size_t>(s.state[i])] += overlap;
  }
  return sum;
}

bool sameTimes(const StateTimes& a, const StateTimes& b, double scale_s)
{
  for (std::size_t s = 0; s < a.size(); ++s)
    if (std::fabs(a[s] - b[s]) > 1e-9 * scale_s)
      return false;
  return true;
}

/// A lane of `cycles` alternations (running 60 %, waiting for the GIL 40 %) over [0, 0.5), then I/O until 1.
std::shared_ptr<Trace> alternatingTrace(int cycles)
{
  auto t     = std::make_shared<Trace>();
  t->until_s = 1;
  t->lanes.push_back({0, -1, 1, gilsim::trace::LaneKind::thread, "thread 1", {}});
  t->states.emplace_back();
  LaneStates& s = t->states[0];
  double cycle  = 0.5 / cycles;
  for (int k = 0; k < cycles; ++k) {
    s.start.push_back(k * cycle), s.state.push_back(State::running), s.request.push_back(0);
    s.start.push_back(k * cycle + 0.6 * cycle), s.state.push_back(State::waiting_gil), s.request.push_back(0);
  }
  s.start.push_back(0.5), s.state.push_back(State::blocked_io), s.request.push_back(0);
  return t;
}

} // namespace

class TestTimelineModel : public QObject {
  Q_OBJECT
private slots:
  void levelsOfDetailKeepEachStatesTimeAtEveryZoom();
  void everyBucketKnowsTheStateWithTheMostTimeInIt();
  void aPixelShowsTheStateWithTheMostTimeInIt();
  void stateTimeOfAnyRangeIsTheSumOverItsIntervals();
  void theModelHasRowsOfEachKindInTreeOrder();
  void aLocksHoldsNeverOverlapAndItsStripShowsTheHolder();
  void theLanesHoldEveryState();
  void aRequestsSummarySpellsOutItsLife();
  void rangeStatsShareTheLanesTimeAndCountFinishedRequests();
  void aRequestsGilHoldsAreItsThreadsHoldsWhileOnIt();
  void workersBornAndDiedAreMarkedWithTheirReason();
  void jumpsFindTheNextWorkerEventDropRequestAndRequest();
  void theLevelsOfDetailCostFewBytesPerInterval();
};

void TestTimelineModel::levelsOfDetailKeepEachStatesTimeAtEveryZoom()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  for (int lane : model.stateLanes()) {
    StateTimes exact = bruteForce(*trace, lane, trace->from_s, trace->until_s);
    for (int pixels : {1, 7, 64, 1920, 100000}) {
      double dt = (trace->until_s - trace->from_s) / pixels;
      StateTimes sum{};
      for (int x = 0; x < pixels; ++x) {
        StateTimes part = model.stateTime(lane, trace->from_s + x * dt, trace->from_s + (x + 1) * dt);
        for (std::size_t s = 0; s < sum.size(); ++s)
          sum[s] += part[s];
      }
      QVERIFY2(sameTimes(sum, exact, trace->until_s), qPrintable(QStringLiteral("lane %1, %2 pixels").arg(lane).arg(pixels)));
    }
  }
}

void TestTimelineModel::everyBucketKnowsTheStateWithTheMostTimeInIt()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  int checked = 0;
  for (int lane : model.stateLanes()) {
    const DominantLevels& lv = model.levels(lane);
    for (int level = 0; level < lv.levels(); ++level) {
      double w = lv.bucketWidth(level);
      for (std::size_t b = 0; b < lv.buckets(level); ++b) {
        StateTimes t = bruteForce(*trace, lane, lv.from() + b * w, lv.from() + (b + 1) * w);
        std::array<double, 7> with_gap{};
        std::copy(t.begin(), t.end(), with_gap.begin());
        with_gap[6] = w - std::accumulate(t.begin(), t.end(), 0.0);
        std::array<double, 7> sorted = with_gap;
        std::sort(sorted.rbegin(), sorted.rend());
        if (sorted[0] - sorted[1] < 1e-9 * w)
          continue;
        auto top  = std::max_element(with_gap.begin(), with_gap.end()) - with_gap.begin();
        auto best = top == 6 ? TimelineModel::kNoData : static_cast<uint8_t>(top);
        QCOMPARE(lv.dominant(level, b), best);
        ++checked;
      }
    }
  }
  QVERIFY(checked > 1000);
}

void TestTimelineModel::aPixelShowsTheStateWithTheMostTimeInIt()
{
  for (int cycles : {3, 10000}) {
    TimelineModel model(alternatingTrace(cycles));
    for (int pixels : {2, 10, 100, 1000}) {
      std::vector<uint8_t> out(static_cast<std::size_t>(pixels));
      model.sample(0, 0, 1.0 / pixels, pixels, out.data());
      for (int x = 0; x < pixels; ++x) {
        auto expected = static_cast<uint8_t>(x < pixels / 2 ? State::running : State::blocked_io);
        if (cycles == 3 && x < pixels / 2)
          continue;
        QVERIFY2(out[static_cast<std::size_t>(x)] == expected,
                 qPrintable(QStringLiteral("%1 cycles, pixel %2 of %3").arg(cycles).arg(x).arg(pixels)));
      }
    }
    uint8_t beyond = 0;
    model.sample(0, 1.5, 0.1, 1, &beyond);
    QCOMPARE(beyond, TimelineModel::kNoData);
  }
  TimelineModel few(alternatingTrace(3));
  uint8_t px[2];
  double cycle = 0.5 / 3;
  few.sample(0, 0.52 * cycle, 0.1 * cycle, 1, px);
  few.sample(0, 0.58 * cycle, 0.1 * cycle, 1, px + 1);
  QCOMPARE(px[0], static_cast<uint8_t>(State::running));
  QCOMPARE(px[1], static_cast<uint8_t>(State::waiting_gil));
}

void TestTimelineModel::stateTimeOfAnyRangeIsTheSumOverItsIntervals()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  std::vector<int> lanes = model.stateLanes();
  for (int k = 0; k < 500; ++k) {
    int lane = lanes[static_cast<std::size_t>(k) % lanes.size()];
    double a = std::fmod(k * 0.6180339887, 1.0) * 2.2 - 0.1, b = a + std::fmod(k * 0.41421356, 1.0) * 0.7;
    QVERIFY(sameTimes(model.stateTime(lane, a, b), bruteForce(*trace, lane, a, b), trace->until_s));
  }
}

void TestTimelineModel::theModelHasRowsOfEachKindInTreeOrder()
{
  TimelineModel model(threadedTrace());
  std::set<TimelineRow::Kind> kinds;
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    kinds.insert(rows[r].kind);
    if (rows[r].parent >= 0) {
      QVERIFY(rows[r].parent < static_cast<int>(r));
      QCOMPARE(rows[r].depth, rows[static_cast<std::size_t>(rows[r].parent)].depth + 1);
    }
  }
  QCOMPARE(kinds.size(), std::size_t{5});
  QCOMPARE(rows[0].kind, TimelineRow::Kind::machine);
  QCOMPARE(rows[1].kind, TimelineRow::Kind::process);
  QCOMPARE(rows[2].kind, TimelineRow::Kind::lock);
  QCOMPARE(rows[3].label, QStringLiteral("main loop"));
  QCOMPARE(rows[5].kind, TimelineRow::Kind::unit);
  QCOMPARE(rows[5].parent, 4);
}

void TestTimelineModel::aLocksHoldsNeverOverlapAndItsStripShowsTheHolder()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  QCOMPARE(trace->locks.size(), std::size_t{2});
  for (int lock = 0; lock < 2; ++lock) {
    const auto& holds = trace->locks[static_cast<std::size_t>(lock)].holds;
    QVERIFY(holds.size() > 100);
    for (std::size_t i = 0; i < holds.size(); ++i) {
      QVERIFY(holds[i].start_s <= holds[i].end_s);
      if (i > 0)
        QVERIFY(holds[i - 1].end_s <= holds[i].start_s);
    }
    const auto& h = holds[holds.size() / 2];
    uint8_t strip = 0;
    double mid = (h.start_s + h.end_s) / 2, dt = (h.end_s - h.start_s) / 4;
    model.sampleLock(lock, mid - dt / 2, dt, 1, &strip);
    QCOMPARE(int(strip), 1 + model.holderColour(static_cast<int>(h.lane)));
    QCOMPARE(model.holdAt(lock, mid), static_cast<long>(holds.size() / 2));
  }
}

void TestTimelineModel::theLanesHoldEveryState()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  StateTimes total{};
  for (int lane : model.stateLanes()) {
    StateTimes t = model.stateTime(lane, trace->from_s, trace->until_s);
    for (std::size_t s = 0; s < t.size(); ++s)
      total[s] += t[s];
  }
  for (std::size_t s = 0; s < total.size(); ++s)
    QVERIFY2(total[s] > 0, qPrintable(TimelineModel::stateName(static_cast<State>(s))));
}

void TestTimelineModel::aRequestsSummarySpellsOutItsLife()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  const auto& life = trace->requests[40];
  QVERIFY(life.finished);
  QString text = model.requestSummary(life.id);
  QVERIFY2(text.startsWith(QStringLiteral("request %1 on connection %2, worker ").arg(life.id).arg(life.connection)), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral(" / greenlet ")), qPrintable(text));
  QString latency = QStringLiteral("latency %1 ms (ok)").arg((life.finished_s - life.sent_s) * 1e3, 0, 'f', 1);
  QVERIFY2(text.endsWith(latency), qPrintable(text));
  StateTimes t = bruteForce(*trace, life.unit_lane, life.started_s, life.finished_s);
  QString cpu = QStringLiteral("CPU %1 ms").arg(t[static_cast<std::size_t>(State::running)] * 1e3, 0, 'f', 1);
  QVERIFY2(text.contains(cpu), qPrintable(text + " / " + cpu));
  auto spans = model.requestSpans(life.id);
  QVERIFY(!spans.empty());
  QCOMPARE(spans.front().start_s, life.started_s);
}

void TestTimelineModel::rangeStatsShareTheLanesTimeAndCountFinishedRequests()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  double a = 0.25, b = 0.75;
  TimelineRangeStats st = model.rangeStats(b, a, model.stateLanes());
  double sum = 0;
  for (double t : st.state_s)
    sum += t;
  QCOMPARE(st.lanes, static_cast<int>(model.stateLanes().size()));
  QVERIFY(std::fabs(sum - st.lanes * (b - a)) < 1e-9);
  int finished = 0;
  for (const auto& r : trace->requests)
    finished += r.finished && r.finished_s >= a && r.finished_s <= b;
  QCOMPARE(st.requests_finished, finished);
  QCOMPARE(st.throughput_per_s, finished / (b - a));
  QVERIFY2(st.text().contains(QStringLiteral("GIL wait")), qPrintable(st.text()));
}

void TestTimelineModel::aRequestsGilHoldsAreItsThreadsHoldsWhileOnIt()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  const auto& life = trace->requests[40];
  auto spans       = model.requestSpans(life.id);
  auto holds       = model.requestHolds(spans);
  QVERIFY(!holds.empty());
  int thread = model.threadLaneOf(life.unit_lane);
  QCOMPARE(trace->lanes[static_cast<std::size_t>(thread)].kind, gilsim::trace::LaneKind::thread);
  int lock = model.lockOfProcess(model.processLaneOf(thread));
  double held = 0;
  for (std::size_t k = 0; k < holds.size(); ++k) {
    QCOMPARE(holds[k].lock, lock);
    QVERIFY(k == 0 || holds[k - 1].end_s <= holds[k].start_s);
    QVERIFY(holds[k].start_s >= life.started_s && holds[k].end_s <= life.finished_s);
    long h = model.holdAt(lock, (holds[k].start_s + holds[k].end_s) / 2);
    QCOMPARE(static_cast<int>(trace->locks[static_cast<std::size_t>(lock)].holds[static_cast<std::size_t>(h)].lane), thread);
    held += holds[k].end_s - holds[k].start_s;
  }
  StateTimes t = bruteForce(*trace, thread, life.started_s, life.finished_s);
  QVERIFY(std::fabs(held - t[static_cast<std::size_t>(State::running)]) < 1e-12);
}

void TestTimelineModel::workersBornAndDiedAreMarkedWithTheirReason()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  const auto& marks = model.workerMarks();
  QCOMPARE(marks.size(), std::size_t{3});
  QVERIFY(std::is_sorted(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; }));
  int first = model.rows()[static_cast<std::size_t>(model.rowOfLane(static_cast<int>(marks.back().lane)))].lane;
  const auto* died = model.workerMarkNear(first, 1.5 + 1e-4, 1e-3);
  QVERIFY(died && died->event == gilsim::trace::WorkerEvent::died_timeout);
  QVERIFY(!model.workerMarkNear(first, 1.5 + 1e-2, 1e-3));
  QVERIFY(!model.workerMarkNear(first + 1, 1.5, 1e-3));
  QCOMPARE(model.workerEventsAt(1.5), QStringLiteral("worker 1 killed by the timeout"));
  QCOMPARE(model.workerEventsAt(0.0), QStringLiteral("worker 1 born, worker 2 born"));
}

void TestTimelineModel::jumpsFindTheNextWorkerEventDropRequestAndRequest()
{
  auto trace = threadedTrace();
  TimelineModel model(trace);
  using D = TimelineModel::Direction;
  QCOMPARE(model.nextWorkerEvent(0.2), 1.5);
  QVERIFY(std::isnan(model.nextWorkerEvent(1.6)));
  QCOMPARE(model.nextWorkerEvent(1.6, D::backward), 1.5);
  QCOMPARE(model.nextWorkerEvent(0.2, D::backward), 0.0);
  const auto& drops = trace->locks[1].drop_requests;
  QCOMPARE(model.nextDropRequest(drops[4].t_s, static_cast<int>(drops[5].lane)), drops[5].t_s);
  QCOMPARE(model.nextDropRequest(drops[5].t_s, static_cast<int>(drops[5].lane), D::backward), drops[4].t_s);
  int thread = model.stateLanes()[1];
  QCOMPARE(trace->lanes[static_cast<std::size_t>(thread)].name, std::string("thread 1"));
  double t = model.nextRequestStart(thread, 0.3);
  long i   = model.intervalAt(thread, t);
  const auto& s = trace->states[static_cast<std::size_t>(thread)];
  QVERIFY(t > 0.3 && s.request[static_cast<std::size_t>(i)] != 0 && s.request[static_cast<std::size_t>(i) - 1] != s.request[static_cast<std::size_t>(i)]);
  QCOMPARE(model.nextRequestStart(thread, t, D::backward) < t, true);
}

void TestTimelineModel::theLevelsOfDetailCostFewBytesPerInterval()
{
  SyntheticTraceOptions o;
  o.processes  = 4;
  o.duration_s = 20;
  auto trace   = makeSyntheticTrace(o);
  TimelineModel model(trace);
  double intervals = 0;
  for (const auto& s : trace->states)
    intervals += static_cast<double>(s.size());
  QVERIFY(intervals > 100000);
  double added = static_cast<double>(model.memoryBytes()) / intervals;
  QVERIFY2(added <= 11, qPrintable(QString::number(added)));
}

QTEST_MAIN(TestTimelineModel)
#include "test_timeline_model.moc"
