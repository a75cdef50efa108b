// The trace of one run: an Observer that writes every event inside a window
// [from, until) to a trace file (trace_format.hpp) as it happens, and sums the
// whole run into coarse aggregates per 100 ms bucket for the charts.
#pragma once
#include "observer.hpp"
#include "stats.hpp"
#include "trace_file.hpp"
#include <array>
#include <memory>
#include <string>
#include <vector>

namespace gilsim {

/// The whole run in buckets: completions, latency, CPU, GIL waits, requests in the system.
class Aggregator {
public:
  Aggregator(double end_s, double warmup_s, int cores, double bucket_s = 0.1);
  /// `process`: the lane of the worker process whose lock a thread waits for.
  void state_changed(int process, bool was_waiting, bool waiting, double t);
  void process_lives(int process, bool alive, double t);
  void runnable(double value, double t);
  void in_system(double value, double t);
  void finished(trace_format::Outcome o, double latency_s, double t);
  nlohmann::json to_json(double end_s);

private:
  /// Adds value × time to the buckets a step function covers.
  struct Integral {
    double value = 0, since = 0;
    std::vector<double> area;
  };
  void advance(Integral& x, double value, double t);
  void close_latency_bucket(std::size_t upto);
  std::size_t bucket(double t) const;
  double bucket_s_, warmup_s_;
  int cores_;
  std::size_t n_;
  Integral busy_, waiting_, alive_, in_system_;
  std::vector<int> waiters_;   ///< per process lane: threads waiting for its lock
  int processes_waiting_ = 0, processes_alive_ = 0;
  std::vector<double> completed_, errors_, mean_ms_, p50_ms_, p99_ms_;
  Histogram bucket_latency_, window_latency_;
  std::size_t latency_bucket_ = 0;
};

class TraceRecorder final : public Observer {
public:
  struct Window {
    double from_s, until_s;
  };
  /// Writes to `path`; `header` is the run's resolved configuration (a JSON object).
  TraceRecorder(const std::string& path, Window w, nlohmann::json header, double end_s, double warmup_s, int cores);
  void lane(int id, int parent, LaneKind kind, int process, const std::string& name) override;
  bool wants_states() const override { return true; }
  void state(int lane, UnitState s, long request, double t) override;
  void lock(int lane, int process_lane, LockEvent e, double t) override;
  void counter(CounterKind k, int process, double value, double t) override;
  void request(RequestEvent e, long request, long a, double t) override;
  void finished(const Finished& f) override;
  void connection(long connection, int process_lane, bool open, double t) override;
  void worker(int process_lane, WorkerEvent e, int number, double t) override;
  /// Writes the aggregates and the end record; throws if the file could not be written.
  void finish(double end_s);

private:
  struct Lock {
    int holder = -1, written = -1; ///< thread lanes (-1: free)
    bool dirty = false;            ///< changed in this instant
  };
  struct LaneInfo {
    int parent, process;
    int process_lane; ///< the worker process it belongs to (itself for a process)
    LaneKind kind;
    std::string name;
    uint8_t state;
    uint32_t request;
    uint8_t written_state;    ///< as the file has it
    uint32_t written_request;
    bool dirty;               ///< changed in this instant
    Lock lock = {};           ///< a process lane's interpreter lock
  };
  struct CounterInfo {
    CounterKind kind;
    int process;
    double value, written;
    bool dirty;
  };
  bool in_window(double t) const;
  /// Every record carries its instant; a new instant first writes the net changes of the last.
  void at(double t);
  void flush();
  void flush_lanes();
  void flush_locks();
  void flush_counters();
  void open_window();
  void write_lane(double t, uint32_t id);
  void write_counter_def(double t, uint32_t id);
  void write_counter(double t, uint32_t id);
  uint32_t counter_of(CounterKind k, int process);
  TraceFileWriter out_;
  Window w_;
  bool open_      = false;
  bool recording_ = false; ///< the current instant is in the window
  double instant_ = -1;
  std::vector<LaneInfo> lanes_;
  std::vector<CounterInfo> counters_;                     ///< by id
  std::array<std::vector<int>, kCounterKinds> counter_ids_;           ///< [kind][process] -> id (-1: none yet)
  std::vector<uint32_t> dirty_lanes_, dirty_counters_, dirty_locks_;
  Aggregator agg_;
};

} // namespace gilsim
