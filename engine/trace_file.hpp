// Writing and reading trace files (format: trace_format.hpp). No SimGrid, no
// Qt: the library gilsim_tracefile is linked by the engine (to write), and by
// the studio, the CLI's export and the tests (to read).
#pragma once
#include "trace_format.hpp"
#include <array>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace gilsim {

/// Appends records to a trace file as they come (in blocks of 64 kB).
class TraceFileWriter {
public:
  /// Opens `path` and writes the preamble; throws std::runtime_error if it cannot.
  explicit TraceFileWriter(const std::string& path);
  ~TraceFileWriter();
  TraceFileWriter(const TraceFileWriter&) = delete;
  TraceFileWriter& operator=(const TraceFileWriter&) = delete;

  void record(const trace_format::Record& r);
  void record(trace_format::Kind k, uint8_t sub, double t_s, uint32_t a, uint32_t b)
  {
    record(trace_format::Record::make(k, sub, t_s, a, b));
  }
  void lane(double t_s, uint32_t id, int parent, int process, trace_format::LaneKind kind, const std::string& name);
  void counter_def(double t_s, uint32_t id, int process, const std::string& name, uint32_t flags = 0);
  void blob(double t_s, trace_format::BlobKind kind, const nlohmann::json& j);
  /// Writes the end record and closes; throws std::runtime_error if any write failed (a full disk).
  void finish(double t_s);
  uint64_t records() const { return records_; }

private:
  void payload(trace_format::Kind k, uint8_t sub, double t_s, uint32_t a, const std::string& bytes);
  void put(const void* bytes, std::size_t n);
  void drain(); ///< writes what is buffered
  static constexpr std::size_t kFlushBytes = 64 * 1024;
  std::vector<uint8_t> buf_;
  std::FILE* f_ = nullptr;
  std::string path_;
  uint64_t records_ = 0;
  uint64_t last_ns_ = 0;  ///< time of the last record (times are stored as differences)
  std::array<uint32_t, trace_format::kKinds> last_b_{}; ///< per kind: the last record's `b` (so are they)
  std::vector<uint32_t> last_counter_;                  ///< per counter: its last value
  uint32_t last_connection_ = 0;                        ///< the last connection record's `a` (so are they)
  uint64_t a_field(const trace_format::Record& r);
  uint64_t b_field(const trace_format::Record& r);
  bool failed_ = false;
};

/// A trace file that cannot be read: the message names the file and what is wrong.
struct TraceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace trace {

using trace_format::LaneKind;
using trace_format::LockEvent;
using trace_format::Outcome;
using trace_format::State;
using trace_format::WorkerEvent;

struct Lane {
  uint32_t id;
  int parent;           ///< index of the enclosing lane, -1 at top level
  int process;          ///< worker number, 0 for the arbiter and the machine
  LaneKind kind;
  std::string name;     ///< "worker 1", "thread 3", "greenlet 17", "task 4", "main loop"
  std::vector<uint32_t> children;
};

/// One lane's states, column by column (13 bytes an interval): state i holds
/// from start[i] to start[i + 1], the last one to the window's end.
struct LaneStates;
/// Merges runs of intervals shorter than `width_s` into intervals of about
/// that width, each in the state that held most of its time; longer ones stay.
void coarsen(LaneStates& s, double width_s);

struct LaneStates {
  std::vector<double> start;
  std::vector<State> state;
  std::vector<uint32_t> request; ///< request id + 1, 0 for none
  std::size_t size() const { return start.size(); }
  /// Index of the interval holding time t (the last one starting at or before t), -1 before the first.
  long at(double t) const;
};

/// Who held one process's lock, and when.
struct Hold {
  double start_s, end_s;
  uint32_t lane;
};
struct LockMark {
  double t_s;
  uint32_t lane;        ///< the thread that asked (drop request) or dropped (forced switch)
};
struct ProcessLock {
  uint32_t process_lane;
  std::vector<Hold> holds;           ///< in time order, never overlapping
  std::vector<LockMark> drop_requests;
  std::vector<LockMark> forced_switches;
};

struct CounterSeries {
  std::string name;     ///< "runnable threads", "backlog", "in system", "pool waiters", "db connections", "memory MB"
  int process;          ///< 0 for the whole server
  std::vector<double> t_s;
  std::vector<double> value;
  double value_at(double t) const; ///< the value in force at t (0 before the first sample)
  void set(double t, double v);    ///< a new sample (replaces one at the same instant)
};

struct Step {
  double t_s;
  trace_format::RequestEvent kind; ///< step_io, step_blocking_io or step_db (CPU steps are the running intervals)
};

/// A request's life, as far as the window saw it (NaN where it did not).
struct RequestLife {
  uint32_t id;
  uint32_t connection = 0;
  int worker_lane     = -1;   ///< the process whose worker accepted its connection
  int unit_lane       = -1;   ///< the unit that started it
  int endpoint        = -1;
  double sent_s       = nan();
  double started_s    = nan();
  double finished_s   = nan();
  Outcome outcome     = Outcome::ok;
  bool finished       = false;
  std::vector<Step> steps;
  static double nan() { return std::numeric_limits<double>::quiet_NaN(); }
};

struct WorkerMark {
  double t_s;
  uint32_t lane;
  int number;
  WorkerEvent event;
};

/// Coarse figures of the whole run, per bucket of `bucket_s` from t = 0.
struct Aggregates {
  double bucket_s = 0.1;
  std::vector<double> completed;      ///< requests completed in the bucket
  std::vector<double> errors;         ///< requests failed in the bucket
  std::vector<double> latency_mean_ms, latency_p50_ms, latency_p99_ms; ///< of those completed
  std::vector<double> cpu;            ///< busy share of the server's cores, 0..1
  std::vector<double> gil_wait;       ///< share of the worker processes' time with a thread waiting for the lock
  std::vector<double> in_system;      ///< mean requests in the system
  std::vector<double> cdf_ms;         ///< latency of completed requests in the measurement window at quantiles 0, 0.01, …, 1
  std::size_t buckets() const { return completed.size(); }
};

struct Trace {
  std::string path;
  nlohmann::json header;  ///< {config (the resolved run), run (its hash), document, scenario, label, server, window_s: [from, until], ...}
  double from_s = 0, until_s = 0;
  std::vector<Lane> lanes;           ///< index = lane id
  std::vector<LaneStates> states;    ///< index = lane id
  std::vector<ProcessLock> locks;    ///< one per worker process that had a lock event
  std::vector<CounterSeries> counters;
  std::vector<RequestLife> requests; ///< sorted by id
  std::vector<WorkerMark> workers;
  Aggregates aggregates;
  uint64_t json_bytes = 0;           ///< of the file, in the header and the aggregates
  double coarsened_to_s = 0;         ///< > 0: runs of intervals shorter than this were merged to fit in memory
  uint64_t interval_count() const;
  const RequestLife* request(uint32_t id) const;
};

struct ReadOptions {
  /// A trace with more intervals than this is read with coarser detail
  /// (Trace::coarsened_to_s) instead of exhausting memory: 32 M intervals, 416 MB.
  uint64_t max_intervals = uint64_t{32} << 20;
};

/// Reads a whole trace file; throws TraceError naming the file and the problem
/// (not a trace, another version, truncated, inconsistent).
Trace read(const std::string& path, const ReadOptions& o = {});
/// One trace of several (gilsim-server's workers each write their own): lanes
/// side by side, the window they all cover, the first one's header.
Trace merge(std::vector<Trace> parts);
/// Every trace file in `dir`, merged (TraceError if there is none).
Trace read_dir(const std::string& dir);

const char* to_string(State s);
const char* to_string(LaneKind k);
const char* to_string(Outcome o);
const char* to_string(WorkerEvent e);

} // namespace trace
} // namespace gilsim
