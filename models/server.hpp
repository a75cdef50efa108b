// One Gunicorn server under load: the world of one simulated run.
//
//   clients ──► [proxy] ──► listen socket (backlog) ──► arbiter's workers ──► database
//
// The arbiter (gunicorn/arbiter.py) pre-forks `workers` processes that share
// one listen socket, kills a worker whose heartbeat is older than `timeout`,
// and replaces workers that die or reach max_requests.
#pragma once
#include "config.hpp"
#include "database.hpp"
#include "request.hpp"
#include "statistics.hpp"
#include "../engine/interpreter.hpp"
#include "../engine/observer.hpp"
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace gilsim {

class Server;

class WorkerProcess;

/// A unit waiting in accept() on the listen socket.
struct Acceptor {
  Unit* unit = nullptr;
  ConnectionPtr given;
  WorkerProcess* owner = nullptr; ///< told by accept_now() instead of waking `unit`, if set
};

/// The shared listen socket. Connections wait in a backlog of `backlog`; a full
/// backlog refuses. Idle acceptors are woken last-in first-out, as Linux wakes
/// epoll/accept waiters on a shared socket: a worker that keeps accepting keeps
/// getting the new connections.
class ListenSocket {
public:
  explicit ListenSocket(int backlog) : backlog_(backlog) {}
  /// False if refused (backlog full).
  bool connect(const ConnectionPtr& c);
  /// `a` waits for a connection without blocking (epoll): one is put in `a.given`.
  void offer(Acceptor& a);
  /// A connection waiting in the backlog, if any (non-blocking accept()).
  ConnectionPtr try_accept();
  /// Blocks until a connection arrives for `a`.
  ConnectionPtr accept(Acceptor& a);
  void withdraw(Acceptor& a);
  Observer* obs = nullptr;

private:
  void report() const
  {
    if (obs)
      obs->counter(CounterKind::backlog, 0, static_cast<double>(pending_.size()), now());
  }
  int backlog_;
  std::deque<ConnectionPtr> pending_;
  std::vector<Acceptor*> waiting_;
};

/// One Gunicorn worker process. Worker classes implement how connections are
/// accepted and requests dispatched (`run`, `deliver`) and how the arbiter sees
/// their heartbeat; serving a request is shared (`serve`).
class WorkerProcess {
public:
  WorkerProcess(Server& srv, int number, double boot_s);
  virtual ~WorkerProcess() = default;
  void start();
  /// A new request arrived on a kept-alive connection this worker holds.
  virtual void deliver(const ConnectionPtr& c) = 0;
  /// The client closed a connection this worker holds.
  virtual void peer_closed(const ConnectionPtr& c);
  /// The listen socket gave this worker's acceptor (one with an owner) a
  /// connection: the worker takes it from there (an event loop's accept
  /// callback). Returns false to have the acceptor's unit woken instead.
  virtual bool accept_now() { return false; }
  /// Would take a connection at once (its event loop is idle): the kernel
  /// wakes every worker polling the listener and the first to call accept()
  /// gets it, so an idle one wins over a busy one.
  virtual bool accepts_at_once() const { return true; }
  /// Seconds since the worker last told the arbiter it is alive.
  virtual double heartbeat_age() const { return now() - last_notify_; }
  /// SIGKILL (or its own exit, by `why`): the requests it holds fail; its actors vanish.
  void kill(WorkerEvent why);
  bool alive() const { return died_s_ >= 1e300; }
  double born_s() const { return born_s_; }
  double died_s() const { return died_s_; } ///< when it was killed or left (+inf while alive)
  int number() const { return number_; }
  int lane() const { return lane_; } ///< its lane among the observed events
  InterpreterLock& gil() { return gil_; }

protected:
  friend struct RequestContext;
  virtual void run() = 0;                       ///< the worker's main actor, after booting
  /// A unit of this process: an OS thread, or a green thread under `parent` (a thread's lane).
  Unit& add_unit(const std::string& name, LaneKind kind = LaneKind::thread, int parent = -1);
  void spawn(std::function<void()> body);       ///< a further actor of this process
  void notify() { last_notify_ = now(); }
  void adopt(const ConnectionPtr& c);           ///< an accepted connection now belongs here
  void close(const ConnectionPtr& c);           ///< server side closes it
  void forget(const ConnectionPtr& c);          ///< it no longer holds it
  /// Serves the request on `c` from `unit`; the response is written and the
  /// connection kept alive or closed. `hub` is the green-thread hub, if any.
  void serve(Unit& unit, const ConnectionPtr& c, Hub* hub, bool cooperative);
  /// After each request: recycles the worker at max_requests. Returns true if it exited.
  bool count_request();
  /// The worker stops accepting and leaves once its requests are done.
  virtual void begin_retirement();
  void exit_if_idle();
  void add_memory(double mb);

  Server& srv_;
  int number_;
  int lane_ = -1;
  double boot_s_;
  InterpreterLock gil_;
  double slowdown_;
  std::unique_ptr<Pool> own_pool_;
  Pool* pool_;
  Acceptor acceptor_;
  std::unordered_map<long, ConnectionPtr> conns_;
  std::deque<Unit> units_;
  std::vector<sg4::ActorPtr> actors_;
  bool retiring_ = false;
  int served_ = 0, max_requests_ = 0;
  double last_notify_ = 0, memory_mb_ = 0;
  double born_s_ = now(), died_s_ = 1e300;
  double keepalive_s_ = 0;
};

class Arbiter {
public:
  explicit Arbiter(Server& srv) : srv_(srv) {}
  void start();
  /// A worker left by itself (max_requests): replace it.
  void exited(WorkerProcess& w);
  const std::vector<std::unique_ptr<WorkerProcess>>& processes() const { return procs_; }

private:
  void spawn(int number, double boot_s);
  void replace(WorkerProcess& w);
  Server& srv_;
  std::vector<std::unique_ptr<WorkerProcess>> procs_;
  int lane_ = -1;
};

class Server {
public:
  Server(const RunConfig& cfg, const Platform& p);
  const RunConfig& cfg;
  Machine machine;
  Recorder rec;
  ListenSocket listen;
  Database db;
  std::unique_ptr<Pool> shared_pool;
  Arbiter arbiter;
  Statistics stats;
  std::unique_ptr<class TraceRecorder> trace;
  Observer* obs = &stats; ///< every event goes here: the statistics, and the trace if one is recorded
  Rng arbiter_rng;
  long next_connection_id = 0, next_request_id = 0;

  void add_memory(double mb);
  ~Server();
  /// A new lane (its id): a worker process, the arbiter.
  int lane(int parent, LaneKind kind, int process, const std::string& name);
  /// Makes a unit a lane; its state changes go to the observers that want them.
  void attach(Unit& u, int parent, LaneKind kind, int process, const std::string& name);
  /// Creates an actor on the server host.
  sg4::ActorPtr actor(std::function<void()> body);
  /// Client side: the client closes its connection.
  void client_close(const ConnectionPtr& c);

private:
  /// Every event of the run goes to `t` too.
  void observe(std::unique_ptr<class TraceRecorder> t);
  Fanout both_;
  int lanes_ = 0;
  double mem_mb_ = 0;
};

std::unique_ptr<WorkerProcess> make_worker(Server& srv, int number, double boot_s);

} // namespace gilsim
