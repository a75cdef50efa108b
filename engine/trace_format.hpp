// The trace file: what one simulated run did inside a window of time, as a
// stream of records in time order. No SimGrid, no Qt: the engine writes it,
// the studio, the CLI's Chrome/Perfetto export and the tests read it.
//
//   preamble   "GILSIMTR" u32 version u32 0                      16 bytes
//   blob       header: JSON {config: the resolved run, run: its hash, document, scenario, label, server, window_s: [from, until], ...}
//   lane / counter definitions, a snapshot of every lane's state at `from`,
//   then state / lock / counter / request / connection / worker records,
//   blob       aggregates: JSON per 100 ms bucket over the whole run
//   end        t = the window's end, b = the records before it
//
// A record is one byte (kind in the low 4 bits, sub in the high 4), then
// three LEB128 varints: the time since the previous record in ns, `a`
// (for connection records, as the zigzag difference from the last one's: new
// connections follow each other), and `b` as the zigzag difference from the
// `b` of the previous record of its kind — of its counter, for counters —
// (request ids follow each other: a byte instead of three); lane,
// counter_def and blob records carry `b` as it is, then `b` bytes of payload.
// Requests in the system are not recorded but follow the request records
// (kFollowsRequests), and counts are stored as counts (kWholeValues).
// A state record ends the lane's previous interval and starts the next, so an
// interval costs one record: 4 to 8 bytes.
#pragma once
#include <cstdint>
#include <cstring>

namespace gilsim::trace_format {

constexpr char kMagic[8]      = {'G', 'I', 'L', 'S', 'I', 'M', 'T', 'R'};
constexpr uint32_t kVersion   = 4;
constexpr std::size_t kPreamble = 16;
constexpr uint64_t kMaxTimeNs = (uint64_t{1} << 48) - 1; ///< 78 hours of simulated time
constexpr std::size_t kMaxRecord = 1 + 3 * 10;             ///< bytes of a record without payload, at most

/// What a record says. `a` and `b` mean, per kind:
enum class Kind : uint8_t {
  lane = 1,       ///< a lane is defined. a: lane id, b: payload bytes (LanePayload then the name)
  counter_def,    ///< a counter is defined. a: counter id, b: payload bytes (CounterPayload then the name)
  state,          ///< a lane changes state. a: lane, sub: State, b: request id + 1 (0: none)
  lock,           ///< the interpreter lock. a: thread lane, sub: LockEvent, b: the process's lane
  counter,        ///< a counter's new value. a: counter id, b: counter_units(value)
  request,        ///< a request's life. sub: RequestEvent, b: request id; a: see RequestEvent
  connection,     ///< a connection is accepted by a worker. a: connection id, b: the worker process's lane
  worker,         ///< a worker process is born or dies. a: its lane, sub: WorkerEvent, b: its number
  blob,           ///< a JSON payload. sub: BlobKind, b: payload bytes
  end,            ///< the stream is complete. t: the window's end, b: records written before it
};

/// A lane's state; the same numbers as the engine's UnitState.
enum class State : uint8_t { idle, running, waiting_gil, blocked_io, waiting_loop, killed };
constexpr int kStates = 6;

enum class LaneKind : uint8_t { machine, arbiter, process, thread, greenlet, task };

enum class LockEvent : uint8_t {
  grant,          ///< the thread now holds its process's lock
  release,        ///< the thread lets it go (I/O, end of work, hand-over)
  drop_request,   ///< a waiter timed out after a switch interval and asks the holder to drop
  forced_switch,  ///< the holder honours a drop request and may not take it back before another has
  wait,           ///< the thread begins to wait for the lock (an event, never a record: its state says it)
};

enum class RequestEvent : uint8_t {
  sent,           ///< a: connection id (when a unit picks it up is its first interval carrying the request)
  step_cpu,       ///< a CPU step begins (an event, never a record: CPU steps run with the server's own Python)
  step_io,        ///< an I/O step begins: the unit's next blocked-io interval is it. a: the unit's lane
  step_blocking_io,
  step_db,
  finished,       ///< a: endpoint index; the outcome is the record's `sub` + finished (see Outcome below)
};

/// The outcome of a request, carried by a `finished` record in `sub` - finished_base.
enum class Outcome : uint8_t { ok, timeout, killed, refused, db, pool_timeout };
constexpr uint8_t kFinishedBase = static_cast<uint8_t>(RequestEvent::finished);

/// Why a worker's lane starts or ends (the model's arbiter kills a silent worker and recycles one at
/// max_requests), and gevent's monitor thread seeing the hub blocked.
enum class WorkerEvent : uint8_t { born, died_timeout, died_max_requests, monitor_report };

enum class BlobKind : uint8_t { header, aggregates };

/// What a `lane` record's payload starts with; the name follows (UTF-8, no NUL).
struct LanePayload {
  int32_t parent;   ///< the enclosing lane (-1: top level)
  int32_t process;  ///< the worker number (0: arbiter, clients, machine)
  uint8_t kind;     ///< LaneKind
  uint8_t pad[3];
};
static_assert(sizeof(LanePayload) == 12);

/// What a `counter_def` record's payload starts with; the name follows.
struct CounterPayload {
  int32_t process;  ///< the worker it belongs to (0: the whole server)
  uint32_t flags;   ///< CounterFlags
};
static_assert(sizeof(CounterPayload) == 8);

enum CounterFlags : uint32_t {
  kWholeValues = 1,  ///< `b` is the value itself (a count), not thousandths
  /// After its value at the window's start, the counter has no records of its
  /// own: it goes up by one at each `sent` request record and down by one at
  /// each `finished` one (requests in the system).
  kFollowsRequests = 2,
};

/// The in-memory form of a record (the file stores it packed, see above).
struct Record {
  uint64_t word; ///< bits 0..47: time in ns since the start of the run; 48..55: Kind; 56..63: sub
  uint32_t a;
  uint32_t b;

  static Record make(Kind k, uint8_t sub, double t_s, uint32_t a, uint32_t b)
  {
    double ns   = t_s * 1e9 + 0.5;
    uint64_t tn = ns <= 0 ? 0 : ns >= static_cast<double>(kMaxTimeNs) ? kMaxTimeNs : static_cast<uint64_t>(ns);
    return {tn | uint64_t{static_cast<uint8_t>(k)} << 48 | uint64_t{sub} << 56, a, b};
  }
  double time_s() const { return static_cast<double>(word & kMaxTimeNs) * 1e-9; }
  Kind kind() const { return static_cast<Kind>((word >> 48) & 0xff); }
  uint8_t sub() const { return static_cast<uint8_t>(word >> 56); }
};

/// A counter's value in a record: thousandths (memory in MB to the kB), or
/// the value itself for a count (kWholeValues); never negative.
inline uint32_t counter_units(double v, bool whole = false)
{
  double u = v * (whole ? 1 : 1000) + 0.5;
  return u <= 0 ? 0 : u >= 4294967295.0 ? 4294967295u : static_cast<uint32_t>(u);
}
inline double units_value(uint32_t u, bool whole = false) { return whole ? u : u / 1000.0; }

/// Whether a record of this kind has a payload (its `b` is the payload's length, not delta-coded).
constexpr bool has_payload(Kind k) { return k == Kind::lane || k == Kind::counter_def || k == Kind::blob; }
constexpr std::size_t kKinds = 16;

inline uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

/// Appends `v` as a LEB128 varint; returns the new end.
inline uint8_t* put_varint(uint8_t* p, uint64_t v)
{
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

} // namespace gilsim::trace_format
