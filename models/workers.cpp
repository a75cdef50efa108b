// Gunicorn's worker classes (gunicorn/workers/*.py) and uvicorn's worker.
//
//  sync     one request at a time per process; closes every connection
//           (no keep-alive); its heartbeat stops while it serves, so
//           `timeout` is a request timeout.
//  gthread  a main loop (poll, accept, keep-alive, heartbeat; needs the GIL)
//           feeding a pool of `threads` OS threads; accepts while it holds
//           fewer than worker_connections connections.
//  gevent / eventlet / tornado / uvicorn
//           one event loop (hub) per process, a green thread per connection.
//           gevent/eventlet cap connections at worker_connections; I/O is
//           monkey-patched (cooperative) except `blocking_io`. Tornado serves
//           WSGI synchronously on its IOLoop: nothing is cooperative. uvicorn
//           runs async handlers: `io` awaits, `blocking_io` blocks the loop.
#include "server.hpp"
#include <algorithm>
#include <climits>

namespace gilsim {

namespace {

/// Connections a loop accepts in one turn while the backlog holds more
/// (gevent's StreamServer max_accept, asyncio's accept backlog).
constexpr int kMaxAccept = 100;

class SyncWorker final : public WorkerProcess {
public:
  using WorkerProcess::WorkerProcess;
  void deliver(const ConnectionPtr&) override {} // sync closes every connection after its response
  double heartbeat_age() const override { return idle_ ? 0 : WorkerProcess::heartbeat_age(); }

protected:
  void run() override
  {
    keepalive_s_ = 0;
    Unit& u      = add_unit("main");
    acceptor_.unit = &u;
    for (;;) {
      idle_           = true; // waits in select() with timeout/2 and notifies each turn
      ConnectionPtr c = srv_.listen.accept(acceptor_);
      idle_           = false;
      notify();
      adopt(c);
      serve(u, c, nullptr, false);
      if (count_request())
        return;
    }
  }

private:
  bool idle_ = true;
};

class ThreadWorker final : public WorkerProcess {
public:
  using WorkerProcess::WorkerProcess;
  void deliver(const ConnectionPtr& c) override
  {
    events_.push_back(c);
    main_->waker.wake();
  }
  void peer_closed(const ConnectionPtr& c) override
  {
    WorkerProcess::peer_closed(c);
    connection_gone();
  }

protected:
  void run() override
  {
    const auto& s = srv_.cfg.server;
    add_memory(s.interpreter.thread_mb * (s.threads + 1));
    gil_.set_threaded(true);
    main_          = &add_unit("main loop");
    acceptor_.unit = main_;
    for (int i = 1; i <= s.threads; ++i) {
      Unit* t = &add_unit("thread " + std::to_string(i));
      spawn([this, t] { pool_thread(*t); });
    }
    main_loop();
  }

private:
  // gthread.py run(): poll (1 s timeout) for the listener and kept-alive
  // connections; with the GIL: notify the arbiter, accept while fewer than
  // worker_connections are open, hand readable connections to the pool, close
  // connections idle longer than keepalive. While it runs (or waits for the
  // GIL) it is not in poll, so another worker takes new connections.
  void main_loop()
  {
    Unit& u       = *main_;
    const int cap = srv_.cfg.server.worker_connections;
    spawn([this] { // poll()'s 1 s timeout
      for (;;) {
        sleep_for(1.0);
        tick_ = true;
        main_->waker.wake();
      }
    });
    for (;;) {
      listening_ = static_cast<int>(conns_.size()) < cap && !retiring_;
      if (listening_)
        srv_.listen.offer(acceptor_);
      while (events_.empty() && !acceptor_.given && !tick_)
        u.waker.block();
      srv_.listen.withdraw(acceptor_);
      gil_.take(u);
      notify();
      if (acceptor_.given) {
        ConnectionPtr c = std::move(acceptor_.given);
        acceptor_.given.reset();
        adopt(c);
        dispatch(c);
        // The listener stays readable: the loop accepts again at once, under
        // the GIL, until the backlog is empty (each turn takes microseconds).
        for (int k = 1; k < kMaxAccept && static_cast<int>(conns_.size()) < cap && !retiring_; ++k) {
          ConnectionPtr more = srv_.listen.try_accept();
          if (!more)
            break;
          adopt(more);
          dispatch(more);
        }
      }
      while (!events_.empty()) {
        ConnectionPtr c = events_.front();
        events_.pop_front();
        if (!c->closed && c->request)
          dispatch(c);
      }
      if (tick_) {
        tick_ = false;
        murder_keepalived();
      }
      gil_.release(u);
    }
  }

  void murder_keepalived()
  {
    std::vector<ConnectionPtr> expired;
    for (auto& [id, c] : conns_)
      if (!c->request && now() - c->idle_since > keepalive_s_)
        expired.push_back(c);
    for (auto& c : expired)
      close(c);
  }

  void dispatch(const ConnectionPtr& c)
  {
    queue_.push_back(c);
    if (!idle_threads_.empty()) {
      Unit* t = idle_threads_.back();
      idle_threads_.pop_back();
      t->waker.wake();
    }
  }

  void pool_thread(Unit& u)
  {
    for (;;) {
      while (queue_.empty()) {
        idle_threads_.push_back(&u);
        u.waker.block();
        auto it = std::find(idle_threads_.begin(), idle_threads_.end(), &u);
        if (it != idle_threads_.end())
          idle_threads_.erase(it);
      }
      ConnectionPtr c = queue_.front();
      queue_.pop_front();
      if (c->closed || !c->request)
        continue;
      serve(u, c, nullptr, false);
      if (c->closed)
        connection_gone();
      if (count_request())
        return;
    }
  }

  // A connection fewer matters to the main loop only when it waits for
  // requests to finish instead of polling the listener (at
  // worker_connections, or retiring): gthread.py's futures.wait().
  void connection_gone()
  {
    if (!listening_)
      main_->waker.wake();
  }

  Unit* main_ = nullptr;
  bool tick_ = false;
  bool listening_ = false;
  std::deque<ConnectionPtr> events_, queue_;
  std::vector<Unit*> idle_threads_;
};

class LoopWorker final : public WorkerProcess {
public:
  LoopWorker(Server& srv, int number, double boot_s) : WorkerProcess(srv, number, boot_s)
  {
    const auto& s = srv.cfg.server;
    cooperative_  = s.worker_class != WorkerClass::tornado && s.cooperative_io;
    cap_          = (s.worker_class == WorkerClass::gevent || s.worker_class == WorkerClass::eventlet)
                        ? s.worker_connections
                        : INT_MAX;
  }
  void deliver(const ConnectionPtr& c) override
  {
    if (c->handler)
      c->handler->waker.wake();
  }
  void peer_closed(const ConnectionPtr& c) override
  {
    WorkerProcess::peer_closed(c);
    deliver(c);
  }

protected:
  struct Greenlet {
    Unit unit;
    ConnectionPtr conn;
  };

  void run() override
  {
    const auto& s = srv_.cfg.server;
    add_memory(s.interpreter.thread_mb);
    // The main thread runs the hub: its callbacks (accepting) and, in turn, every green thread.
    acceptor_.unit  = &add_unit("main thread (hub)");
    acceptor_.owner = this;
    if (srv_.obs->wants_states())
      hub_.show_on(acceptor_.unit);
    Unit& hb        = add_unit("heartbeat", green_kind(), acceptor_.unit->id);
    spawn([this, &hb] { heartbeat(hb); });
    if (s.monitor_thread && s.worker_class == WorkerClass::gevent) {
      add_memory(s.interpreter.thread_mb);
      gil_.set_threaded(true); // the monitor thread takes the GIL without the hub
      Unit& mon = add_unit("monitor thread");
      spawn([this, &mon] { monitor(mon); });
    }
    // The listener is a watcher on the hub: its accept callback runs in the
    // hub's line, taking no time (no actor of its own).
    accept_cb_ = [this] { accept_callback(); };
    arm();
  }

private:
  /// asyncio runs tasks; gevent, eventlet and Tornado's WSGI container greenlets (or coroutines).
  LaneKind green_kind() const
  {
    return srv_.cfg.server.worker_class == WorkerClass::uvicorn ? LaneKind::task : LaneKind::greenlet;
  }

  /// Back to watching the listener, below worker_connections.
  void arm()
  {
    if (static_cast<int>(conns_.size()) >= cap_ || retiring_ || !alive()) {
      at_cap_ = true;
      return;
    }
    at_cap_ = false;
    srv_.listen.offer(acceptor_);
    if (acceptor_.given) // the backlog had one
      hub_.call_soon(accept_cb_);
  }

  bool accept_now() override
  {
    hub_.call_soon(accept_cb_);
    return true;
  }
  bool accepts_at_once() const override { return !hub_.running(); }

  // gevent's StreamServer and asyncio accept up to 100 connections per
  // readiness event, until the backlog is empty.
  void accept_callback()
  {
    ConnectionPtr c = std::move(acceptor_.given);
    acceptor_.given.reset();
    if (!c || !alive())
      return;
    adopt(c);
    std::vector<ConnectionPtr> batch{c};
    while (static_cast<int>(batch.size()) < kMaxAccept && static_cast<int>(conns_.size()) < cap_ && !retiring_) {
      ConnectionPtr more = srv_.listen.try_accept();
      if (!more)
        break;
      adopt(more);
      batch.push_back(more);
    }
    for (auto& conn : batch)
      start_greenlet(conn);
    arm();
  }

  void start_greenlet(const ConnectionPtr& c)
  {
    Greenlet* g = nullptr;
    if (parked_.empty()) {
      g = new_greenlet();
    } else {
      g = parked_.back();
      parked_.pop_back();
    }
    g->conn    = c;
    c->handler = &g->unit;
    add_memory(srv_.cfg.server.interpreter.greenlet_mb);
    hub_.schedule(g->unit); // gevent.spawn: it starts in the hub's line
  }

  Greenlet* new_greenlet()
  {
    auto& g = greenlets_.emplace_back();
    const char* name = green_kind() == LaneKind::task ? "task " : "greenlet ";
    srv_.attach(g.unit, acceptor_.unit->id, green_kind(), number_, name + std::to_string(greenlets_.size()));
    Greenlet* p = &g;
    spawn([this, p] { greenlet(*p); });
    return p;
  }

  // One connection's greenlet (gunicorn/workers/base_async.py handle()):
  // serve requests while the connection is kept alive.
  void greenlet(Greenlet& g)
  {
    Unit& u = g.unit;
    for (;;) {
      while (!g.conn)
        u.waker.block();
      hub_.enter(u); // its turn on the hub, where start_greenlet() put it
      ConnectionPtr c = g.conn;
      for (;;) {
        while (!c->request && !c->closed) {
          hub_.leave(u);
          if (now() >= c->idle_since + keepalive_s_) {
            close(c);
            break;
          }
          u.waker.block(); // a request, the client closing, or the keep-alive sweep wakes it
        }
        if (c->closed)
          break;
        serve(u, c, &hub_, cooperative_);
        if (count_request())
          return;
      }
      hub_.leave(u);
      c->handler = nullptr;
      g.conn.reset();
      add_memory(-srv_.cfg.server.interpreter.greenlet_mb);
      parked_.push_back(&g);
      if (at_cap_) // below worker_connections again: watch the listener
        arm();
    }
  }

  // ggevent.py run() / tornado's PeriodicCallback(watchdog) / uvicorn's tick:
  // the heartbeat is a task on the loop, so a blocked loop stops it.
  void heartbeat(Unit& u)
  {
    for (;;) {
      sleep_for(1.0);
      hub_.enter(u);
      gil_.take(u);
      notify();
      // keep-alive timeouts (a timer per connection on the hub), checked each second
      std::vector<Unit*> expired;
      for (auto& [id, c] : conns_)
        if (!c->request && c->handler && now() - c->idle_since >= keepalive_s_)
          expired.push_back(c->handler);
      for (Unit* h : expired)
        h->waker.wake();
      gil_.release(u);
      hub_.leave(u);
    }
  }

  // gevent's monitor thread (gevent/_monitor.py): every max_blocking_time it
  // checks whether the hub has switched; if the same greenlet still runs, it
  // reports the hub blocked (once per block).
  void monitor(Unit& u)
  {
    const double period = srv_.cfg.server.max_blocking_time_s;
    uint64_t last       = hub_.switches();
    uint64_t reported   = 0;
    for (;;) {
      sleep_for(period);
      gil_.take(u);
      uint64_t sw = hub_.switches();
      if (hub_.running() && sw == last && sw != reported && now() - hub_.running_since() >= period) {
        reported = sw;
        srv_.obs->worker(lane_, WorkerEvent::monitor_report, number_, now());
      }
      last = sw;
      gil_.release(u);
    }
  }

  Hub hub_;
  bool cooperative_ = true;
  int cap_          = INT_MAX;
  bool at_cap_      = false; ///< not watching the listener (at worker_connections, or retiring)
  std::function<void()> accept_cb_;
  std::deque<Greenlet> greenlets_;
  std::vector<Greenlet*> parked_;
};

} // namespace

std::unique_ptr<WorkerProcess> make_worker(Server& srv, int number, double boot_s)
{
  switch (srv.cfg.server.worker_class) {
    case WorkerClass::sync: return std::make_unique<SyncWorker>(srv, number, boot_s);
    case WorkerClass::gthread: return std::make_unique<ThreadWorker>(srv, number, boot_s);
    default: return std::make_unique<LoopWorker>(srv, number, boot_s);
  }
}

} // namespace gilsim
