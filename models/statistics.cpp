#include "statistics.hpp"
#include <algorithm>

namespace gilsim {

Statistics::Statistics(double warmup_s, double end_s, int cores, const std::vector<std::string>& endpoints)
    : warmup_s_(warmup_s), end_s_(end_s), cores_(cores), busy_(warmup_s, end_s), in_system_(warmup_s, end_s)
{
  res_.window_s = end_s - warmup_s;
  res_.cores    = cores;
  res_.batch_completed.assign(10, 0);
  for (const std::string& name : endpoints)
    res_.per_endpoint.push_back({name, {}});
}

void Statistics::lane(int id, int parent, LaneKind kind, int process, const std::string& name)
{
  Lane l;
  if (kind == LaneKind::process) {
    l.process = static_cast<int>(processes_.size());
    processes_.emplace_back(id, process, warmup_s_, end_s_);
  } else if (parent >= 0) {
    l.process = lanes_[static_cast<std::size_t>(parent)].process;
  }
  lanes_.resize(static_cast<std::size_t>(id) + 1);
  lanes_[static_cast<std::size_t>(id)] = l;
}

Statistics::Process* Statistics::process_of_lane(int lane)
{
  if (lane < 0)
    return nullptr;
  int p = lanes_[static_cast<std::size_t>(lane)].process;
  return p >= 0 ? &processes_[static_cast<std::size_t>(p)] : nullptr;
}

// The lock is held from a grant to its release; waited for while any thread
// waits, from its first `wait` to the grant that ends the last wait.
void Statistics::lock(int lane, int process_lane, LockEvent e, double t)
{
  Process& p = *process_of_lane(process_lane);
  Lane& l    = lanes_[static_cast<std::size_t>(lane)];
  switch (e) {
    case LockEvent::wait:
      l.waiting = true;
      if (p.waiters++ == 0)
        p.waited.set(1, t);
      break;
    case LockEvent::grant:
      if (l.waiting) {
        l.waiting = false;
        if (--p.waiters == 0)
          p.waited.set(0, t);
      }
      p.held.set(1, t);
      break;
    case LockEvent::release: p.held.set(0, t); break;
    default: break;
  }
}

void Statistics::advance_share(double t)
{
  double a = std::max(share_t_, warmup_s_), b = std::min(t, end_s_);
  if (b > a)
    share_ += (runnable_ <= cores_ ? 1.0 : static_cast<double>(cores_) / runnable_) * (b - a);
  share_t_ = t;
}

void Statistics::settle_cpu(Process& p)
{
  p.cpu_core_s += p.running * (share_ - p.share_mark);
  p.share_mark = share_;
}

// A process's CPU: each of its running bursts gets min(1, cores / runnable)
// of a core; integrating that share once for all (share_) makes the update
// per process O(1).
void Statistics::cpu(int lane, int delta, double t)
{
  advance_share(t);
  Process* p = process_of_lane(lane);
  if (p && p->died_s >= 1e300) { // a dead process's bursts end as its actors are killed: nothing more
    settle_cpu(*p);
    p->running += delta;
  }
}

void Statistics::counter(CounterKind k, int process, double value, double t)
{
  if (process != 0)
    return;
  switch (k) {
    case CounterKind::runnable_threads:
      advance_share(t);
      runnable_ = static_cast<int>(value);
      busy_.set(std::min(value, static_cast<double>(cores_)), t);
      break;
    case CounterKind::in_system:
      snapshot_in_system(t);
      in_system_.set(value, t);
      break;
    case CounterKind::memory_mb: res_.peak_memory_mb = std::max(res_.peak_memory_mb, value); break;
    case CounterKind::db_connections:
      res_.peak_db_connections = std::max(res_.peak_db_connections, static_cast<int>(value));
      break;
    default: break;
  }
}

void Statistics::snapshot_in_system(double t)
{
  auto& tenths = res_.in_system_tenths;
  while (tenths.size() < 11 && t >= warmup_s_ + res_.window_s * static_cast<double>(tenths.size()) / 10)
    tenths.push_back(in_system_.value());
}

void Statistics::request(RequestEvent e, long request, long a, double t)
{
  if (e == RequestEvent::sent)
    ++res_.simulated_requests;
}

void Statistics::finished(const Finished& f)
{
  if (!in_window(f.t))
    return;
  sojourn_sum_ += f.t - f.sent_s;
  ++departures_;
  using O = trace_format::Outcome;
  switch (f.outcome) {
    case O::ok: completed(f); break;
    case O::timeout: ++res_.errors.timeout; break;
    case O::killed: ++res_.errors.killed; break;
    case O::refused: ++res_.errors.refused; break;
    case O::db: ++res_.errors.db; break;
    case O::pool_timeout: ++res_.errors.pool_timeout; break;
  }
}

void Statistics::completed(const Finished& f)
{
  ++res_.completed;
  if (f.time.queue_s > 1e-9)
    ++res_.waited;
  res_.latency.add(f.t - f.sent_s);
  res_.breakdown.add(f.time);
  auto b = static_cast<std::size_t>((f.t - warmup_s_) / res_.window_s * 10);
  ++res_.batch_completed[std::min<std::size_t>(b, 9)];
  if (f.process_lane >= 0)
    ++process_of_lane(f.process_lane)->served;
  if (static_cast<std::size_t>(f.endpoint) < res_.per_endpoint.size())
    res_.per_endpoint[static_cast<std::size_t>(f.endpoint)].latency.add(f.t - f.sent_s);
}

void Statistics::connection(long connection, int process_lane, bool open, double t)
{
  Process& p = *process_of_lane(process_lane);
  p.open += open ? 1 : -1;
  p.peak_open = std::max(p.peak_open, p.open);
  p.connections.set(p.open, t);
}

void Statistics::worker(int process_lane, WorkerEvent e, int number, double t)
{
  switch (e) {
    case WorkerEvent::born: process_of_lane(process_lane)->born_s = t; break;
    case WorkerEvent::died_timeout:
      if (in_window(t))
        ++res_.worker_kills;
      died(*process_of_lane(process_lane), e, t);
      break;
    case WorkerEvent::died_max_requests:
      ++res_.worker_restarts;
      died(*process_of_lane(process_lane), e, t);
      break;
    case WorkerEvent::monitor_report:
      if (in_window(t))
        ++res_.monitor_reports;
      break;
  }
}

// The lock's figures over the time each worker process lived in the window
// (max_requests and the timeout replace processes); the list per process
// names those alive at the end.
void Statistics::lock_figures(Results& res, double end_s)
{
  double held_s = 0, wait_s = 0, lived_s = 0;
  for (Process& p : processes_) {
    double end   = std::min(end_s, p.died_s);
    double lived = end - std::max(warmup_s_, p.born_s);
    if (lived <= 0)
      continue;
    double h = p.held.area(end), wt = p.waited.area(end);
    held_s += h;
    wait_s += wt;
    lived_s += lived;
    if (p.died_s >= 1e300)
      res.gil_per_process.push_back({p.number, h / lived, wt / lived});
  }
  if (lived_s > 0) {
    res.gil_held_fraction = held_s / lived_s;
    res.gil_wait_fraction = wait_s / lived_s;
  }
}

void Statistics::died(Process& p, WorkerEvent why, double t)
{
  advance_share(t);
  settle_cpu(p);
  p.running = 0; // its bursts end with it
  p.died_s  = t;
  p.died_of = why;
}

void Statistics::worker_figures(Results& res, double end_s)
{
  advance_share(end_s);
  for (Process& p : processes_) {
    double end   = std::min(end_s, p.died_s);
    double lived = end - std::max(warmup_s_, p.born_s);
    if (lived <= 0)
      continue;
    settle_cpu(p);
    WorkerFigures w;
    w.worker            = p.number;
    w.born_s            = p.born_s;
    w.died_s            = p.died_s < 1e300 ? p.died_s : -1;
    w.died_of           = p.died_of == WorkerEvent::died_timeout ? "timeout" : p.died_of == WorkerEvent::died_max_requests ? "max_requests" : "";
    w.lived_s           = lived;
    w.served            = p.served;
    w.connections_peak  = p.peak_open;
    w.connections_mean  = p.connections.area(end) / lived;
    w.cpu_cores         = p.cpu_core_s / lived;
    w.gil_held_fraction = p.held.area(end) / lived;
    w.gil_wait_fraction = p.waited.area(end) / lived;
    res.per_worker.push_back(w);
  }
}

Results Statistics::results(double end_s)
{
  snapshot_in_system(end_s);
  Results res         = res_;
  res.cpu_busy_core_s = busy_.area(end_s);
  res.mean_in_system  = in_system_.average(end_s);
  res.mean_sojourn_s  = departures_ ? sojourn_sum_ / departures_ : 0;
  res.departure_rate  = res.window_s > 0 ? departures_ / res.window_s : 0;
  lock_figures(res, end_s);
  worker_figures(res, end_s);
  return res;
}

} // namespace gilsim
