#include "trace.hpp"
#include "simulation.hpp"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gilsim {

namespace tf = trace_format;

const char* to_string(CounterKind k)
{
  switch (k) {
    case CounterKind::runnable_threads: return "runnable threads";
    case CounterKind::backlog: return "backlog";
    case CounterKind::in_system: return "in system";
    case CounterKind::pool_waiters: return "pool waiters";
    case CounterKind::db_connections: return "db connections";
    case CounterKind::memory_mb: return "memory MB";
  }
  return "?";
}

// ---------------------------------------------------------------- aggregates

Aggregator::Aggregator(double end_s, double warmup_s, int cores, double bucket_s)
    : bucket_s_(bucket_s), warmup_s_(warmup_s), cores_(cores), n_(static_cast<std::size_t>(std::ceil(end_s / bucket_s - 1e-9)))
{
  for (Integral* x : {&busy_, &waiting_, &alive_, &in_system_})
    x->area.assign(n_, 0);
  for (auto* v : {&completed_, &errors_, &mean_ms_, &p50_ms_, &p99_ms_})
    v->assign(n_, 0);
}

std::size_t Aggregator::bucket(double t) const
{
  return std::min(n_ - 1, static_cast<std::size_t>(std::max(0.0, t / bucket_s_)));
}

void Aggregator::advance(Integral& x, double value, double t)
{
  double a = x.since;
  // bucket by bucket; an edge that rounds to before `a` just moves on to the next bucket
  for (std::size_t b = n_ ? bucket(a) : 0; a < t && b < n_; ++b) {
    double edge = b + 1 == n_ ? t : std::min(t, (b + 1) * bucket_s_);
    if (edge > a) {
      x.area[b] += x.value * (edge - a);
      a = edge;
    }
  }
  x.value = value;
  x.since = std::max(x.since, t);
}

void Aggregator::state_changed(int process, bool was_waiting, bool waiting, double t)
{
  if (was_waiting == waiting)
    return;
  if (static_cast<std::size_t>(process) >= waiters_.size())
    waiters_.resize(static_cast<std::size_t>(process) + 1, 0);
  int& n     = waiters_[static_cast<std::size_t>(process)];
  bool had   = n > 0;
  n += waiting ? 1 : -1;
  if (had != (n > 0)) {
    processes_waiting_ += n > 0 ? 1 : -1;
    advance(waiting_, processes_waiting_, t);
  }
}

void Aggregator::process_lives(int process, bool alive, double t)
{
  processes_alive_ += alive ? 1 : -1;
  advance(alive_, processes_alive_, t);
  auto p = static_cast<std::size_t>(process);
  if (!alive && p < waiters_.size() && waiters_[p] > 0) { // its waiting threads die with it
    waiters_[p] = 0;
    advance(waiting_, --processes_waiting_, t);
  }
}

void Aggregator::runnable(double value, double t) { advance(busy_, std::min<double>(value, cores_), t); }
void Aggregator::in_system(double value, double t) { advance(in_system_, value, t); }

void Aggregator::close_latency_bucket(std::size_t upto)
{
  while (latency_bucket_ < upto) {
    std::size_t b = latency_bucket_++;
    if (bucket_latency_.count() == 0)
      continue;
    mean_ms_[b] = bucket_latency_.mean() * 1000;
    p50_ms_[b]  = bucket_latency_.quantile(0.5) * 1000;
    p99_ms_[b]  = bucket_latency_.quantile(0.99) * 1000;
    bucket_latency_ = Histogram();
  }
}

void Aggregator::finished(tf::Outcome o, double latency_s, double t)
{
  if (!n_)
    return;
  std::size_t b = bucket(t);
  close_latency_bucket(b);
  if (o != tf::Outcome::ok) {
    ++errors_[b];
    return;
  }
  ++completed_[b];
  bucket_latency_.add(latency_s);
  if (t >= warmup_s_)
    window_latency_.add(latency_s);
}

namespace {
/// `x` to 4 significant digits: what a chart shows, in a quarter of the JSON.
double significant(double x)
{
  if (x == 0 || !std::isfinite(x))
    return x;
  double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(x))));
  return std::round(x * scale) / scale;
}
} // namespace

nlohmann::json Aggregator::to_json(double end_s)
{
  for (Integral* x : {&busy_, &waiting_, &alive_, &in_system_})
    advance(*x, x->value, end_s);
  close_latency_bucket(n_);
  std::vector<double> cpu(n_), gil(n_), in_sys(n_);
  for (std::size_t b = 0; b < n_; ++b) {
    double width = std::min(bucket_s_, end_s - b * bucket_s_);
    cpu[b]       = width > 0 ? busy_.area[b] / (width * cores_) : 0;
    gil[b]       = alive_.area[b] > 0 ? waiting_.area[b] / alive_.area[b] : 0;
    in_sys[b]    = width > 0 ? in_system_.area[b] / width : 0;
  }
  std::vector<double> cdf;
  for (int q = 0; q <= 100; ++q)
    cdf.push_back(window_latency_.quantile(q / 100.0) * 1000);
  for (auto* v : {&completed_, &errors_, &mean_ms_, &p50_ms_, &p99_ms_, &cpu, &gil, &in_sys, &cdf})
    for (double& x : *v)
      x = significant(x);
  return {{"bucket_s", bucket_s_},     {"completed", completed_}, {"errors", errors_},  {"latency_mean_ms", mean_ms_},
          {"latency_p50_ms", p50_ms_}, {"latency_p99_ms", p99_ms_}, {"cpu", cpu},       {"gil_wait", gil},
          {"in_system", in_sys},       {"cdf_ms", cdf}};
}

// ---------------------------------------------------------------- the trace file

TraceRecorder::TraceRecorder(const std::string& path, Window w, nlohmann::json header, double end_s, double warmup_s, int cores)
    : out_(path), w_(w), agg_(end_s, warmup_s, cores)
{
  header["window_s"] = {w.from_s, w.until_s};
  out_.blob(0, tf::BlobKind::header, header);
  counter_of(CounterKind::in_system, 0); // defined before any request: it follows their records from its first value
}

bool TraceRecorder::in_window(double t) const { return t >= w_.from_s && t < w_.until_s; }

void TraceRecorder::at(double t)
{
  if (t <= instant_)
    return;
  flush();
  instant_ = t;
  if (!open_ && in_window(t))
    open_window();
  recording_ = open_ && in_window(t);
}

/// The net change of the instant that ends: a lane that went running ->
/// waiting-gil -> running, a counter that went down and up, a lock taken and
/// let go at one instant leave no record.
void TraceRecorder::flush()
{
  if (!recording_)
    return;
  flush_lanes();
  flush_locks();
  flush_counters();
}

void TraceRecorder::flush_lanes()
{
  for (uint32_t id : dirty_lanes_) {
    LaneInfo& l = lanes_[id];
    if (l.state != l.written_state || l.request != l.written_request)
      out_.record(tf::Kind::state, l.state, instant_, id, l.request);
    l.written_state   = l.state;
    l.written_request = l.request;
    l.dirty           = false;
  }
  dirty_lanes_.clear();
}

void TraceRecorder::flush_locks()
{
  for (uint32_t process : dirty_locks_) {
    Lock& lock = lanes_[process].lock;
    if (lock.holder != lock.written) {
      bool grant = lock.holder >= 0;
      out_.record(tf::Kind::lock, static_cast<uint8_t>(grant ? LockEvent::grant : LockEvent::release), instant_,
                  static_cast<uint32_t>(grant ? lock.holder : lock.written), process);
    }
    lock.written = lock.holder;
    lock.dirty   = false;
  }
  dirty_locks_.clear();
}

void TraceRecorder::flush_counters()
{
  for (uint32_t id : dirty_counters_) {
    CounterInfo& c = counters_[id];
    if (c.value != c.written)
      write_counter(instant_, id);
    c.dirty = false;
  }
  dirty_counters_.clear();
}

namespace {
bool whole(CounterKind k) { return k != CounterKind::memory_mb; }
uint32_t flags_of(CounterKind k)
{
  return (whole(k) ? uint32_t{tf::kWholeValues} : 0u) | (k == CounterKind::in_system ? uint32_t{tf::kFollowsRequests} : 0u);
}
} // namespace

void TraceRecorder::write_counter_def(double t, uint32_t id)
{
  const CounterInfo& c = counters_[id];
  out_.counter_def(t, id, c.process, to_string(c.kind), flags_of(c.kind));
}

void TraceRecorder::write_counter(double t, uint32_t id)
{
  CounterInfo& c = counters_[id];
  out_.record(tf::Kind::counter, 0, t, id, tf::counter_units(c.value, whole(c.kind)));
  c.written = c.value;
}

void TraceRecorder::write_lane(double t, uint32_t id)
{
  const LaneInfo& l = lanes_[id];
  out_.lane(t, id, l.parent, l.process, l.kind, l.name);
}

/// Everything defined before the window, and the state of things at its
/// start (the net state of the instant before: flush() has run).
void TraceRecorder::open_window()
{
  open_    = true;
  double t = w_.from_s;
  for (uint32_t id = 0; id < lanes_.size(); ++id)
    write_lane(t, id);
  for (uint32_t id = 0; id < counters_.size(); ++id)
    write_counter_def(t, id);
  for (uint32_t id = 0; id < lanes_.size(); ++id) {
    out_.record(tf::Kind::state, lanes_[id].state, t, id, lanes_[id].request);
    lanes_[id].written_state   = lanes_[id].state;
    lanes_[id].written_request = lanes_[id].request;
  }
  for (uint32_t process = 0; process < lanes_.size(); ++process) {
    Lock& lock = lanes_[process].lock;
    if (lock.holder >= 0)
      out_.record(tf::Kind::lock, static_cast<uint8_t>(LockEvent::grant), t, static_cast<uint32_t>(lock.holder), process);
    lock.written = lock.holder;
  }
  for (uint32_t id = 0; id < counters_.size(); ++id)
    write_counter(t, id);
}

void TraceRecorder::lane(int lane_id, int parent, LaneKind kind, int process, const std::string& name)
{
  at(now());
  auto id = static_cast<uint32_t>(lane_id);
  if (id != lanes_.size())
    throw std::logic_error("trace: lane " + std::to_string(id) + " defined out of order");
  int owner = kind == LaneKind::process || parent < 0 ? lane_id : lanes_[static_cast<std::size_t>(parent)].process_lane;
  auto idle = static_cast<uint8_t>(UnitState::idle);
  lanes_.push_back({parent, process, owner, kind, name, idle, 0, idle, 0, false});
  if (recording_) {
    write_lane(now(), id);
    out_.record(tf::Kind::state, idle, now(), id, 0);
  }
}

void TraceRecorder::state(int lane, UnitState s, long request, double t)
{
  at(t);
  LaneInfo& l  = lanes_[static_cast<std::size_t>(lane)];
  bool waiting = s == UnitState::waiting_gil;
  agg_.state_changed(l.process_lane, l.state == static_cast<uint8_t>(UnitState::waiting_gil), waiting, t);
  l.state   = static_cast<uint8_t>(s);
  l.request = static_cast<uint32_t>(request + 1);
  if (recording_ && !l.dirty) {
    l.dirty = true;
    dirty_lanes_.push_back(static_cast<uint32_t>(lane));
  }
}

void TraceRecorder::lock(int lane, int process_lane, LockEvent e, double t)
{
  if (e == LockEvent::wait)
    return; // the thread's state says it
  at(t);
  Lock& l = lanes_[static_cast<std::size_t>(process_lane)].lock;
  if (e == LockEvent::grant || (e == LockEvent::release && l.holder == lane)) {
    l.holder = e == LockEvent::grant ? lane : -1;
    if (recording_ && !l.dirty) {
      l.dirty = true;
      dirty_locks_.push_back(static_cast<uint32_t>(process_lane));
    }
  } else if (recording_ && e != LockEvent::release) // drop requests and forced switches are events of their own
    out_.record(tf::Kind::lock, static_cast<uint8_t>(e), t, static_cast<uint32_t>(lane), static_cast<uint32_t>(process_lane));
}

uint32_t TraceRecorder::counter_of(CounterKind k, int process)
{
  auto& ids = counter_ids_[static_cast<std::size_t>(k)];
  auto p    = static_cast<std::size_t>(process);
  if (p < ids.size() && ids[p] >= 0)
    return static_cast<uint32_t>(ids[p]);
  if (p >= ids.size())
    ids.resize(p + 1, -1);
  auto id = static_cast<uint32_t>(counters_.size());
  ids[p]  = static_cast<int>(id);
  counters_.push_back({k, process, 0, 0, false});
  if (recording_)
    write_counter_def(instant_, id);
  return id;
}

void TraceRecorder::counter(CounterKind k, int process, double value, double t)
{
  at(t);
  if (k == CounterKind::runnable_threads)
    agg_.runnable(value, t);
  else if (k == CounterKind::in_system)
    agg_.in_system(value, t);
  uint32_t id    = counter_of(k, process);
  CounterInfo& c = counters_[id];
  c.value        = value;
  if (k == CounterKind::in_system)
    return; // it follows the request records
  if (recording_ && !c.dirty) {
    c.dirty = true;
    dirty_counters_.push_back(id);
  }
}

void TraceRecorder::request(RequestEvent e, long request, long a, double t)
{
  if (e == RequestEvent::step_cpu)
    return; // CPU steps run as one stretch with the server's own Python: its running intervals
  at(t);
  if (recording_)
    out_.record(tf::Kind::request, static_cast<uint8_t>(e), t, static_cast<uint32_t>(a), static_cast<uint32_t>(request));
}

void TraceRecorder::finished(const Finished& f)
{
  at(f.t);
  agg_.finished(f.outcome, f.t - f.sent_s, f.t);
  if (recording_)
    out_.record(tf::Kind::request, static_cast<uint8_t>(tf::kFinishedBase + static_cast<uint8_t>(f.outcome)), f.t,
                static_cast<uint32_t>(f.endpoint), static_cast<uint32_t>(f.request));
}

void TraceRecorder::connection(long connection, int process_lane, bool open, double t)
{
  if (!open)
    return; // the file says who accepted a connection; closes are for the statistics
  at(t);
  if (recording_)
    out_.record(tf::Kind::connection, 0, t, static_cast<uint32_t>(connection), static_cast<uint32_t>(process_lane));
}

void TraceRecorder::worker(int process_lane, WorkerEvent e, int number, double t)
{
  at(t);
  if (e != WorkerEvent::monitor_report)
    agg_.process_lives(process_lane, e == WorkerEvent::born, t);
  if (recording_)
    out_.record(tf::Kind::worker, static_cast<uint8_t>(e), t, static_cast<uint32_t>(process_lane), static_cast<uint32_t>(number));
}

void TraceRecorder::finish(double end_s)
{
  at(std::min(w_.until_s, end_s)); // flushes the last instant; opens a window nothing happened in
  flush();
  double until = std::min(w_.until_s, end_s);
  out_.blob(until, tf::BlobKind::aggregates, agg_.to_json(end_s));
  out_.finish(until);
}

} // namespace gilsim
