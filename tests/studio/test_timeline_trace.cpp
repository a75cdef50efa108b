// The timeline model on a trace the simulator wrote: gthread, one process of
// four threads doing pure Python work, so its lock strip is busy with hand-offs.
#include "timeline/timeline_model.hpp"
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

class TestTimelineTrace : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void aSimulatedGthreadTraceHasALockStripThatNeverOverlaps();
  void theLevelsOfDetailKeepTheSimulatedStatesTime();

private:
  QTemporaryDir dir_;
  std::shared_ptr<gilsim::trace::Trace> trace_;
};

void TestTimelineTrace::initTestCase()
{
  QString path = dir_.filePath(QStringLiteral("gthread.gtrace"));
  QProcess gilsim;
  gilsim.start(QStringLiteral(GILSIM_BIN),
               {QStringLiteral("run"), QStringLiteral(GILSIM_SCENARIOS "/claim-01-gil-processes-vs-threads.json"),
                QStringLiteral("--server"), QStringLiteral("2"), QStringLiteral("--trace-file"), path});
  QVERIFY(gilsim.waitForFinished(60000));
  QCOMPARE(gilsim.exitCode(), 0);
  trace_ = std::make_shared<gilsim::trace::Trace>(gilsim::trace::read(path.toStdString()));
}

void TestTimelineTrace::aSimulatedGthreadTraceHasALockStripThatNeverOverlaps()
{
  TimelineModel model(trace_);
  QCOMPARE(trace_->locks.size(), std::size_t{1});
  const auto& holds = trace_->locks[0].holds;
  QVERIFY(holds.size() > 50);
  for (std::size_t i = 1; i < holds.size(); ++i)
    QVERIFY(holds[i - 1].end_s <= holds[i].start_s && holds[i].start_s <= holds[i].end_s);
  QVERIFY(!trace_->locks[0].drop_requests.empty());
  int locks = 0, threads = 0;
  for (const auto& r : model.rows())
    locks += r.kind == TimelineRow::Kind::lock, threads += r.kind == TimelineRow::Kind::thread;
  QCOMPARE(locks, 1);
  QVERIFY(threads >= 4);
  QVERIFY(model.hasMachine());
}

void TestTimelineTrace::theLevelsOfDetailKeepTheSimulatedStatesTime()
{
  TimelineModel model(trace_);
  double width = trace_->until_s - trace_->from_s;
  for (int lane : model.stateLanes()) {
    TimelineModel::StateTimes whole = model.stateTime(lane, trace_->from_s, trace_->until_s), sum{};
    for (int x = 0; x < 1920; ++x) {
      auto part = model.stateTime(lane, trace_->from_s + x * width / 1920, trace_->from_s + (x + 1) * width / 1920);
      for (std::size_t s = 0; s < sum.size(); ++s)
        sum[s] += part[s];
    }
    for (std::size_t s = 0; s < sum.size(); ++s)
      QVERIFY(std::fabs(sum[s] - whole[s]) <= 1e-9 * width);
    std::vector<uint8_t> px(1920);
    model.sample(lane, trace_->from_s, width / 1920, 1920, px.data());
    QVERIFY(std::all_of(px.begin(), px.end(), [](uint8_t c) { return c < TimelineModel::kStates; }));
  }
}

QTEST_MAIN(TestTimelineTrace)
#include "test_timeline_trace.moc"
