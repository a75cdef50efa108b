#include "statistics.hpp"
#include <algorithm>

namespace gilsim {

Statistics::Statistics(double warmup_s, double end_s, int cores)
    : warmup_s_(warmup_s), end_s_(end_s), cores_(cores), busy_(warmup_s, end_s), in_system_(warmup_s, end_s)
{
  res_.window_s = end_s - warmup_s;
  res_.cores    = cores;
  res_.batch_completed.assign(10, 0);
}

void Statistics::lane(int id, int parent, LaneKind kind, int process, const std::string& name)
{
  Lane l;
  if (kind == LaneKind::process) {
    l.process = static_cast<int>(processes_.size());
    processes_.push_back({id, process, 0, 1e300, {warmup_s_, end_s_}, {warmup_s_, end_s_}, 0, 0, {warmup_s_, end_s_}});
  } else if (parent >= 0) {
    l.process = lanes_[static_cast<std::size_t>(parent)].process;
  }
  lanes_.resize(static_cast<std::size_t>(id) + 1);
  lanes_[static_cast<std::size_t>(id)] = l;
}

Statistics::Process* Statistics::process_of_lane(int lane)
{
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

void Statistics::counter(CounterKind k, int process, double value, double t)
{
  if (process != 0)
    return;
  switch (k) {
    case CounterKind::runnable_threads: busy_.set(std::min(value, static_cast<double>(cores_)), t); break;
    case CounterKind::in_system: in_system_.set(value, t); break;
    case CounterKind::memory_mb: res_.peak_memory_mb = std::max(res_.peak_memory_mb, value); break;
    case CounterKind::db_connections:
      res_.peak_db_connections = std::max(res_.peak_db_connections, static_cast<int>(value));
      break;
    default: break;
  }
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
      process_of_lane(process_lane)->died_s = t;
      break;
    case WorkerEvent::died_max_requests:
      ++res_.worker_restarts;
      process_of_lane(process_lane)->died_s = t;
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

Results Statistics::results(double end_s)
{
  Results res         = res_;
  res.cpu_busy_core_s = busy_.area(end_s);
  res.mean_in_system  = in_system_.average(end_s);
  res.mean_sojourn_s  = departures_ ? sojourn_sum_ / departures_ : 0;
  res.departure_rate  = res.window_s > 0 ? departures_ / res.window_s : 0;
  lock_figures(res, end_s);
  return res;
}

} // namespace gilsim
