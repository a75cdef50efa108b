#include "trace_file.hpp"
#include <algorithm>
#include <array>
#include <fcntl.h>
#include <string_view>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

namespace gilsim {

namespace tf = trace_format;

TraceFileWriter::TraceFileWriter(const std::string& path) : path_(path)
{
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_)
    throw std::runtime_error(path + ": cannot write the trace file: " + std::strerror(errno));
  buf_.reserve(kFlushBytes);
  char pre[tf::kPreamble] = {};
  std::memcpy(pre, tf::kMagic, sizeof tf::kMagic);
  std::memcpy(pre + 8, &tf::kVersion, sizeof tf::kVersion);
  put(pre, sizeof pre);
}

void TraceFileWriter::put(const void* bytes, std::size_t n)
{
  if (buf_.size() + n > kFlushBytes)
    drain();
  const auto* b = static_cast<const uint8_t*>(bytes);
  buf_.insert(buf_.end(), b, b + n);
}

void TraceFileWriter::drain()
{
  failed_ |= std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size();
  buf_.clear();
}

TraceFileWriter::~TraceFileWriter()
{
  if (f_)
    std::fclose(f_);
}

namespace {
/// What a record's `b` is stored as the difference from: the last `b` of its
/// kind, or for a counter its own last value.
uint32_t& delta_base(std::array<uint32_t, tf::kKinds>& per_kind, std::vector<uint32_t>& per_counter, tf::Kind k, uint32_t a)
{
  if (k != tf::Kind::counter)
    return per_kind[static_cast<std::size_t>(k) % tf::kKinds];
  if (a >= per_counter.size())
    per_counter.resize(std::size_t{a} + 1, 0);
  return per_counter[a];
}
} // namespace

uint64_t TraceFileWriter::b_field(const tf::Record& r)
{
  if (tf::has_payload(r.kind()))
    return r.b;
  uint32_t& last = delta_base(last_b_, last_counter_, r.kind(), r.a);
  uint64_t v     = tf::zigzag(static_cast<int64_t>(r.b) - static_cast<int64_t>(last));
  last           = r.b;
  return v;
}

uint64_t TraceFileWriter::a_field(const tf::Record& r)
{
  if (r.kind() != tf::Kind::connection)
    return r.a;
  uint64_t v       = tf::zigzag(static_cast<int64_t>(r.a) - static_cast<int64_t>(last_connection_));
  last_connection_ = r.a;
  return v;
}

void TraceFileWriter::record(const tf::Record& r)
{
  uint8_t buf[tf::kMaxRecord];
  uint64_t t_ns = r.word & tf::kMaxTimeNs;
  buf[0]        = static_cast<uint8_t>(static_cast<uint8_t>(r.kind()) | r.sub() << 4);
  uint8_t* p    = tf::put_varint(buf + 1, t_ns - std::min(t_ns, last_ns_));
  p             = tf::put_varint(tf::put_varint(p, a_field(r)), b_field(r));
  last_ns_      = std::max(last_ns_, t_ns);
  put(buf, static_cast<std::size_t>(p - buf));
  ++records_;
}

void TraceFileWriter::payload(tf::Kind k, uint8_t sub, double t_s, uint32_t a, const std::string& bytes)
{
  record(k, sub, t_s, a, static_cast<uint32_t>(bytes.size()));
  put(bytes.data(), bytes.size());
}

void TraceFileWriter::lane(double t_s, uint32_t id, int parent, int process, tf::LaneKind kind, const std::string& name)
{
  tf::LanePayload p{parent, process, static_cast<uint8_t>(kind), {}};
  payload(tf::Kind::lane, 0, t_s, id, std::string(reinterpret_cast<const char*>(&p), sizeof p) + name);
}

void TraceFileWriter::counter_def(double t_s, uint32_t id, int process, const std::string& name, uint32_t flags)
{
  tf::CounterPayload p{process, flags};
  payload(tf::Kind::counter_def, 0, t_s, id, std::string(reinterpret_cast<const char*>(&p), sizeof p) + name);
}

void TraceFileWriter::blob(double t_s, tf::BlobKind kind, const nlohmann::json& j)
{
  payload(tf::Kind::blob, static_cast<uint8_t>(kind), t_s, 0, j.dump());
}

void TraceFileWriter::finish(double t_s)
{
  record(tf::Kind::end, 0, t_s, 0, static_cast<uint32_t>(records_));
  drain();
  failed_ |= std::fflush(f_) != 0;
  failed_ |= std::fclose(f_) != 0;
  f_ = nullptr;
  if (failed_)
    throw std::runtime_error(path_ + ": writing the trace failed (disk full?)");
}

namespace trace {

void coarsen(LaneStates& s, double width_s)
{
  LaneStates out;
  std::array<double, trace_format::kStates> run{}; // time per state of the run being merged
  double run_start = -1, run_end = 0;
  auto push = [&](double start, State st, uint32_t request) {
    if (!out.start.empty() && out.state.back() == st && out.request.back() == request)
      return;
    out.start.push_back(start);
    out.state.push_back(st);
    out.request.push_back(request);
  };
  auto flush = [&] {
    if (run_start < 0)
      return;
    auto dominant = static_cast<std::size_t>(std::max_element(run.begin(), run.end()) - run.begin());
    push(run_start, static_cast<State>(dominant), 0);
    run.fill(0);
    run_start = -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool last  = i + 1 == s.size();
    double end = last ? s.start[i] + width_s : s.start[i + 1]; // the last one lasts to the window's end: long
    if (end - s.start[i] >= width_s) {
      flush();
      push(s.start[i], s.state[i], s.request[i]);
      continue;
    }
    if (run_start < 0)
      run_start = s.start[i];
    run[static_cast<std::size_t>(s.state[i])] += end - s.start[i];
    run_end = end;
    if (run_end - run_start >= width_s)
      flush();
  }
  flush();
  s = std::move(out);
}

long LaneStates::at(double t) const
{
  auto it = std::upper_bound(start.begin(), start.end(), t);
  return static_cast<long>(it - start.begin()) - 1;
}

void CounterSeries::set(double t, double v)
{
  if (!t_s.empty() && t_s.back() == t) { // the net change of the instant
    value.back() = v;
    return;
  }
  t_s.push_back(t);
  value.push_back(v);
}

double CounterSeries::value_at(double t) const
{
  auto it = std::upper_bound(t_s.begin(), t_s.end(), t);
  return it == t_s.begin() ? 0 : value[static_cast<std::size_t>(it - t_s.begin() - 1)];
}

uint64_t Trace::interval_count() const
{
  uint64_t n = 0;
  for (const auto& s : states)
    n += s.size();
  return n;
}

const RequestLife* Trace::request(uint32_t id) const
{
  auto it = std::lower_bound(requests.begin(), requests.end(), id, [](const RequestLife& r, uint32_t v) { return r.id < v; });
  return it != requests.end() && it->id == id ? &*it : nullptr;
}

namespace {

/// Turns the stream of records into a Trace, checking each against what came before.
class Parser {
public:
  Parser(const std::string& path, std::string_view bytes, const ReadOptions& o) : path_(path), bytes_(bytes), opt_(o)
  {
    t_.path = path;
  }
  Trace run();

private:
  [[noreturn]] void fail(const std::string& what) const
  {
    throw TraceError(path_ + ": " + what + " (at byte " + std::to_string(pos_) + ")");
  }
  uint64_t varint();
  const tf::Record& next_record();
  std::string take_payload(uint32_t bytes);
  /// A lane or counter definition: its fixed head, then its name (returned).
  template <class Head>
  std::string definition(const tf::Record& r, std::size_t next_id, Head& head, const char* what);
  void on_record(const tf::Record& r);
  void on_lane(const tf::Record& r);
  void on_counter_def(const tf::Record& r);
  void follow_request(double t, int delta);
  void on_state(const tf::Record& r);
  void on_lock(const tf::Record& r);
  void on_counter(const tf::Record& r);
  void on_request(const tf::Record& r);
  void on_connection(const tf::Record& r);
  void on_blob(const tf::Record& r);
  RequestLife& life(uint32_t id);
  ProcessLock& lock_of(uint32_t process_lane);
  uint32_t lane_index(uint32_t lane) const;
  int process_of(int lane) const;
  void find_starts();
  void finish();

  std::string path_;
  std::string_view bytes_;
  ReadOptions opt_;
  uint64_t intervals_ = 0;  ///< held in t_.states
  void coarsen_if_over_budget();
  std::size_t pos_ = tf::kPreamble;
  uint64_t t_ns_   = 0;
  std::array<uint32_t, tf::kKinds> last_b_{}; ///< per kind: the last record's `b` (stored as differences)
  std::vector<uint32_t> last_counter_;        ///< per counter: its last value
  uint32_t last_connection_ = 0;              ///< the last connection record's `a`
  std::vector<uint32_t> counter_flags_;       ///< per counter: CounterFlags
  int follows_requests_ = -1;                 ///< the counter that sent and finished records move
  tf::Record rec_{};
  Trace t_;
  bool ended_ = false, header_ = false;
  uint64_t count_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> conn_worker_; ///< connection id -> process lane
  std::vector<int> open_hold_;                             ///< per ProcessLock: index of an open hold, -1
  std::unordered_map<uint32_t, std::size_t> lives_;        ///< request id -> index in t_.requests
};

uint64_t Parser::varint()
{
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= bytes_.size())
      fail("the file is truncated: it ends before its end record");
    auto byte = static_cast<uint8_t>(bytes_[pos_++]);
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80))
      return v;
  }
  fail("a number in a record is malformed");
}

const tf::Record& Parser::next_record()
{
  if (pos_ >= bytes_.size())
    fail("the file is truncated: it ends before its end record");
  auto head = static_cast<uint8_t>(bytes_[pos_++]);
  t_ns_ += varint();
  uint64_t a = varint(), b = varint();
  auto kind  = static_cast<tf::Kind>(head & 0x0f);
  if (kind == tf::Kind::connection) {
    a                = static_cast<uint64_t>(static_cast<int64_t>(last_connection_) + tf::unzigzag(a));
    last_connection_ = static_cast<uint32_t>(a);
  }
  if (!tf::has_payload(kind)) {
    if (kind == tf::Kind::counter && a > UINT32_MAX)
      fail("a record is out of range");
    uint32_t& last = delta_base(last_b_, last_counter_, kind, static_cast<uint32_t>(a));
    b              = static_cast<uint64_t>(static_cast<int64_t>(last) + tf::unzigzag(b));
    last           = static_cast<uint32_t>(b);
  }
  if (t_ns_ > tf::kMaxTimeNs || a > UINT32_MAX || b > UINT32_MAX)
    fail("a record is out of range");
  rec_ = {t_ns_ | uint64_t{static_cast<uint8_t>(head & 0x0f)} << 48 | uint64_t{static_cast<uint8_t>(head >> 4)} << 56,
          static_cast<uint32_t>(a), static_cast<uint32_t>(b)};
  ++count_;
  return rec_;
}

std::string Parser::take_payload(uint32_t bytes)
{
  if (pos_ + bytes > bytes_.size())
    fail("the file is truncated inside a record's payload");
  std::string s(bytes_.substr(pos_, bytes));
  pos_ += bytes;
  return s;
}

uint32_t Parser::lane_index(uint32_t lane) const
{
  if (lane >= t_.lanes.size())
    fail("a record names lane " + std::to_string(lane) + ", which was never defined");
  return lane;
}

template <class Head>
std::string Parser::definition(const tf::Record& r, std::size_t next_id, Head& head, const char* what)
{
  std::string p = take_payload(r.b);
  if (p.size() < sizeof(Head) || r.a != next_id)
    fail(std::string("a ") + what + " definition is malformed");
  std::memcpy(&head, p.data(), sizeof head);
  return p.substr(sizeof head);
}

void Parser::on_lane(const tf::Record& r)
{
  tf::LanePayload lp;
  std::string name = definition(r, t_.lanes.size(), lp, "lane");
  if (lp.kind > static_cast<uint8_t>(tf::LaneKind::task) || lp.parent >= static_cast<int>(r.a))
    fail("a lane definition is malformed");
  t_.lanes.push_back({r.a, lp.parent, lp.process, static_cast<LaneKind>(lp.kind), name, {}});
  t_.states.emplace_back();
  if (lp.parent >= 0)
    t_.lanes[static_cast<std::size_t>(lp.parent)].children.push_back(r.a);
}

void Parser::on_counter_def(const tf::Record& r)
{
  tf::CounterPayload cp;
  std::string name = definition(r, t_.counters.size(), cp, "counter");
  if (cp.flags & tf::kFollowsRequests)
    follows_requests_ = static_cast<int>(t_.counters.size());
  counter_flags_.push_back(cp.flags);
  t_.counters.push_back({name, cp.process, {}, {}});
}

void Parser::follow_request(double t, int delta)
{
  if (follows_requests_ < 0)
    return;
  CounterSeries& c = t_.counters[static_cast<std::size_t>(follows_requests_)];
  c.set(t, std::max(0.0, (c.value.empty() ? 0 : c.value.back()) + delta));
}

void Parser::on_state(const tf::Record& r)
{
  if (r.sub() >= tf::kStates)
    fail("a state record has an unknown state " + std::to_string(r.sub()));
  LaneStates& s = t_.states[lane_index(r.a)];
  double t      = r.time_s();
  if (!s.start.empty() && s.start.back() == t) { // replaced within the instant: the last one counts
    s.state.back()   = static_cast<State>(r.sub());
    s.request.back() = r.b;
    return;
  }
  s.start.push_back(t);
  s.state.push_back(static_cast<State>(r.sub()));
  s.request.push_back(r.b);
  if (++intervals_ > opt_.max_intervals)
    coarsen_if_over_budget();
}

/// Over the budget: runs of intervals shorter than a width become intervals
/// of that width, each in the state that held most of its time (the width
/// doubles until the trace fits in half the budget). The file is read to its
/// end all the same; only the detail is lost.
void Parser::coarsen_if_over_budget()
{
  double w = t_.coarsened_to_s > 0 ? t_.coarsened_to_s : (t_.until_s - t_.from_s) / 1e6;
  while (intervals_ > opt_.max_intervals / 2) {
    w *= 2;
    intervals_ = 0;
    for (auto& s : t_.states) {
      coarsen(s, w);
      intervals_ += s.size();
    }
  }
  t_.coarsened_to_s = w;
}

ProcessLock& Parser::lock_of(uint32_t process_lane)
{
  for (std::size_t i = 0; i < t_.locks.size(); ++i)
    if (t_.locks[i].process_lane == process_lane)
      return t_.locks[i];
  t_.locks.push_back({process_lane, {}, {}, {}});
  open_hold_.push_back(-1);
  return t_.locks.back();
}

void Parser::on_lock(const tf::Record& r)
{
  lane_index(r.a);
  ProcessLock& l = lock_of(lane_index(r.b));
  int& open      = open_hold_[static_cast<std::size_t>(&l - t_.locks.data())];
  double t       = r.time_s();
  auto close     = [&] {
    if (open >= 0)
      l.holds[static_cast<std::size_t>(open)].end_s = t;
    open = -1;
  };
  switch (static_cast<LockEvent>(r.sub())) {
    case LockEvent::grant:
      close();
      open = static_cast<int>(l.holds.size());
      l.holds.push_back({t, t_.until_s, r.a});
      break;
    case LockEvent::release:
      if (open >= 0 && l.holds[static_cast<std::size_t>(open)].lane == r.a)
        close();
      break;
    case LockEvent::drop_request: l.drop_requests.push_back({t, r.a}); break;
    case LockEvent::forced_switch: l.forced_switches.push_back({t, r.a}); break;
    default: fail("a lock record has an unknown event " + std::to_string(r.sub()));
  }
}

void Parser::on_counter(const tf::Record& r)
{
  if (r.a >= t_.counters.size())
    fail("a record names counter " + std::to_string(r.a) + ", which was never defined");
  t_.counters[r.a].set(r.time_s(), tf::units_value(r.b, counter_flags_[r.a] & tf::kWholeValues));
}

RequestLife& Parser::life(uint32_t id)
{
  auto [it, added] = lives_.try_emplace(id, t_.requests.size());
  if (added) {
    t_.requests.emplace_back();
    t_.requests.back().id = id;
  }
  return t_.requests[it->second];
}

void Parser::on_request(const tf::Record& r)
{
  using E        = tf::RequestEvent;
  RequestLife& q = life(r.b);
  double t       = r.time_s();
  uint8_t sub    = r.sub();
  if (sub >= tf::kFinishedBase) {
    if (sub - tf::kFinishedBase > static_cast<int>(Outcome::pool_timeout))
      fail("a request record has an unknown outcome");
    follow_request(t, -1);
    q.finished   = true;
    q.finished_s = t;
    q.outcome    = static_cast<Outcome>(sub - tf::kFinishedBase);
    q.endpoint   = static_cast<int>(r.a);
    return;
  }
  switch (static_cast<E>(sub)) {
    case E::sent:
      follow_request(t, +1);
      q.sent_s     = t;
      q.connection = r.a;
      break;
    default: q.steps.push_back({t, static_cast<E>(sub)}); break;
  }
}

void Parser::on_connection(const tf::Record& r)
{
  conn_worker_.push_back({r.a, lane_index(r.b)});
}

void Parser::on_blob(const tf::Record& r)
{
  std::string p = take_payload(r.b);
  t_.json_bytes += p.size();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(p);
  } catch (const std::exception&) {
    fail("a JSON block is malformed");
  }
  if (static_cast<tf::BlobKind>(r.sub()) == tf::BlobKind::header) {
    t_.header = j;
    try {
      t_.from_s  = j.at("window_s").at(0).get<double>();
      t_.until_s = j.at("window_s").at(1).get<double>();
    } catch (const std::exception&) {
      fail("the header has no window_s: [from, until]");
    }
    header_ = true;
    return;
  }
  Aggregates& a = t_.aggregates;
  try {
    a.bucket_s        = j.at("bucket_s").get<double>();
    a.completed       = j.at("completed").get<std::vector<double>>();
    a.errors          = j.at("errors").get<std::vector<double>>();
    a.latency_mean_ms = j.at("latency_mean_ms").get<std::vector<double>>();
    a.latency_p50_ms  = j.at("latency_p50_ms").get<std::vector<double>>();
    a.latency_p99_ms  = j.at("latency_p99_ms").get<std::vector<double>>();
    a.cpu             = j.at("cpu").get<std::vector<double>>();
    a.gil_wait        = j.at("gil_wait").get<std::vector<double>>();
    a.in_system       = j.at("in_system").get<std::vector<double>>();
    a.cdf_ms          = j.at("cdf_ms").get<std::vector<double>>();
  } catch (const std::exception& e) {
    fail(std::string("the aggregates are malformed: ") + e.what());
  }
}

void Parser::on_record(const tf::Record& r)
{
  if (!header_ && r.kind() != tf::Kind::blob)
    fail("the first record is not the header");
  switch (r.kind()) {
    case tf::Kind::lane: on_lane(r); break;
    case tf::Kind::counter_def: on_counter_def(r); break;
    case tf::Kind::state: on_state(r); break;
    case tf::Kind::lock: on_lock(r); break;
    case tf::Kind::counter: on_counter(r); break;
    case tf::Kind::request: on_request(r); break;
    case tf::Kind::connection: on_connection(r); break;
    case tf::Kind::worker:
      if (r.sub() > static_cast<uint8_t>(WorkerEvent::monitor_report))
        fail("a worker record has an unknown event " + std::to_string(r.sub()));
      t_.workers.push_back({r.time_s(), lane_index(r.a), static_cast<int>(r.b), static_cast<WorkerEvent>(r.sub())});
      break;
    case tf::Kind::blob: on_blob(r); break;
    case tf::Kind::end:
      if (r.b != count_ - 1)
        fail("the end record counts " + std::to_string(r.b) + " records, the file has " + std::to_string(count_ - 1));
      ended_ = true;
      break;
    default: fail("unknown record kind " + std::to_string(static_cast<int>(r.kind())));
  }
}

int Parser::process_of(int lane) const
{
  while (t_.lanes[static_cast<std::size_t>(lane)].parent >= 0)
    lane = t_.lanes[static_cast<std::size_t>(lane)].parent;
  return lane;
}

/// A request of the window starts with the first interval that carries it
/// (one already under way when the window opened started at an unknown time).
void Parser::find_starts()
{
  for (const auto& l : t_.lanes) {
    const LaneStates& s = t_.states[l.id];
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!s.request[i] || (i > 0 && s.request[i - 1] == s.request[i]) || s.start[i] <= t_.from_s)
        continue;
      auto it = lives_.find(s.request[i] - 1); // lives come from request records (a real trace has none)
      if (it == lives_.end())
        continue;
      RequestLife& q = t_.requests[it->second];
      if (std::isnan(q.started_s)) {
        q.started_s = s.start[i];
        q.unit_lane = static_cast<int>(l.id);
      }
    }
  }
}

void Parser::finish()
{
  find_starts();
  std::sort(conn_worker_.begin(), conn_worker_.end());
  for (auto& q : t_.requests) {
    auto it = std::lower_bound(conn_worker_.begin(), conn_worker_.end(), std::make_pair(q.connection, 0u));
    if (it != conn_worker_.end() && it->first == q.connection)
      q.worker_lane = static_cast<int>(it->second);
    else if (q.unit_lane >= 0) // accepted before the window: the worker of the unit that served it
      q.worker_lane = process_of(q.unit_lane);
  }
  std::sort(t_.requests.begin(), t_.requests.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
}

Trace Parser::run()
{
  if (bytes_.size() < tf::kPreamble || std::memcmp(bytes_.data(), tf::kMagic, sizeof tf::kMagic) != 0)
    throw TraceError(path_ + ": not a gilsim trace file (no GILSIMTR preamble)");
  uint32_t version;
  std::memcpy(&version, bytes_.data() + 8, sizeof version);
  if (version != tf::kVersion)
    throw TraceError(path_ + ": trace format version " + std::to_string(version) + ", this gilsim reads version " +
                     std::to_string(tf::kVersion));
  while (!ended_)
    on_record(next_record());
  if (pos_ != bytes_.size())
    fail("bytes follow the end record");
  if (t_.coarsened_to_s > 0) // the same detail over the whole window
    for (auto& s : t_.states)
      coarsen(s, t_.coarsened_to_s);
  finish();
  return std::move(t_);
}

} // namespace

Trace read(const std::string& path, const ReadOptions& o)
{
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0)
      close(fd);
    throw TraceError(path + ": cannot open the trace file (not a readable regular file)");
  }
  auto size = static_cast<std::size_t>(st.st_size);
  void* map = size ? mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  close(fd);
  if (map == MAP_FAILED)
    throw TraceError(path + ": cannot map the trace file: " + std::strerror(errno));
  struct Unmap {
    void* p;
    std::size_t n;
    ~Unmap()
    {
      if (p)
        munmap(p, n);
    }
  } unmap{map, size};
  return Parser(path, std::string_view(static_cast<const char*>(map), size), o).run();
}

namespace {
/// Appends `p` to `t`, its lanes numbered after t's.
void append(Trace& t, Trace&& p)
{
  auto base = static_cast<uint32_t>(t.lanes.size());
  for (auto& l : p.lanes) {
    l.id += base;
    if (l.parent >= 0)
      l.parent += static_cast<int>(base);
    for (auto& c : l.children)
      c += base;
    t.lanes.push_back(std::move(l));
  }
  for (auto& s : p.states)
    t.states.push_back(std::move(s));
  for (auto& lk : p.locks) {
    lk.process_lane += base;
    for (auto& h : lk.holds)
      h.lane += base;
    for (auto* marks : {&lk.drop_requests, &lk.forced_switches})
      for (auto& m : *marks)
        m.lane += base;
    t.locks.push_back(std::move(lk));
  }
  for (auto& c : p.counters)
    t.counters.push_back(std::move(c));
  for (auto& q : p.requests) {
    q.worker_lane += q.worker_lane >= 0 ? static_cast<int>(base) : 0;
    q.unit_lane += q.unit_lane >= 0 ? static_cast<int>(base) : 0;
    t.requests.push_back(std::move(q));
  }
  for (auto& w : p.workers) {
    w.lane += base;
    t.workers.push_back(w);
  }
  t.json_bytes += p.json_bytes;
}
} // namespace

Trace merge(std::vector<Trace> parts)
{
  if (parts.empty())
    return {};
  Trace t = std::move(parts.front());
  for (std::size_t i = 1; i < parts.size(); ++i) {
    t.from_s  = std::max(t.from_s, parts[i].from_s);
    t.until_s = std::min(t.until_s, parts[i].until_s);
    append(t, std::move(parts[i]));
  }
  std::sort(t.requests.begin(), t.requests.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return t;
}

Trace read_dir(const std::string& dir)
{
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(dir, ec))
    if (f.path().extension() == ".gtrace")
      files.push_back(f.path().string());
  if (files.empty())
    throw TraceError(dir + ": no trace files (*.gtrace) in this folder");
  std::sort(files.begin(), files.end());
  std::vector<Trace> parts;
  for (const auto& f : files)
    parts.push_back(read(f));
  Trace t = merge(std::move(parts));
  t.path  = dir;
  return t;
}

const char* to_string(State s)
{
  static const char* names[] = {"idle", "running", "waiting-gil", "blocked-io", "waiting-loop", "killed"};
  auto i = static_cast<std::size_t>(s);
  return i < 6 ? names[i] : "?";
}

const char* to_string(LaneKind k)
{
  static const char* names[] = {"machine", "arbiter", "process", "thread", "greenlet", "task"};
  auto i = static_cast<std::size_t>(k);
  return i < 6 ? names[i] : "?";
}

const char* to_string(Outcome o)
{
  static const char* names[] = {"ok", "timeout", "killed", "refused", "db", "pool_timeout"};
  auto i = static_cast<std::size_t>(o);
  return i < 6 ? names[i] : "?";
}

const char* to_string(WorkerEvent e)
{
  static const char* names[] = {"born", "killed by the timeout", "recycled at max_requests", "monitor: the hub was blocked"};
  auto i = static_cast<std::size_t>(e);
  return i < std::size(names) ? names[i] : "?";
}

} // namespace trace
} // namespace gilsim
