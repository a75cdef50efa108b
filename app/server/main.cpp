// gilsim-server: a real pre-forking HTTP server that executes a scenario's
// application, to measure what gilsim simulates. An arbiter forks `workers`
// processes sharing one listen socket, kills a worker whose heartbeat is older
// than `timeout` and replaces any worker that dies (SIGKILL included) or
// reaches max_requests; SIGTERM/SIGINT stop it gracefully.
//   sync     one request at a time per process, connection closed after it
//   gthread  a main thread polling the listener and kept-alive connections,
//            and a pool of `threads` OS threads, one request at a time per
//            connection, under an emulated CPython lock (switch interval, drop
//            request checked by the CPU loop, forced switching, released around I/O)
//   gevent, eventlet, uvicorn, tornado
//            green threads: a hub (libev loop) and a greenlet (fiber) per
//            connection, switching at socket waits and at `io` steps (tornado's
//            WSGI container: `io` steps block the loop too); worker_connections
//            caps gevent's and eventlet's connections; the heartbeat is a timer
//            on the hub, so a blocked hub gets the worker killed
// `cpu` steps burn thread CPU time; `io` steps sleep (cooperatively in green
// mode); `blocking_io` steps sleep the OS thread.
//   gilsim-server SCENARIO [--server N] [--port P] [--set PATH=VALUE]...
#include "green.hpp"
#include "http.hpp"
#include "real_trace.hpp"
#include "scenario.hpp"
#include "../../models/load.hpp"
#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <atomic>
#include <climits>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <ev.h>
#include <fcntl.h>
#include <iostream>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace gilsim;
using namespace gilsim::server;

namespace {

volatile sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

double mono_s()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double thread_cpu_s()
{
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/// Request ids in a worker's real trace start at (worker number) × this.
constexpr long kRequestsPerWorker = 10'000'000;

/// The lane and request of the calling thread in a real trace.
thread_local int t_lane     = -1;
thread_local long t_request = -1;

/// CPython's interpreter lock, emulated (Python/ceval_gil.c). With a trace,
/// it records its grants, releases, drop requests and forced switches, and the
/// calling thread's waits for it.
class Gil {
public:
  Gil(double interval_s, RealTrace* trace) : interval_(std::chrono::duration<double>(interval_s)), trace_(trace) {}
  void take()
  {
    std::unique_lock<std::mutex> l(m_);
    if (locked_)
      note(State::waiting_gil);
    while (locked_) {
      uint64_t saved = switches_;
      if (cv_.wait_for(l, interval_) == std::cv_status::timeout && locked_ && switches_ == saved && !drop_request_) {
        drop_request_ = true;
        note(LockEvent::drop_request);
      }
    }
    locked_       = true;
    drop_request_ = false;
    ++switches_;
    note(LockEvent::grant);
    note(State::running);
    switched_.notify_all();
  }
  /// The caller lets the lock go to do `next` (recorded at the very moment it does).
  void release(State next = State::idle)
  {
    {
      std::lock_guard<std::mutex> l(m_);
      locked_ = false;
      note(LockEvent::release);
      note(next);
    }
    cv_.notify_one();
  }
  bool drop_requested() const { return drop_request_; }
  /// Honour a drop request: release, wait until another thread took the lock, take it again.
  void yield()
  {
    uint64_t before;
    {
      std::unique_lock<std::mutex> l(m_);
      before  = switches_;
      locked_ = false;
      note(LockEvent::forced_switch);
      note(LockEvent::release);
      note(State::waiting_gil); // until another thread has taken it, then for it back
    }
    cv_.notify_one();
    {
      std::unique_lock<std::mutex> l(m_);
      switched_.wait_for(l, interval_, [&] { return switches_ != before; });
    }
    take();
  }

private:
  void note(LockEvent e)
  {
    if (trace_)
      trace_->lock(t_lane, e);
  }
  void note(State s)
  {
    if (trace_)
      trace_->state(t_lane, s, t_request);
  }
  std::chrono::duration<double> interval_;
  RealTrace* trace_;
  std::mutex m_;
  std::condition_variable cv_, switched_;
  bool locked_ = false;
  uint64_t switches_ = 0;
  std::atomic<bool> drop_request_{false};
};

/// How a request's waits are made: blocking calls on an OS thread, or
/// switches to the hub in a greenlet.
struct Io {
  virtual ~Io() = default;
  /// Receives; <= 0 when the peer closed, on an error, or after `timeout_s`
  /// without data. `between_requests`: no request has started yet.
  virtual ssize_t recv(int fd, char* buf, std::size_t n, double timeout_s, bool between_requests) = 0;
  /// An `io` step (a sleep that gevent and eventlet patch).
  virtual void io_step(double s) = 0;
  /// Waits until `fd` takes more output; false after 10 s.
  virtual bool wait_writable(int fd) = 0;
  /// Sends all of `s` (a response); gives up when the peer goes away or stalls.
  void send_all(int fd, const std::string& s)
  {
    std::size_t done = 0;
    while (done < s.size()) {
      ssize_t n = send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0)
        done += static_cast<std::size_t>(n);
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait_writable(fd))
          return;
      } else if (!(n < 0 && errno == EINTR))
        return;
    }
  }
};

/// OS threads: blocking calls (the receive timeout is set on the socket).
struct ThreadIo final : Io {
  ssize_t recv(int fd, char* buf, std::size_t n, double, bool) override { return ::recv(fd, buf, n, 0); }
  bool wait_writable(int fd) override
  {
    pollfd p{fd, POLLOUT, 0};
    return poll(&p, 1, 10000) > 0;
  }
  void io_step(double s) override { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }
};

/// A greenlet: non-blocking calls, waiting on the hub.
struct GreenIo final : Io {
  GreenHub& hub;
  bool cooperative; ///< `io` steps switch to the hub (false: Tornado's WSGI container blocks in them)
  GreenIo(GreenHub& h, bool coop) : hub(h), cooperative(coop) {}
  ssize_t recv(int fd, char* buf, std::size_t n, double timeout_s, bool between_requests) override
  {
    for (;;) {
      ssize_t got = ::recv(fd, buf, n, MSG_DONTWAIT);
      if (got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        return got;
      if (errno == EINTR)
        continue;
      hub.set_idle(between_requests); // a graceful stop closes connections idle between requests
      bool ready = hub.wait_fd(fd, EV_READ, timeout_s);
      hub.set_idle(false);
      if (!ready)
        return -1;
    }
  }
  bool wait_writable(int fd) override { return hub.wait_fd(fd, EV_WRITE, 10); }
  void io_step(double s) override
  {
    if (cooperative)
      hub.sleep(s);
    else
      std::this_thread::sleep_for(std::chrono::duration<double>(s));
  }
};

struct Shared {              ///< arbiter <-> workers, in shared memory
  std::atomic<double> heartbeat[4096];
};

struct Worker {
  const Scenario& sc;
  const ServerConfig& cfg;
  int listen_fd;
  int slot;
  Shared* shared;
  Rng rng;
  pid_t parent;
  std::mutex rng_m;
  std::atomic<long> served{0};
  std::unique_ptr<RealTrace> trace; ///< gthread, when gilsim validate asks for a real timeline
  std::atomic<long> next_request{0};

  void notify() { shared->heartbeat[slot].store(mono_s()); }
  /// The calling thread's state, in the real trace.
  void note(State s)
  {
    if (trace)
      trace->state(t_lane, s, t_request);
  }

  /// Burns `s` seconds of this thread's CPU; with a lock, checks for a drop request every 50 us.
  void cpu(double s, Gil* gil)
  {
    double end = thread_cpu_s() + s;
    while (thread_cpu_s() < end) {
      if (gil && gil->drop_requested())
        gil->yield();
      double chunk_end = std::min(end, thread_cpu_s() + 50e-6);
      while (thread_cpu_s() < chunk_end) {
      }
    }
  }

  /// Runs the steps of one request.
  void execute(Gil* gil, Io& io)
  {
    std::vector<std::pair<Step::Kind, double>> steps;
    {
      std::lock_guard<std::mutex> l(rng_m);
      const auto& eps = sc.base.app.endpoints;
      std::size_t i   = pick_endpoint(sc.base.app, rng);
      for (const auto& st : eps[i].steps)
        steps.emplace_back(st.kind, st.duration_s.sample(rng));
    }
    t_request = (slot + 1) * kRequestsPerWorker + next_request++; // unique across the workers' traces
    if (gil)
      gil->take();
    cpu(cfg.overhead_s, gil);
    for (auto [kind, d] : steps) {
      if (kind == Step::Kind::cpu) {
        cpu(d, gil);
      } else {
        if (gil)
          gil->release(State::blocked_io);
        if (kind == Step::Kind::io)
          io.io_step(d);
        else
          std::this_thread::sleep_for(std::chrono::duration<double>(d)); // unpatched: blocks the OS thread
        if (gil)
          gil->take();
      }
    }
    if (gil)
      gil->release(State::blocked_io); // writing the response
  }

  /// Reads one request head and answers it. Returns false when the
  /// connection is done. `idle_s`: how long a kept-alive connection may wait
  /// for its next request (a started head gets 10 s, as the sockets' timeout).
  bool serve_one(int fd, Gil* gil, Io& io, bool allow_keepalive, double idle_s = 10)
  {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (head.size() > kMaxHead) {
        io.send_all(fd, response(431, "Request Header Fields Too Large", "request header fields too large\n", false));
        return false;
      }
      ssize_t n = io.recv(fd, buf, sizeof buf, head.empty() ? idle_s : 10, head.empty());
      if (n <= 0)
        return false; // closed, or stalled past the receive timeout
      head.append(buf, static_cast<std::size_t>(n));
    }
    head.resize(head.find("\r\n\r\n") + 4);
    Parsed p = parse_head(head);
    if (p.status) {
      std::string extra = p.status == 405 ? "Allow: GET, HEAD\r\n" : "";
      io.send_all(fd, response(p.status, p.reason, p.reason + "\n", false, extra));
      return false;
    }
    execute(gil, io);
    bool keep = allow_keepalive && p.request.keep_alive && !g_stop;
    io.send_all(fd, response(200, "OK", p.request.method == "HEAD" ? "" : "ok\n", keep));
    ++served;
    return keep;
  }

  static void set_timeout(int fd, double s)
  {
    timeval tv{static_cast<time_t>(s), static_cast<suseconds_t>((s - static_cast<long>(s)) * 1e6)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  bool recycled() const { return cfg.max_requests > 0 && served >= cfg.max_requests; }

  /// The arbiter died (even by SIGKILL): the worker leaves too, as Gunicorn's do.
  bool orphaned() const { return getppid() != parent; }

  /// Waits for a connection, notifying the arbiter every timeout/2 meanwhile.
  int accept_one(Gil* gil)
  {
    while (!g_stop && !recycled() && !orphaned()) {
      if (gil)
        gil->take();
      notify();
      if (gil)
        gil->release();
      pollfd p{listen_fd, POLLIN, 0};
      int r = poll(&p, 1, static_cast<int>(std::min(1000.0, cfg.timeout_s * 500)));
      if (r > 0) {
        int fd = accept(listen_fd, nullptr, nullptr);
        if (fd >= 0) {
          fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
          return fd;
        }
      }
    }
    return -1;
  }

  void run_sync()
  {
    for (;;) {
      int fd = accept_one(nullptr);
      if (fd < 0)
        return;
      notify(); // the request starts: from now on the heartbeat ages
      set_timeout(fd, 10);
      ThreadIo io;
      serve_one(fd, nullptr, io, false);
      close(fd);
    }
  }

  // gthread.py: the main thread polls the listener and the kept-alive
  // connections (1 s timeout) and, with the GIL, notifies the arbiter, accepts,
  // and hands each readable connection to the pool for one request; a kept-
  // alive connection goes back to the poller after its response.
  void run_gthread()
  {
    trace = real_trace();
    Gil gil(cfg.interpreter.switch_interval_s, trace.get());
    int process_lane = trace ? trace->lane(-1, LaneKind::process, "worker " + std::to_string(slot + 1)) : -1;
    int main_lane    = trace ? trace->lane(process_lane, LaneKind::thread, "main loop") : -1;
    t_lane           = main_lane;
    int ep = epoll_create1(0);
    epoll_event lev{};
    lev.events  = EPOLLIN;
    lev.data.fd = listen_fd;
    epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &lev);
    std::mutex qm;
    std::condition_variable qcv;
    std::deque<int> queue;
    bool done = false;
    auto watch = [ep](int fd) {
      epoll_event ev{};
      ev.events  = EPOLLIN | EPOLLONESHOT;
      ev.data.fd = fd;
      if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) != 0)
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    };
    std::vector<std::thread> pool;
    for (int i = 0; i < cfg.threads; ++i) {
      int lane = trace ? trace->lane(process_lane, LaneKind::thread, "thread " + std::to_string(i + 1)) : -1;
      pool.emplace_back([&, lane] {
        t_lane = lane;
        for (;;) {
          int fd;
          t_request = -1;
          note(State::idle);
          {
            std::unique_lock<std::mutex> l(qm);
            qcv.wait(l, [&] { return done || !queue.empty(); });
            if (queue.empty())
              return;
            fd = queue.front();
            queue.pop_front();
          }
          note(State::blocked_io); // reading the request
          ThreadIo io;
          if (serve_one(fd, &gil, io, cfg.keepalive_s > 0))
            watch(fd);
          else
            close(fd);
        }
      });
    }
    while (!g_stop && !recycled() && !orphaned()) {
      epoll_event events[64];
      note(State::idle);
      int n = epoll_wait(ep, events, 64, 1000);
      gil.take();
      notify();
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == listen_fd) {
          int c = accept(listen_fd, nullptr, nullptr);
          if (c < 0)
            continue;
          fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK);
          set_timeout(c, 10);
          fd = c;
        }
        {
          std::lock_guard<std::mutex> l(qm);
          queue.push_back(fd);
        }
        qcv.notify_one();
      }
      gil.release();
    }
    {
      std::lock_guard<std::mutex> l(qm);
      done = true;
    }
    qcv.notify_all();
    for (auto& t : pool)
      t.join();
    close(ep);
    if (trace)
      trace->finish();
  }

  /// GILSIM_TRACE_DIR set: a real trace of this worker, started by SIGUSR1,
  /// GILSIM_TRACE_SECONDS long, its times shifted by GILSIM_TRACE_OFFSET.
  std::unique_ptr<RealTrace> real_trace() const
  {
    const char* dir = std::getenv("GILSIM_TRACE_DIR");
    if (!dir)
      return nullptr;
    auto env_s = [](const char* name, double def) {
      const char* v = std::getenv(name);
      return v ? std::atof(v) : def;
    };
    nlohmann::json header = {{"label", cfg.label}, {"worker_class", to_string(cfg.worker_class)}, {"worker", slot + 1},
                             {"scenario", sc.name}, {"cores", sc.base.machine.cores}};
    return std::make_unique<RealTrace>(std::string(dir) + "/worker-" + std::to_string(slot + 1) + "-" + std::to_string(getpid()) +
                                           ".gtrace",
                                       env_s("GILSIM_TRACE_SECONDS", 2), env_s("GILSIM_TRACE_OFFSET", 0), header);
  }

  // Green threads (gunicorn/workers/ggevent.py and base_async.py): the hub
  // accepts up to 100 connections per readiness event while fewer than
  // worker_connections are open, and spawns a greenlet per connection that
  // serves its requests while it is kept alive. The heartbeat is a timer on
  // the hub: a greenlet that keeps the hub (CPU, unpatched blocking) stops it.
  void run_green();
};

class GreenServer {
public:
  explicit GreenServer(Worker& w)
      : w_(w)
      , cooperative_(w.cfg.worker_class != WorkerClass::tornado && w.cfg.cooperative_io)
      , cap_(w.cfg.worker_class == WorkerClass::gevent || w.cfg.worker_class == WorkerClass::eventlet
                 ? w.cfg.worker_connections
                 : INT_MAX)
  {
    ev_io_init(&listener_, on_listen, w.listen_fd, EV_READ);
    listener_.data = this;
    ev_io_start(hub_.loop(), &listener_);
    ev_timer_init(&heartbeat_, on_heartbeat, 1.0, 1.0);
    heartbeat_.data = this;
    ev_timer_start(hub_.loop(), &heartbeat_);
    ev_timer_init(&control_, on_control, 0.1, 0.1);
    control_.data = this;
    ev_timer_start(hub_.loop(), &control_);
  }
  void run()
  {
    w_.notify();
    hub_.run();
  }

private:
  static GreenServer& self(void* data) { return *static_cast<GreenServer*>(data); }
  static void on_listen(struct ev_loop*, ev_io* io, int) { self(io->data).accept_batch(); }
  static void on_heartbeat(struct ev_loop*, ev_timer* t, int) { self(t->data).w_.notify(); }
  static void on_control(struct ev_loop*, ev_timer* t, int) { self(t->data).control(); }

  void accept_batch()
  {
    for (int k = 0; k < kAcceptBatch && open_ < cap_ && !stopping_; ++k) {
      int fd = accept4(w_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK);
      if (fd < 0)
        break; // another worker took it, or the backlog is empty
      ++open_;
      hub_.spawn([this, fd] { connection(fd); });
    }
    if (open_ >= cap_)
      ev_io_stop(hub_.loop(), &listener_);
  }

  void connection(int fd)
  {
    GreenIo io(hub_, cooperative_);
    const bool keepalive = w_.cfg.keepalive_s > 0;
    for (bool first = true; w_.serve_one(fd, nullptr, io, keepalive && !stopping_, first ? 10 : w_.cfg.keepalive_s);
         first = false) {
    }
    close(fd);
    --open_;
    if (!stopping_ && open_ < cap_ && !ev_is_active(&listener_))
      ev_io_start(hub_.loop(), &listener_);
  }

  // SIGTERM, max_requests or a dead arbiter: stop accepting, close the
  // connections idle between requests, let the others finish (at most
  // graceful_timeout, 30 s), then leave.
  void control()
  {
    if (!stopping_ && (g_stop || w_.recycled() || w_.orphaned())) {
      stopping_ = true;
      deadline_ = mono_s() + (w_.orphaned() ? 0 : 30);
      ev_io_stop(hub_.loop(), &listener_);
    }
    if (!stopping_)
      return;
    hub_.interrupt_idle();
    if (hub_.alive() == 0 || mono_s() > deadline_)
      hub_.stop();
  }

  static constexpr int kAcceptBatch = 100;
  Worker& w_;
  GreenHub hub_;
  const bool cooperative_;
  const int cap_;
  int open_      = 0;
  bool stopping_ = false;
  double deadline_ = 0;
  ev_io listener_{};
  ev_timer heartbeat_{}, control_{};
};

void Worker::run_green() { GreenServer(*this).run(); }

int listen_on(int port, int backlog)
{
  int fd  = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family      = AF_INET;
  a.sin_port        = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, backlog) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
  // non-blocking: when several workers wake for one connection, the losers' accept() returns at once
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

} // namespace

int main(int argc, char** argv)
{
  CLI::App app{"gilsim-server: a real pre-forking HTTP server running a scenario's application"};
  std::string file;
  int index = 0, port = 8000;
  std::vector<std::string> sets;
  app.add_option("SCENARIO", file, "Scenario file or built-in name")->required();
  app.add_option("--server", index, "Which of the scenario's servers to run (index)")->check(CLI::NonNegativeNumber);
  app.add_option("--port", port, "Port on 127.0.0.1")->check(CLI::Range(1, 65535));
  app.add_option("--set", sets, "Override one scenario value: PATH=VALUE (repeatable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    std::string source;
    auto doc = load_document(file, source);
    for (const auto& s : sets)
      apply_set(doc, s, source);
    Scenario sc = load_scenario(doc, source);
    if (index >= static_cast<int>(sc.servers.size()))
      throw InputError(source + ": servers[" + std::to_string(index) + "]: no such server (the scenario has " +
                       std::to_string(sc.servers.size()) + ")");
    const ServerConfig& cfg = sc.servers[index];
    for (const auto& e : sc.base.app.endpoints)
      for (const auto& st : e.steps)
        if (st.kind == Step::Kind::db)
          throw InputError(source + ": db_ms steps need a database, which gilsim-server does not have");
    if (cfg.workers > 4096)
      throw InputError(source + ": servers[" + std::to_string(index) + "].workers: at most 4096");

    int fd       = listen_on(port, cfg.backlog);
    auto* shared = static_cast<Shared*>(mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    // no SA_RESTART: a signal interrupts poll()/accept()/recv() so the loops see it
    struct sigaction stop_action {};
    stop_action.sa_handler = on_stop;
    sigaction(SIGTERM, &stop_action, nullptr);
    sigaction(SIGINT, &stop_action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    if (std::getenv("GILSIM_TRACE_DIR"))
      arm_trace_signal(); // the arbiter ignores it; its gthread workers start recording
    std::vector<pid_t> pids(cfg.workers, 0);
    long spawned = 0, kills = 0;
    auto spawn = [&](int slot) {
      shared->heartbeat[slot].store(mono_s());
      std::fflush(nullptr);
      pid_t pid = fork();
      if (pid == 0) {
        Worker w{sc, cfg, fd, slot, shared, make_stream(sc.base.seed, 100 + static_cast<uint64_t>(getpid())), getppid(), {}, {}, nullptr, {}};
        if (cfg.worker_class == WorkerClass::sync)
          w.run_sync();
        else if (cfg.worker_class == WorkerClass::gthread)
          w.run_gthread();
        else
          w.run_green();
        _exit(0);
      }
      pids[slot] = pid;
      ++spawned;
    };
    for (int i = 0; i < cfg.workers; ++i)
      spawn(i);
    std::cerr << "gilsim-server: " << cfg.label << " (" << to_string(cfg.worker_class) << ", " << cfg.workers
              << " workers) on 127.0.0.1:" << port << "\n";
    while (!g_stop) {
      // the arbiter's loop: reap and replace, kill workers whose heartbeat is too old
      int status;
      pid_t dead;
      while ((dead = waitpid(-1, &status, WNOHANG)) > 0)
        for (int i = 0; i < cfg.workers; ++i)
          if (pids[i] == dead && !g_stop)
            spawn(i);
      double now = mono_s();
      for (int i = 0; i < cfg.workers; ++i)
        if (now - shared->heartbeat[i].load() > cfg.timeout_s) {
          std::cerr << "gilsim-server: WORKER TIMEOUT (pid:" << pids[i] << ")\n";
          kill(pids[i], SIGKILL);
          shared->heartbeat[i].store(now);
          ++kills;
        }
      usleep(200000);
    }
    for (pid_t p : pids)
      kill(p, SIGTERM);
    double deadline = mono_s() + 30;
    for (;;) {
      bool alive = false;
      for (pid_t& p : pids) {
        if (p > 0 && waitpid(p, nullptr, WNOHANG) == p)
          p = 0;
        alive = alive || p > 0;
      }
      if (!alive)
        break;
      if (mono_s() > deadline) {
        for (pid_t p : pids)
          if (p > 0)
            kill(p, SIGKILL);
        for (pid_t p : pids)
          if (p > 0)
            waitpid(p, nullptr, 0);
        break;
      }
      usleep(50000);
    }
    close(fd);
    std::cerr << "gilsim-server: stopped (" << spawned << " workers started, " << kills << " killed)\n";
    return 0;
  } catch (const InputError& e) {
    std::cerr << "gilsim-server: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gilsim-server: " << e.what() << "\n";
    return 3;
  }
}
