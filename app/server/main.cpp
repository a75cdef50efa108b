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
// One HTTP/1.1 reader for every mode (serve_one; http.hpp), refusing what
// Gunicorn refuses; pipelined requests answered in order; accepting paused
// when out of descriptors (docs/server.md).
//   gilsim-server SCENARIO [--server N] [--port P] [--set PATH=VALUE]...
#include "green.hpp"
#include "http.hpp"
#include "real_trace.hpp"
#include "scenario.hpp"
#include "../../models/load.hpp"
#include <CLI/CLI.hpp>
#include <algorithm>
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
  ssize_t recv(int fd, char* buf, std::size_t n, double timeout_s, bool) override
  {
    pollfd p{fd, POLLIN, 0};
    if (timeout_s > 0 && poll(&p, 1, static_cast<int>(timeout_s * 1000)) <= 0)
      return -1; // stalled, or interrupted by a signal
    return ::recv(fd, buf, n, 0);
  }
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

/// A client connection: its socket, and the bytes received but not used yet
/// (the start of a pipelined next request).
struct Conn {
  int fd;
  std::string in;
  bool linger = false; ///< the server gave its last answer: drain before closing
};

/// Closes a connection. After a last answer it first half-closes and reads
/// what the client still sends (at most 64 kB for 2 s), so unread bytes do not
/// reset the connection before the client has read the answer
/// (gunicorn/util.py's close_graceful).
void close_conn(Conn& c, Io& io)
{
  if (c.linger && shutdown(c.fd, SHUT_WR) == 0) {
    char buf[4096];
    std::size_t drained = 0;
    for (double end = mono_s() + 2; drained < 65536 && mono_s() < end;) {
      ssize_t n = io.recv(c.fd, buf, sizeof buf, end - mono_s(), false);
      if (n <= 0)
        break;
      drained += static_cast<std::size_t>(n);
    }
  }
  close(c.fd);
}

/// accept() failing for want of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM):
/// stop accepting for a delay that doubles from 10 ms to 1 s and is reset by
/// a success, as gevent's BaseServer does (gevent/baseserver.py: min_delay,
/// max_delay, _do_read), logging each failure; the open connections go on.
class AcceptBackoff {
public:
  /// accept()'s errno: true if it only means "nothing to accept now" or "try again at once"
  static bool harmless(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == ECONNABORTED || err == EINTR; }
  /// Logs the failure; returns how long to stop accepting.
  double failed(int err, int slot)
  {
    double d = delay_s_;
    delay_s_ = std::min(kMax_s, delay_s_ * 2);
    std::cerr << "gilsim-server: worker " << slot + 1 << " (pid " << getpid() << "): accept: " << std::strerror(err)
              << "; accepting again in " << d << " s, open connections still served\n";
    return d;
  }
  void succeeded() { delay_s_ = kMin_s; }

private:
  static constexpr double kMin_s = 0.01, kMax_s = 1.0;
  double delay_s_ = kMin_s;
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

  /// Answers an error; the connection is then closed, as Gunicorn's
  /// handle_error closes it. Returns false (the connection is done).
  bool refuse(Conn& c, Io& io, int status, const std::string& reason)
  {
    std::string extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
    io.send_all(c.fd, response(status, reason, reason + "\n", false, extra));
    c.linger = true;
    return false;
  }

  /// Appends what arrives to c.in; false if the peer closed or stalled 10 s.
  static bool receive(Conn& c, Io& io, double timeout_s = 10, bool between_requests = false)
  {
    char buf[4096];
    ssize_t n = io.recv(c.fd, buf, sizeof buf, timeout_s, between_requests);
    if (n > 0)
      c.in.append(buf, static_cast<std::size_t>(n));
    return n > 0;
  }

  /// Takes the next request head out of c.in, receiving until it is complete.
  /// `idle_s`: how long to wait for a request not started yet (a started
  /// head gets 10 s, as the sockets' timeout). False when the connection is done.
  bool read_head(Conn& c, Io& io, double idle_s, std::string& head)
  {
    std::size_t end;
    for (;;) {
      while (c.in.compare(0, 2, "\r\n") == 0)
        c.in.erase(0, 2); // RFC 9112 §2.2: empty lines before a request are ignored
      if ((end = c.in.find("\r\n\r\n")) != std::string::npos)
        break;
      if (c.in.size() > kMaxHead)
        return refuse(c, io, 431, "Request Header Fields Too Large");
      if (!receive(c, io, c.in.empty() ? idle_s : 10, c.in.empty()))
        return false; // closed, or stalled past the receive timeout
    }
    head.assign(c.in, 0, end + 4);
    c.in.erase(0, end + 4);
    return true;
  }

  /// Reads the request's body and discards it (the scenario's app reads none);
  /// false, after answering 400 or 413 when it is malformed or too large, if
  /// the connection is done.
  bool read_body(Conn& c, Io& io, const HttpRequest& r)
  {
    if (r.framing == Framing::none)
      return true;
    if (r.expect_continue)
      io.send_all(c.fd, "HTTP/1.1 100 Continue\r\n\r\n");
    if (r.framing == Framing::length) {
      for (std::uint64_t left = r.content_length;;) {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left, c.in.size()));
        c.in.erase(0, take);
        if ((left -= take) == 0)
          return true;
        if (!receive(c, io))
          return false;
      }
    }
    for (ChunkedBody body;;) {
      auto progress = body.feed(c.in);
      if (progress == ChunkedBody::Progress::done)
        return true;
      if (progress == ChunkedBody::Progress::bad)
        return refuse(c, io, 400, "Bad Request");
      if (progress == ChunkedBody::Progress::too_large)
        return refuse(c, io, 413, "Content Too Large");
      if (!receive(c, io))
        return false;
    }
  }

  /// Reads one request (head and body) from `c` and answers it. Returns false
  /// when the connection is done. Bytes past the request stay in c.in for the next.
  bool serve_one(Conn& c, Gil* gil, Io& io, bool allow_keepalive, double idle_s = 10)
  {
    std::string head;
    if (!read_head(c, io, idle_s, head))
      return false;
    Parsed p = parse_head(head);
    if (p.status)
      return refuse(c, io, p.status, p.reason);
    if (!read_body(c, io, p.request))
      return false;
    execute(gil, io);
    bool keep = allow_keepalive && p.request.keep_alive && !g_stop;
    io.send_all(c.fd, response(200, "OK", p.request.method == "HEAD" ? "" : "ok\n", keep));
    ++served;
    c.linger = !keep;
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
  int accept_one()
  {
    AcceptBackoff backoff;
    while (!g_stop && !recycled() && !orphaned()) {
      notify();
      pollfd p{listen_fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::min(1000.0, cfg.timeout_s * 500))) <= 0)
        continue;
      int fd = accept(listen_fd, nullptr, nullptr);
      if (fd >= 0) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        return fd;
      }
      if (!AcceptBackoff::harmless(errno))
        std::this_thread::sleep_for(std::chrono::duration<double>(backoff.failed(errno, slot)));
    }
    return -1;
  }

  void run_sync()
  {
    for (;;) {
      int fd = accept_one();
      if (fd < 0)
        return;
      notify(); // the request starts: from now on the heartbeat ages
      set_timeout(fd, 10);
      ThreadIo io;
      Conn c{fd, {}};
      serve_one(c, nullptr, io, false); // one request: Gunicorn's sync worker forces Connection: close
      close_conn(c, io);
    }
  }

  /// gthread's hand-over from the main thread to the pool.
  struct ConnQueue {
    std::mutex m;
    std::condition_variable cv;
    std::deque<Conn*> q;
    bool done = false;
    void push(Conn* c)
    {
      {
        std::lock_guard<std::mutex> l(m);
        q.push_back(c);
      }
      cv.notify_one();
    }
    /// The next connection; nullptr once closed.
    Conn* pop()
    {
      std::unique_lock<std::mutex> l(m);
      cv.wait(l, [&] { return done || !q.empty(); });
      if (q.empty())
        return nullptr;
      Conn* c = q.front();
      q.pop_front();
      return c;
    }
    void close()
    {
      {
        std::lock_guard<std::mutex> l(m);
        done = true;
      }
      cv.notify_all();
    }
  };

  /// Watches `c` for its next request (the listener: c is nullptr).
  static void watch(int ep, int fd, Conn* c, bool oneshot)
  {
    epoll_event ev{};
    ev.events   = EPOLLIN | (oneshot ? EPOLLONESHOT : 0u);
    ev.data.ptr = c;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) != 0)
      epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }

  /// A pool thread: serves one request per connection handed over, and those
  /// already received behind it (pipelined), then gives the connection back to the poller.
  void gthread_pool_thread(int lane, int ep, Gil& gil, ConnQueue& queue)
  {
    t_lane = lane;
    for (;;) {
      t_request = -1;
      note(State::idle);
      Conn* c = queue.pop();
      if (!c)
        return;
      note(State::blocked_io); // reading the request
      ThreadIo io;
      bool keep;
      while ((keep = serve_one(*c, &gil, io, cfg.keepalive_s > 0)) && !c->in.empty()) {
      }
      if (keep) {
        watch(ep, c->fd, c, true);
      } else {
        close_conn(*c, io);
        delete c;
      }
    }
  }

  /// The gthread main thread's accept; EMFILE and the like stop accepting for a while.
  void gthread_accept(int ep, ConnQueue& queue, AcceptBackoff& backoff, double& resume_at)
  {
    int fd = accept(listen_fd, nullptr, nullptr);
    if (fd < 0) {
      if (!AcceptBackoff::harmless(errno)) {
        resume_at = mono_s() + backoff.failed(errno, slot);
        epoll_ctl(ep, EPOLL_CTL_DEL, listen_fd, nullptr);
      }
      return;
    }
    backoff.succeeded();
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    set_timeout(fd, 10);
    queue.push(new Conn{fd, {}});
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
    t_lane           = trace ? trace->lane(process_lane, LaneKind::thread, "main loop") : -1;
    int ep = epoll_create1(0);
    watch(ep, listen_fd, nullptr, false);
    ConnQueue queue;
    std::vector<std::thread> pool;
    for (int i = 0; i < cfg.threads; ++i) {
      int lane = trace ? trace->lane(process_lane, LaneKind::thread, "thread " + std::to_string(i + 1)) : -1;
      pool.emplace_back([&, lane] { gthread_pool_thread(lane, ep, gil, queue); });
    }
    AcceptBackoff backoff;
    double resume_at = 0; ///< accepting stopped until then (0: accepting)
    while (!g_stop && !recycled() && !orphaned()) {
      epoll_event events[64];
      note(State::idle);
      int wait_ms = resume_at > 0 ? static_cast<int>(std::clamp((resume_at - mono_s()) * 1000, 0.0, 1000.0)) : 1000;
      int n       = epoll_wait(ep, events, 64, wait_ms);
      gil.take();
      notify();
      if (resume_at > 0 && mono_s() >= resume_at) {
        resume_at = 0;
        watch(ep, listen_fd, nullptr, false);
      }
      for (int i = 0; i < n; ++i)
        if (auto* c = static_cast<Conn*>(events[i].data.ptr))
          queue.push(c);
        else
          gthread_accept(ep, queue, backoff, resume_at);
      gil.release();
    }
    queue.close();
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
    ev_timer_init(&resume_, on_resume, 0., 0.);
    resume_.data = this;
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
  static void on_resume(struct ev_loop*, ev_timer* t, int) { self(t->data).listen_again(); }

  void accept_batch()
  {
    for (int k = 0; k < kAcceptBatch && open_ < cap_ && !stopping_; ++k) {
      int fd = accept4(w_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK);
      if (fd < 0 && (errno == ECONNABORTED || errno == EINTR))
        continue;
      if (fd < 0 && !AcceptBackoff::harmless(errno)) { // out of descriptors or memory: pause, as gevent does
        ev_io_stop(hub_.loop(), &listener_);
        ev_timer_set(&resume_, backoff_.failed(errno, w_.slot), 0.);
        ev_timer_start(hub_.loop(), &resume_);
      }
      if (fd < 0)
        return; // another worker took it, the backlog is empty, or a pause
      backoff_.succeeded();
      ++open_;
      hub_.spawn([this, fd] { connection(fd); });
    }
    if (open_ >= cap_)
      ev_io_stop(hub_.loop(), &listener_);
  }

  /// Accepting resumes unless stopping, at worker_connections, or in a pause.
  void listen_again()
  {
    if (!stopping_ && open_ < cap_ && !ev_is_active(&listener_) && !ev_is_active(&resume_))
      ev_io_start(hub_.loop(), &listener_);
  }

  void connection(int fd)
  {
    GreenIo io(hub_, cooperative_);
    const bool keepalive = w_.cfg.keepalive_s > 0;
    Conn c{fd, {}};
    for (bool first = true; w_.serve_one(c, nullptr, io, keepalive && !stopping_, first ? 10 : w_.cfg.keepalive_s);
         first = false) {
    }
    close_conn(c, io);
    --open_;
    listen_again();
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
  AcceptBackoff backoff_;
  ev_io listener_{};
  ev_timer heartbeat_{}, control_{}, resume_{}; ///< resume_: the end of a pause in accepting
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
