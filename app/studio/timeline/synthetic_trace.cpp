// The synthetic trace: a small discrete-event simulation per process of
// threads alternating CPU and I/O under one lock, as CPython 3's GIL does
// (ceval_gil.c: a waiter asks the holder to drop after a switch interval).
#include "timeline/synthetic_trace.hpp"
#include <algorithm>
#include <cmath>
#include <deque>
#include <queue>

using namespace gilsim::trace;

namespace {

class Rng {
public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next()
  {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z          = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z          = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double exponential(double mean) { return -mean * std::log(1 - uniform()); }

private:
  uint64_t s_;
};

int addLane(Trace& t, int parent, int process, LaneKind kind, std::string name)
{
  int id = static_cast<int>(t.lanes.size());
  t.lanes.push_back({static_cast<uint32_t>(id), parent, process, kind, std::move(name), {}});
  if (parent >= 0)
    t.lanes[static_cast<std::size_t>(parent)].children.push_back(static_cast<uint32_t>(id));
  t.states.emplace_back();
  return id;
}

void setState(Trace& t, int lane, State s, uint32_t request_tag, double at_s)
{
  LaneStates& ls = t.states[static_cast<std::size_t>(lane)];
  if (ls.size() > 0 && ls.state.back() == s && ls.request.back() == request_tag)
    return;
  if (ls.size() > 0 && ls.start.back() == at_s) {
    ls.state.back()   = s;
    ls.request.back() = request_tag;
    return;
  }
  ls.start.push_back(at_s);
  ls.state.push_back(s);
  ls.request.push_back(request_tag);
}

struct Thread {
  int lane;
  bool main_loop;
  int greenlet_base, greenlets;
  int step         = 0;     ///< 0: before the first CPU burst, 1: in I/O, 2: the last burst
  double cpu_left_s = 0;
  double running_since_s = 0;
  uint32_t request = 0;     ///< the request's id + 1, 0 when idle
  uint32_t version = 0;     ///< invalidates events scheduled before a change
};

/// One worker process (request ids count from 0 in the order they start: requests[id] is request id): its threads and its lock, simulated over the window.
class ProcessSim {
public:
  ProcessSim(Trace& trace, int process_lane, const SyntheticTraceOptions& o, Rng& rng, uint32_t& next_request,
             double kill_at_s)
      : t_(trace), o_(o), rng_(rng), next_request_(next_request), process_lane_(process_lane), kill_at_s_(kill_at_s)
  {
    lock_.process_lane = static_cast<uint32_t>(process_lane);
  }
  void addThread(int lane, bool main_loop, int greenlet_base, int greenlets)
  {
    threads_.push_back({lane, main_loop, greenlet_base, greenlets});
  }
  void run(double until_s);

private:
  enum class Kind { wake, cpu_done, timeout };
  struct Event {
    double t_s;
    std::size_t thread;
    Kind kind;
    uint32_t version;
    bool operator>(const Event& e) const { return t_s > e.t_s; }
  };
  void schedule(double t_s, std::size_t th, Kind k) { events_.push({t_s, th, k, threads_[th].version}); }
  void show(std::size_t th, State s, double t_s);
  void wake(std::size_t th, double t_s);
  void wantCpu(std::size_t th, double t_s);
  void acquire(std::size_t th, double t_s);
  void release(double t_s);
  void cpuDone(std::size_t th, double t_s);
  void timeout(std::size_t th, double t_s);
  void startRequest(std::size_t th, double t_s);
  void finishRequest(std::size_t th, double t_s);
  void kill(double t_s);
  State restState(const Thread& th) const { return th.main_loop ? State::waiting_loop : State::idle; }

  Trace& t_;
  const SyntheticTraceOptions& o_;
  Rng& rng_;
  uint32_t& next_request_;
  int process_lane_;
  double kill_at_s_;
  std::vector<Thread> threads_;
  ProcessLock lock_;
  int holder_ = -1;
  double hold_start_s_ = 0;
  std::deque<std::size_t> waiting_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
};

void ProcessSim::show(std::size_t th, State s, double t_s)
{
  Thread& x = threads_[th];
  setState(t_, x.lane, s, x.request, t_s);
  if (x.greenlets > 0 && x.request > 0)
    setState(t_, x.greenlet_base + static_cast<int>(x.request % static_cast<uint32_t>(x.greenlets)), s, x.request, t_s);
}

void ProcessSim::run(double until_s)
{
  for (std::size_t th = 0; th < threads_.size(); ++th) {
    show(th, restState(threads_[th]), o_.from_s);
    schedule(o_.from_s + rng_.exponential(o_.think_ms * 1e-3), th, Kind::wake);
  }
  double end_s = std::isfinite(kill_at_s_) ? std::min(kill_at_s_, until_s) : until_s;
  while (!events_.empty() && events_.top().t_s < end_s) {
    Event e = events_.top();
    events_.pop();
    if (e.version != threads_[e.thread].version)
      continue;
    if (e.kind == Kind::wake)
      wake(e.thread, e.t_s);
    else if (e.kind == Kind::cpu_done)
      cpuDone(e.thread, e.t_s);
    else
      timeout(e.thread, e.t_s);
  }
  if (end_s < until_s)
    kill(end_s);
  else if (holder_ >= 0)
    lock_.holds.push_back({hold_start_s_, until_s, static_cast<uint32_t>(threads_[static_cast<std::size_t>(holder_)].lane)});
  t_.locks.push_back(std::move(lock_));
}

void ProcessSim::wake(std::size_t th, double t_s)
{
  Thread& x = threads_[th];
  if (x.request == 0 && !x.main_loop)
    startRequest(th, t_s);
  x.step       = x.step == 1 ? 2 : 0;
  x.cpu_left_s = rng_.exponential(o_.cpu_ms * (x.main_loop ? 0.05e-3 : 0.5e-3));
  wantCpu(th, t_s);
}

void ProcessSim::startRequest(std::size_t th, double t_s)
{
  Thread& x = threads_[th];
  uint32_t id = next_request_++;
  x.request   = id + 1;
  RequestLife life;
  life.id          = id;
  life.connection  = id % 97 + 1;
  life.worker_lane = process_lane_;
  life.unit_lane   = x.greenlets > 0 ? x.greenlet_base + static_cast<int>(x.request % static_cast<uint32_t>(x.greenlets)) : x.lane;
  life.endpoint    = 0;
  life.sent_s      = t_s - rng_.exponential(0.5e-3);
  life.started_s   = t_s;
  t_.requests.push_back(life);
}

void ProcessSim::wantCpu(std::size_t th, double t_s)
{
  if (holder_ < 0)
    return acquire(th, t_s);
  show(th, State::waiting_gil, t_s);
  waiting_.push_back(th);
  schedule(t_s + o_.switch_interval_ms * 1e-3, th, Kind::timeout);
}

void ProcessSim::acquire(std::size_t th, double t_s)
{
  Thread& x         = threads_[th];
  holder_           = static_cast<int>(th);
  hold_start_s_     = t_s;
  x.running_since_s = t_s;
  ++x.version;
  show(th, State::running, t_s);
  schedule(t_s + x.cpu_left_s, th, Kind::cpu_done);
}

void ProcessSim::release(double t_s)
{
  lock_.holds.push_back({hold_start_s_, t_s, static_cast<uint32_t>(threads_[static_cast<std::size_t>(holder_)].lane)});
  holder_ = -1;
  if (waiting_.empty())
    return;
  std::size_t next = waiting_.front();
  waiting_.pop_front();
  acquire(next, t_s);
}

void ProcessSim::cpuDone(std::size_t th, double t_s)
{
  Thread& x = threads_[th];
  release(t_s);
  if (x.step == 0 && !x.main_loop) {
    x.step = 1;
    show(th, State::blocked_io, t_s);
    schedule(t_s + rng_.exponential(o_.io_ms * 1e-3), th, Kind::wake);
    return;
  }
  finishRequest(th, t_s);
}

void ProcessSim::finishRequest(std::size_t th, double t_s)
{
  Thread& x = threads_[th];
  if (x.request > 0) {
    RequestLife& life = t_.requests[x.request - 1];
    life.finished     = true;
    life.finished_s   = t_s;
    if (x.greenlets > 0)
      setState(t_, life.unit_lane, State::idle, 0, t_s);
  }
  x.request = 0;
  x.step    = 0;
  show(th, restState(x), t_s);
  schedule(t_s + rng_.exponential(o_.think_ms * 1e-3), th, Kind::wake);
}

void ProcessSim::timeout(std::size_t th, double t_s)
{
  if (holder_ < 0 || std::find(waiting_.begin(), waiting_.end(), th) == waiting_.end())
    return;
  auto holder = static_cast<std::size_t>(holder_);
  Thread& h   = threads_[holder];
  lock_.drop_requests.push_back({t_s, static_cast<uint32_t>(threads_[th].lane)});
  lock_.forced_switches.push_back({t_s, static_cast<uint32_t>(h.lane)});
  h.cpu_left_s -= t_s - h.running_since_s;
  ++h.version;
  show(holder, State::waiting_gil, t_s);
  release(t_s);
  waiting_.push_back(holder);
  schedule(t_s + o_.switch_interval_ms * 1e-3, holder, Kind::timeout);
}

void ProcessSim::kill(double t_s)
{
  if (holder_ >= 0)
    lock_.holds.push_back({hold_start_s_, t_s, static_cast<uint32_t>(threads_[static_cast<std::size_t>(holder_)].lane)});
  setState(t_, process_lane_, State::killed, 0, t_s);
  for (auto& x : threads_) {
    setState(t_, x.lane, State::killed, 0, t_s);
    for (int g = 0; g < x.greenlets; ++g)
      setState(t_, x.greenlet_base + g, State::killed, 0, t_s);
  }
  t_.workers.push_back({t_s, static_cast<uint32_t>(process_lane_), 1, WorkerEvent::died_timeout});
}

/// The machine's runnable threads: every lock holder runs on a core.
void addRunnableCounter(Trace& t)
{
  std::vector<std::pair<double, int>> changes;
  for (const auto& lock : t.locks)
    for (const auto& h : lock.holds)
      changes.push_back({h.start_s, +1}), changes.push_back({h.end_s, -1});
  std::sort(changes.begin(), changes.end());
  CounterSeries c{"runnable threads", 0, {}, {}};
  double value = 0;
  for (const auto& [at_s, delta] : changes) {
    value += delta;
    if (!c.t_s.empty() && c.t_s.back() == at_s)
      c.value.back() = value;
    else
      c.t_s.push_back(at_s), c.value.push_back(value);
  }
  t.counters.push_back(std::move(c));
}

void shrink(Trace& t)
{
  for (auto& s : t.states)
    s.start.shrink_to_fit(), s.state.shrink_to_fit(), s.request.shrink_to_fit();
  for (auto& l : t.locks)
    l.holds.shrink_to_fit(), l.drop_requests.shrink_to_fit(), l.forced_switches.shrink_to_fit();
  for (auto& c : t.counters)
    c.t_s.shrink_to_fit(), c.value.shrink_to_fit();
}

void simulateProcess(Trace& t, int number, const SyntheticTraceOptions& o, Rng& rng, uint32_t& next_request)
{
  int process = addLane(t, -1, number, LaneKind::process, "worker " + std::to_string(number));
  ProcessSim sim(t, process, o, rng, next_request, number == 1 ? o.kill_at_s : std::nan(""));
  t.workers.push_back({o.from_s, static_cast<uint32_t>(process), number, WorkerEvent::born});
  sim.addThread(addLane(t, process, number, LaneKind::thread, "main loop"), true, 0, 0);
  for (int k = 1; k <= o.threads; ++k) {
    int lane = addLane(t, process, number, LaneKind::thread, "thread " + std::to_string(k));
    int base = static_cast<int>(t.lanes.size());
    for (int g = 0; g < o.greenlets; ++g)
      addLane(t, lane, number, LaneKind::greenlet, "greenlet " + std::to_string(g + 1));
    sim.addThread(lane, false, base, o.greenlets);
  }
  sim.run(t.until_s);
}

} // namespace

std::shared_ptr<Trace> makeSyntheticTrace(const SyntheticTraceOptions& o)
{
  auto t     = std::make_shared<Trace>();
  t->path    = "synthetic";
  t->from_s  = o.from_s;
  t->until_s = o.from_s + o.duration_s;
  t->header  = {{"label", "synthetic gthread"}, {"cores", o.cores}, {"window_s", {t->from_s, t->until_s}},
                {"config", {{"app", {{"endpoints", {{{"name", "compute"}}}}}}}}};
  addLane(*t, -1, 0, LaneKind::machine, "machine");
  Rng rng(o.seed);
  uint32_t next_request = 0;
  for (int p = 1; p <= o.processes; ++p)
    simulateProcess(*t, p, o, rng, next_request);
  std::sort(t->requests.begin(), t->requests.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(t->workers.begin(), t->workers.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  addRunnableCounter(*t);
  shrink(*t);
  return t;
}
