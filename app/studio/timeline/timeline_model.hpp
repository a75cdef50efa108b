// What a timeline shows of one trace, without widgets: its rows in tree order
// (machine, per process a header, its GIL strip, its threads, their greenlets
// or tasks), levels of detail per lane, exact times per state, events, requests.
#pragma once
#include "engine/trace_file.hpp"
#include "timeline/levels_of_detail.hpp"
#include <QString>
#include <array>
#include <memory>
#include <vector>

struct TimelineRow {
  enum class Kind : uint8_t { machine, process, lock, thread, unit };
  Kind kind;
  int lane   = -1;  ///< the trace lane; -1 for a machine row the trace has no lane for
  int lock   = -1;  ///< for a lock row: its index in trace.locks
  int parent = -1;  ///< the enclosing row, -1 at top level
  int depth  = 0;
  bool hasChildren = false;
  QString label;
};

/// One stretch of time a request was worked on (neither idle nor killed), on one lane.
struct RequestSpan {
  int lane;
  double start_s, end_s;
};

/// Where a request had the GIL: a hold of the thread serving it, cut to the request's spans.
struct HoldSpan {
  int lock;
  double start_s, end_s;
};

/// What a range of time holds: time per state over some lanes, requests finished.
struct TimelineRangeStats {
  double from_s = 0, to_s = 0;
  int lanes = 0;
  std::array<double, gilsim::trace_format::kStates> state_s{};
  int requests_finished = 0;
  double throughput_per_s = 0;
  QString text() const;
};

class TimelineModel {
public:
  using Trace = gilsim::trace::Trace;
  using State = gilsim::trace::State;
  using WorkerMark = gilsim::trace::WorkerMark;
  using StateTimes = std::array<double, gilsim::trace_format::kStates>;
  static constexpr int kStates          = gilsim::trace_format::kStates;
  static constexpr uint8_t kNoData      = DominantLevels::kNoData;
  static constexpr int kHolderColours   = 6;   ///< lock holders cycle through this many colours
  static constexpr uint8_t kLockFree    = 0;   ///< sampleLock: nobody holds it; 1 + colour otherwise
  static constexpr int kPrefixStride    = 16;  ///< exact per-state sums are kept every this many intervals
  enum class Direction { forward, backward };

  explicit TimelineModel(std::shared_ptr<const Trace> trace);

  const Trace& trace() const { return *trace_; }
  double from() const { return trace_->from_s; }
  double until() const { return trace_->until_s; }
  int cores() const { return cores_; }
  QString label() const;
  /// Measured on gilsim-server (header "real"): no counters, no request lives, only lanes and locks.
  bool isReal() const;

  const std::vector<TimelineRow>& rows() const { return rows_; }
  int rowOfLane(int lane) const;
  std::vector<int> stateLanes() const; ///< the lanes of thread, greenlet and task rows

  // States of a lane.
  bool hasStates(int lane) const;
  /// The dominant state of each of `pixels` pixels [t0 + i dt, t0 + (i + 1) dt) (kNoData where the lane has none).
  void sample(int lane, double t0_s, double dt_s, int pixels, uint8_t* out) const;
  /// The exact time in each state within [a, b].
  StateTimes stateTime(int lane, double a_s, double b_s) const;
  /// The interval holding t (the last starting at or before it), -1 before the first.
  long intervalAt(int lane, double t_s) const;
  double intervalEnd(int lane, long i) const;
  const DominantLevels& levels(int lane) const { return lanes_[static_cast<std::size_t>(lane)].levels; }

  // The lock of a process.
  /// Per pixel: kLockFree, 1 + the holder's colour, or kNoData.
  void sampleLock(int lock, double t0_s, double dt_s, int pixels, uint8_t* out) const;
  long holdAt(int lock, double t_s) const; ///< -1 when free at t
  int holderColour(int lane) const { return holder_colour_[static_cast<std::size_t>(lane)]; }
  /// The pixels holding at least one of the marks (times in order), each once.
  static std::vector<int> markPixels(const std::vector<gilsim::trace::LockMark>& marks, double t0_s, double dt_s,
                                     int pixels);

  // The machine.
  bool hasMachine() const { return machine_counter_ >= 0; }
  /// Mean busy cores (runnable threads, at most the cores) per pixel.
  void sampleBusyCores(double t0_s, double dt_s, int pixels, float* out) const;
  double runnableAt(double t_s) const;

  // Workers born and died, in time order.
  const std::vector<WorkerMark>& workerMarks() const { return worker_marks_; }
  /// The mark of process `lane` nearest t within `within_s`, nullptr if none.
  const WorkerMark* workerMarkNear(int lane, double t_s, double within_s) const;
  /// "worker 2 killed by the timeout" for each mark at exactly t, "worker killed" for a lane killed then.
  QString workerEventsAt(double t_s) const;
  static QString workerEventName(gilsim::trace::WorkerEvent e);

  // Events; NaN when there is none.
  /// A worker born or died, or a lane killed.
  double nextWorkerEvent(double t_s, Direction d = Direction::forward) const;
  /// Of the process owning `lane` (every process if it owns none).
  double nextDropRequest(double t_s, int lane, Direction d = Direction::forward) const;
  /// When the lane next starts working on a request.
  double nextRequestStart(int lane, double t_s, Direction d = Direction::forward) const;

  // Requests.
  const gilsim::trace::RequestLife* request(uint32_t id) const;
  std::vector<RequestSpan> requestSpans(uint32_t id) const;
  /// The GIL holds of the threads of `spans` within them, per lock in time order.
  std::vector<HoldSpan> requestHolds(const std::vector<RequestSpan>& spans) const;
  /// "request 12 on connection 3, worker 2 / thread 5: backlog 3.1 ms, GIL wait …; latency 85.6 ms (ok)";
  /// without its life (a real trace): "request 12, worker 2 / thread 5: from 1.2 s for 85.6 ms: GIL wait …".
  QString requestSummary(uint32_t id) const;
  QString endpointName(int endpoint) const;

  /// Time shares of `lanes` and the requests finished within [a, b] (without lives: those whose
  /// last interval of work, neither idle nor killed, ends there, before the window's end).
  TimelineRangeStats rangeStats(double a_s, double b_s, const std::vector<int>& lanes) const;

  int processLaneOf(int lane) const;
  /// The thread a lane runs on: itself, or the thread of a greenlet or task.
  int threadLaneOf(int lane) const;
  int lockOfProcess(int process_lane) const;

  /// Bytes the model adds to the trace, and the bytes of the trace's lanes, locks and counters.
  std::size_t memoryBytes() const;
  static std::size_t traceBytes(const Trace& trace);
  static QString stateName(State s);

private:
  struct LaneDetail {
    DominantLevels levels;
    std::vector<StateTimes> prefix_s; ///< time per state before interval kPrefixStride × j
  };
  void buildRows();
  void addRows(int lane, int parent_row, int depth);
  void addRow(TimelineRow row);
  void buildLane(int lane);
  void buildLock(int lock);
  void buildMachine();
  void buildWorkerEvents();
  void buildRequestEnds();
  int requestsFinished(double a_s, double b_s) const;
  StateTimes timeBefore(int lane, double t_s) const;
  StateTimes unitTime(const std::vector<RequestSpan>& spans, int unit) const;
  QString spansText(const std::vector<RequestSpan>& spans, int unit) const;

  std::shared_ptr<const Trace> trace_;
  int cores_ = 1;
  std::vector<TimelineRow> rows_;
  std::vector<int> row_of_lane_;
  std::vector<LaneDetail> lanes_;
  std::vector<DominantLevels> lock_levels_;
  std::vector<uint8_t> holder_colour_;
  int machine_counter_ = -1;
  MeanLevels busy_levels_;            ///< busy cores: runnable threads, at most the cores
  std::vector<WorkerMark> worker_marks_;
  std::vector<double> worker_events_s_; ///< marks and lanes killed, each time once
  std::vector<double> request_ends_s_;  ///< without request lives: when each request's work ended, in order
};
