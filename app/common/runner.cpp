#include "runner.hpp"
#include "report.hpp"
#include "../../models/simulate.hpp"
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim {

namespace {
struct Child {
  std::size_t index;
  int fd;        ///< the child's results: an unlinked temporary file, so nothing is left behind
  pid_t pid;
};

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

/// While it lives, SIGINT, SIGTERM and SIGHUP interrupt wait() and are noted instead of killing the process.
class StopSignals {
public:
  StopSignals()
  {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal; // no SA_RESTART: wait() returns EINTR
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
      sigaction(kStopSignals[i], &sa, &old_[i]);
  }
  ~StopSignals()
  {
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
      sigaction(kStopSignals[i], &old_[i], nullptr);
  }
  /// In a child: the default actions again.
  static void reset()
  {
    for (int s : kStopSignals)
      std::signal(s, SIG_DFL);
  }

private:
  struct sigaction old_[std::size(kStopSignals)] {};
};

/// The child's progress reports, on stderr.
std::function<void(double)> reporter(const std::string& tag, double duration_s)
{
  if (tag.empty())
    return {};
  return [tag, duration_s](double sim_s) { std::fprintf(stderr, "progress %s %.3f %.3f\n", tag.c_str(), sim_s, duration_s); };
}

/// In the child: simulate, write the results to `fd`, exit.
[[noreturn]] void simulate_in_child(const RunConfig& cfg, int fd, const std::string& tag, pid_t parent)
{
  StopSignals::reset();
  prctl(PR_SET_PDEATHSIG, SIGKILL); // a parent killed outright takes its children with it
  if (getppid() != parent)
    _exit(3);
  int code = 0;
  try {
    std::string out  = results_to_json(simulate(cfg, reporter(tag, cfg.duration_s))).dump();
    std::size_t done = 0;
    while (done < out.size()) {
      ssize_t n = write(fd, out.data() + done, out.size() - done);
      if (n <= 0)
        break;
      done += static_cast<std::size_t>(n);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gilsim: simulation of %s failed: %s\n", cfg.server.label.c_str(), e.what());
    code = 3;
  }
  _exit(code);
}

Child launch(const RunConfig& cfg, std::size_t index, const std::string& tag)
{
  char path[] = "/tmp/gilsim-run-XXXXXX";
  int fd      = mkstemp(path);
  if (fd < 0)
    throw std::runtime_error("cannot create a temporary file in /tmp");
  unlink(path);
  std::fflush(nullptr);
  pid_t parent = getpid(), pid = fork();
  if (pid < 0) {
    close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0)
    simulate_in_child(cfg, fd, tag, parent);
  return {index, fd, pid};
}

/// What the child wrote to its file.
std::string read_back(int fd)
{
  std::string text;
  char buf[65536];
  for (off_t at = 0;;) {
    ssize_t n = pread(fd, buf, sizeof buf, at);
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  close(fd);
  return text;
}

/// Kills and reaps every child still running.
void stop_all(std::map<pid_t, Child>& active)
{
  for (const auto& [pid, c] : active)
    kill(pid, SIGKILL);
  for (const auto& [pid, c] : active) {
    waitpid(pid, nullptr, 0);
    close(c.fd);
  }
  active.clear();
}
} // namespace

std::vector<Results> run_all(const std::vector<RunConfig>& runs, int jobs, const ProgressTag& progress, const OnDone& on_done)
{
  StopSignals signals;
  std::vector<Results> out(runs.size());
  std::map<pid_t, Child> active;
  std::size_t next = 0;
  std::string failure;
  auto reap = [&] {
    int status = 0;
    pid_t pid  = wait(&status);
    auto it    = active.find(pid);
    if (it == active.end())
      return;
    Child c = it->second;
    active.erase(it);
    std::string text         = read_back(c.fd);
    const std::string& label = runs[c.index].server.label;
    if (WIFSIGNALED(status))
      failure = "the simulation of \"" + label + "\" crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
    else if (WEXITSTATUS(status) != 0 || text.empty())
      failure = "the simulation of \"" + label + "\" failed (exit " + std::to_string(WEXITSTATUS(status)) + ")";
    else
      try {
        out[c.index] = results_from_json(nlohmann::json::parse(text));
        if (on_done)
          on_done(c.index, out[c.index]);
      } catch (const std::exception& e) { // no new runs; those running finish first
        failure = e.what();
      }
  };
  while (next < runs.size() || !active.empty()) {
    while (next < runs.size() && static_cast<int>(active.size()) < std::max(1, jobs) && failure.empty() && !g_stop_signal) {
      Child c = launch(runs[next], next, progress ? progress(next) : std::string());
      active.emplace(c.pid, c);
      ++next;
    }
    if (!active.empty() && !g_stop_signal)
      reap();
    if (g_stop_signal) {
      stop_all(active);
      throw Interrupted(g_stop_signal);
    }
    if (!failure.empty() && active.empty())
      throw std::runtime_error(failure);
  }
  return out;
}

namespace {

/// RSS of one simulated actor (a client, an OS thread, a greenlet): its 64 KiB context
/// stack, measured here (20 000 clients: 1.24 GB).
constexpr double kActorMB = 64.0 / 1024;
/// The simulator itself, before any actor.
constexpr double kBaseMB = 40;
/// Simulated events one core handles per second (GIL drop requests, step starts and ends), measured here.
constexpr double kEventsPerS = 1.5e6;
/// Events a request costs beyond one per step: accept, parse, respond, the client's turn.
constexpr double kEventsPerRequest = 6;

bool is_green(WorkerClass c) { return c != WorkerClass::sync && c != WorkerClass::gthread; }

/// The mean of a request over the endpoints (by weight): its time and the CPU it holds.
struct RequestShape {
  double time_s = 0, cpu_s = 0, steps = 0;
};

RequestShape request_shape(const RunConfig& c)
{
  RequestShape r;
  double total_weight = 0;
  for (const auto& e : c.app.endpoints)
    total_weight += e.weight;
  for (const auto& e : c.app.endpoints) {
    double share = total_weight > 0 ? e.weight / total_weight : 0;
    for (const auto& st : e.steps) {
      double t = st.duration_s.mean() + (st.kind == Step::Kind::db ? c.database.rtt_s : 0);
      r.time_s += share * t;
      r.cpu_s += st.kind == Step::Kind::cpu ? share * t : 0;
      r.steps += share;
    }
  }
  r.time_s += c.server.overhead_s;
  r.cpu_s += c.server.overhead_s;
  return r;
}

/// Requests the server could take at once: its workers, threads or connections.
double server_slots(const ServerConfig& s)
{
  double workers = s.workers;
  if (s.worker_class == WorkerClass::gthread)
    return workers * s.threads;
  return is_green(s.worker_class) ? workers * s.worker_connections : workers;
}

/// Requests per second the server can complete at most: its slots over the request's time, its cores over its CPU.
double capacity_rps(const RunConfig& c, const RequestShape& r)
{
  double cap = r.time_s > 0 ? server_slots(c.server) / r.time_s : 1e300;
  double parallel = c.server.interpreter.gil ? c.server.workers : server_slots(c.server);
  if (r.cpu_s > 0)
    cap = std::min(cap, std::min<double>(c.machine.cores, parallel) / r.cpu_s);
  return cap;
}

/// Clients alive at once: a closed load's connections; an open load's arrivals in flight,
/// growing for the whole run when they outpace the server.
double clients(const RunConfig& c, const RequestShape& r, double capacity)
{
  if (c.load.type == LoadConfig::Type::closed)
    return c.load.connections;
  double rate = c.load.rate_rps;
  if (rate <= capacity)
    return rate * std::max(r.time_s, 1e-3) * 4 + 1;
  double span = c.proxy.enabled ? std::min(c.duration_s, c.proxy.read_timeout_s) : c.duration_s;
  return (rate - capacity) * span + server_slots(c.server);
}

/// Threads and greenlets the server runs for `in_flight` clients.
double server_actors(const ServerConfig& s, double in_flight)
{
  double workers = s.workers;
  if (s.worker_class == WorkerClass::gthread)
    return workers * (s.threads + 1);
  if (is_green(s.worker_class))
    return workers + std::min(in_flight, workers * s.worker_connections);
  return workers;
}

std::string count(double x)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, x < 1e9 ? "%.0f" : "%.2g", x);
  return buf;
}

void estimate_memory(const RunConfig& c, double in_flight, Cost& cost)
{
  const ServerConfig& s = c.server;
  double threads        = server_actors(s, in_flight);
  cost.memory_mb        = kBaseMB + (in_flight + threads) * kActorMB;
  if (in_flight >= threads)
    cost.memory_why = c.load.type == LoadConfig::Type::closed
                          ? "load.connections: " + count(in_flight) + " clients"
                          : "load.rate_rps " + count(c.load.rate_rps) + ": up to " + count(in_flight) + " requests in flight";
  else if (s.worker_class == WorkerClass::gthread)
    cost.memory_why = "workers " + std::to_string(s.workers) + " x threads " + std::to_string(s.threads) + ": " +
                      count(threads) + " threads";
  else
    cost.memory_why = count(threads) + " workers and greenlets";
}

void estimate_time(const RunConfig& c, const RequestShape& r, double capacity, double in_flight, Cost& cost)
{
  const ServerConfig& s = c.server;
  double offered        = c.load.type == LoadConfig::Type::open
                              ? c.load.rate_rps
                              : c.load.connections / std::max(c.load.think_s.mean() + r.time_s, 1e-9);
  double rps            = std::min(offered, capacity);
  double events         = rps * (r.steps + kEventsPerRequest);
  bool contended_lock   = s.interpreter.gil && (s.worker_class == WorkerClass::gthread || s.monitor_thread);
  double drops          = contended_lock ? s.workers / s.interpreter.switch_interval_s : 0;
  double monitor        = s.monitor_thread ? s.workers / s.max_blocking_time_s : 0;
  double retries        = offered > capacity ? std::max(0.0, in_flight - s.backlog) / c.load.retry_s : 0;
  events += drops + monitor + retries;
  cost.cpu_s = events * c.duration_s / kEventsPerS;
  std::string per_s = drops >= std::max({rps, monitor, retries})     ? count(drops) + " lock drop requests (switch_interval_ms)"
                      : monitor >= std::max(rps, retries)            ? count(monitor) + " monitor checks (max_blocking_time_ms)"
                      : retries >= rps                               ? count(retries) + " refused connections retried (retry_s)"
                                                                     : count(rps) + " requests";
  cost.cpu_why = "about " + per_s + " per simulated second for duration_s " + count(c.duration_s);
}

} // namespace

Cost estimate_cost(const RunConfig& c)
{
  Cost cost;
  RequestShape r   = request_shape(c);
  double capacity  = capacity_rps(c, r);
  double in_flight = clients(c, r, capacity);
  estimate_memory(c, in_flight, cost);
  estimate_time(c, r, capacity, in_flight, cost);
  return cost;
}

double default_memory_limit_mb()
{
  double pages = static_cast<double>(sysconf(_SC_PHYS_PAGES)), page = static_cast<double>(sysconf(_SC_PAGE_SIZE));
  return pages > 0 && page > 0 ? pages * page / 2 / (1 << 20) : 4096;
}

} // namespace gilsim
