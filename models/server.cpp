#include "server.hpp"
#include "run_data.hpp"
#include "../engine/trace.hpp"
#include <algorithm>

namespace gilsim {

// ---------------------------------------------------------------- listen socket

bool ListenSocket::connect(const ConnectionPtr& c)
{
  if (!waiting_.empty()) {
    // LIFO among those that would accept at once; if all are busy, the most recent
    auto pick = waiting_.end() - 1;
    for (auto it = waiting_.rbegin(); it != waiting_.rend(); ++it)
      if (!(*it)->owner || (*it)->owner->accepts_at_once()) {
        pick = std::next(it).base();
        break;
      }
    Acceptor* a = *pick;
    waiting_.erase(pick);
    a->given = c;
    if (!a->owner || !a->owner->accept_now())
      a->unit->waker.wake();
    return true;
  }
  if (static_cast<int>(pending_.size()) >= backlog_)
    return false;
  pending_.push_back(c);
  report();
  return true;
}

void ListenSocket::offer(Acceptor& a)
{
  if (a.given)
    return;
  if (!pending_.empty()) {
    a.given = pending_.front();
    pending_.pop_front();
    report();
    return;
  }
  if (std::find(waiting_.begin(), waiting_.end(), &a) == waiting_.end())
    waiting_.push_back(&a);
}

ConnectionPtr ListenSocket::try_accept()
{
  if (pending_.empty())
    return nullptr;
  ConnectionPtr c = pending_.front();
  pending_.pop_front();
  report();
  return c;
}

ConnectionPtr ListenSocket::accept(Acceptor& a)
{
  offer(a);
  while (!a.given)
    a.unit->waker.block();
  ConnectionPtr c = std::move(a.given);
  a.given.reset();
  return c;
}

void ListenSocket::withdraw(Acceptor& a)
{
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), &a), waiting_.end());
}

// ---------------------------------------------------------------- server

namespace {
std::vector<std::string> endpoint_names(const AppConfig& app)
{
  std::vector<std::string> names;
  for (const Endpoint& e : app.endpoints)
    names.push_back(e.name);
  return names;
}
} // namespace

Server::Server(const RunConfig& c, const Platform& p)
    : cfg(c)
    , machine(p)
    , listen(c.server.backlog)
    , db(c.database, p.database)
    , arbiter(*this)
    , stats(c.warmup_s, c.duration_s, c.machine.cores, endpoint_names(c.app))
    , arbiter_rng(make_stream(c.seed, 7))
{
  const PoolConfig& pc = c.server.pool;
  if (pc.kind == PoolConfig::Kind::shared)
    shared_pool = std::make_unique<Pool>(db, Pool::Kind::bouncer, pc.size, 0, pc.timeout_s);
  else if (pc.kind == PoolConfig::Kind::none)
    shared_pool = std::make_unique<Pool>(db, Pool::Kind::none, 0, 0, 0);
  if (!c.trace.file.empty()) {
    auto header      = nlohmann::json::parse(c.trace.header_json);
    header["config"] = run_json(c); // the resolved configuration, every default filled in
    header["run"]    = run_hash(c);
    observe(std::make_unique<TraceRecorder>(c.trace.file, TraceRecorder::Window{c.trace.from_s, c.trace.until_s},
                                            std::move(header), c.duration_s, c.warmup_s, c.machine.cores));
  }
  machine.observe(obs);
  rec.obs    = obs;
  listen.obs = obs;
  db.observe(obs);
  if (shared_pool)
    shared_pool->observe(obs, 0);
}

Server::~Server() = default;

void Server::observe(std::unique_ptr<TraceRecorder> t)
{
  trace = std::move(t);
  both_.subscribe(&stats);
  both_.subscribe(trace.get());
  obs = &both_;
}

void Server::add_memory(double mb)
{
  mem_mb_ += mb;
  obs->counter(CounterKind::memory_mb, 0, mem_mb_, now());
}

int Server::lane(int parent, LaneKind kind, int process, const std::string& name)
{
  int id = lanes_++;
  obs->lane(id, parent, kind, process, name);
  return id;
}

void Server::attach(Unit& u, int parent, LaneKind kind, int process, const std::string& name)
{
  u.id = lane(parent, kind, process, name);
  if (obs->wants_states())
    u.obs = obs;
}

sg4::ActorPtr Server::actor(std::function<void()> body)
{
  return sg4::Actor::create("a", machine.platform().server, std::move(body));
}

void Server::client_close(const ConnectionPtr& c)
{
  if (c->closed)
    return;
  c->closed = true;
  if (c->worker && c->worker->alive())
    c->worker->peer_closed(c);
}

// ---------------------------------------------------------------- worker process

WorkerProcess::WorkerProcess(Server& srv, int number, double boot_s)
    : srv_(srv)
    , number_(number)
    , boot_s_(boot_s)
    , gil_(srv.cfg.server.interpreter.gil, srv.cfg.server.interpreter.switch_interval_s)
    , slowdown_(srv.cfg.server.interpreter.gil ? 1.0 : srv.cfg.server.interpreter.free_threaded_slowdown)
{
  const auto& cfg = srv.cfg;
  const PoolConfig& pc = cfg.server.pool;
  if (pc.kind == PoolConfig::Kind::per_process) {
    own_pool_ = std::make_unique<Pool>(srv.db, Pool::Kind::queue, pc.size, pc.max_overflow, pc.timeout_s);
    pool_     = own_pool_.get();
  } else {
    pool_ = srv.shared_pool.get();
  }
  if (cfg.server.max_requests > 0) {
    int jitter    = cfg.server.max_requests_jitter;
    max_requests_ = cfg.server.max_requests +
                    (jitter > 0 ? static_cast<int>(srv.arbiter_rng() % static_cast<uint64_t>(jitter + 1)) : 0);
  }
  keepalive_s_ = cfg.server.keepalive_s;
  last_notify_ = now(); // the arbiter counts from the fork
  std::string name = "worker " + std::to_string(number);
  if (now() > 0) { // a replacement: its predecessor's lane stays in the trace
    char born[32];
    std::snprintf(born, sizeof born, " (from %.2f s)", now());
    name += born;
  }
  lane_ = srv.lane(-1, LaneKind::process, number, name);
  srv.obs->worker(lane_, WorkerEvent::born, number, now());
  gil_.observe(srv.obs, lane_);
  if (own_pool_)
    own_pool_->observe(srv.obs, number);
  const auto& in = cfg.server.interpreter;
  add_memory(in.process_mb + cfg.app.memory_mb * (cfg.server.preload_app ? in.cow_dirty_fraction : 1.0));
}

void WorkerProcess::add_memory(double mb)
{
  memory_mb_ += mb;
  srv_.add_memory(mb);
  srv_.obs->counter(CounterKind::memory_mb, number_, memory_mb_, now());
}

void WorkerProcess::start()
{
  actors_.push_back(srv_.actor([this] {
    if (boot_s_ > 0)
      sleep_for(boot_s_);
    notify();
    run();
  }));
}

Unit& WorkerProcess::add_unit(const std::string& name, LaneKind kind, int parent)
{
  Unit& u = units_.emplace_back();
  srv_.attach(u, parent >= 0 ? parent : lane_, kind, number_, name);
  return u;
}

void WorkerProcess::spawn(std::function<void()> body) { actors_.push_back(srv_.actor(std::move(body))); }

void WorkerProcess::adopt(const ConnectionPtr& c)
{
  c->worker = this;
  conns_.emplace(c->id, c);
  srv_.obs->connection(c->id, lane_, true, now());
}

void WorkerProcess::forget(const ConnectionPtr& c)
{
  if (conns_.erase(c->id))
    srv_.obs->connection(c->id, lane_, false, now());
}

void WorkerProcess::close(const ConnectionPtr& c)
{
  c->closed = true;
  forget(c);
}

void WorkerProcess::peer_closed(const ConnectionPtr& c) { forget(c); }

void WorkerProcess::serve(Unit& u, const ConnectionPtr& c, Hub* hub, bool cooperative)
{
  RequestPtr r = c->request;
  const auto& cfg = srv_.cfg;
  r->time.queue_s = now() - r->sent_s;
  u.set_request(r->id); // in the trace, its start: the unit's first interval carrying it
  r->process_lane = lane_;
  auto step_begins = [&](RequestEvent e) { srv_.obs->request(e, r->id, u.id, now()); };
  auto enter = [&] {
    double t = now();
    if (hub)
      hub->enter(u);
    double t1 = now();
    gil_.take(u);
    r->time.loop_wait_s += t1 - t;
    r->time.gil_wait_s += now() - t1;
  };
  auto leave = [&](bool release_hub) {
    gil_.release(u);
    if (hub && release_hub)
      hub->leave(u);
  };
  // Consecutive Python work (the server's own overhead, cpu steps) runs as one
  // execution, flushed before anything that blocks.
  double python_s = 0;
  auto python     = [&](double s) { python_s += s; };
  auto flush      = [&] {
    enter();
    if (python_s > 0) {
      double t = now();
      run_python(srv_.machine, gil_, u, python_s, slowdown_);
      r->time.cpu_s += now() - t;
      python_s = 0;
    }
  };
  auto wait_io = [&](double s, bool release_hub, RequestEvent step) {
    flush();
    step_begins(step); // once the Python before it has run
    leave(release_hub);
    u.set_state(UnitState::blocked_io);
    double t = now();
    sleep_for(s);
    r->time.io_s += now() - t;
    u.set_state(UnitState::running);
  };

  u.set_state(UnitState::running);
  python(cfg.server.overhead_s);
  const Endpoint& ep = cfg.app.endpoints[r->endpoint];
  Outcome failure    = Outcome::pending; // the app answers 500 if a step failed
  for (std::size_t i = 0; i < ep.steps.size() && failure == Outcome::pending; ++i) {
    const Step& step = ep.steps[i];
    double d         = r->step_s[i];
    switch (step.kind) {
      case Step::Kind::cpu:
        step_begins(RequestEvent::step_cpu);
        python(d);
        break;
      case Step::Kind::io: wait_io(d, cooperative, RequestEvent::step_io); break;
      case Step::Kind::blocking_io: wait_io(d, false, RequestEvent::step_blocking_io); break;
      case Step::Kind::db: {
        // SQLAlchemy's pool waits on a (monkey-patched) condition; the driver
        // itself is cooperative only if the loop can switch away from it.
        bool coop_wait  = hub && cooperative;
        bool coop_query = coop_wait && !step.blocking_driver;
        flush();
        step_begins(RequestEvent::step_db);
        leave(coop_wait);
        u.set_state(UnitState::blocked_io);
        double t = now();
        bool fresh = false;
        auto res   = pool_->acquire(u, number_, fresh, coop_wait ? hub : nullptr);
        r->time.pool_wait_s += now() - t;
        if (res != Pool::Result::ok) {
          // PostgreSQL refuses only once the attempt has reached it
          if (res == Pool::Result::refused)
            sleep_for(cfg.database.connect_s);
          failure = res == Pool::Result::refused ? Outcome::db : Outcome::pool_timeout;
          break;
        }
        if (hub && coop_wait && !coop_query) {
          double t0 = now();
          hub->enter(u);
          r->time.loop_wait_s += now() - t0;
        }
        t = now();
        if (fresh)
          sleep_for(cfg.database.connect_s);
        sleep_for(cfg.database.rtt_s);
        srv_.machine.execute(u, d, srv_.db.host);
        r->time.db_s += now() - t;
        // The connection goes back (SQLAlchemy's `with engine.connect()`
        // ending, a close() without a pool) by Python code: only once this
        // unit runs again, after the hub (and the lock) come back to it.
        u.set_state(UnitState::running);
        enter();
        pool_->release(number_);
        break;
      }
    }
  }
  flush(); // the response (or the error page) is written by Python code
  leave(true);
  u.request = -1;
  u.set_state(UnitState::idle);
  c->request.reset();
  if (alive()) {
    if (keepalive_s_ > 0 && c->keepalive && !retiring_ && !c->closed)
      c->idle_since = now();
    else
      close(c);
  }
  // Last: settling wakes the client, which may run (and reuse `c`) at once.
  srv_.rec.settle(*r, failure == Outcome::pending ? Outcome::ok : failure, now());
}

bool WorkerProcess::count_request()
{
  ++served_;
  if (max_requests_ > 0 && served_ >= max_requests_ && !retiring_)
    begin_retirement();
  exit_if_idle();
  return !alive();
}

void WorkerProcess::begin_retirement()
{
  retiring_ = true;
  srv_.listen.withdraw(acceptor_);
  std::vector<ConnectionPtr> idle;
  for (auto& [id, c] : conns_)
    if (!c->request)
      idle.push_back(c);
  for (auto& c : idle)
    close(c);
}

void WorkerProcess::exit_if_idle()
{
  if (!retiring_ || !alive())
    return;
  for (auto& [id, c] : conns_)
    if (c->request)
      return;
  srv_.arbiter.exited(*this);
}

void WorkerProcess::kill(WorkerEvent why)
{
  if (!alive())
    return;
  // Take everything away first: killing and settling are simcalls, during
  // which other actors run.
  died_s_ = now();
  srv_.listen.withdraw(acceptor_);
  std::vector<ConnectionPtr> held;
  for (auto& [id, c] : conns_) {
    c->closed = true;
    held.push_back(c);
  }
  conns_.clear();
  if (acceptor_.given)
    held.push_back(std::move(acceptor_.given));
  if (own_pool_)
    own_pool_->close_all();
  else
    pool_->drop_owner(number_);
  add_memory(-memory_mb_);
  for (auto& u : units_)
    u.set_state(UnitState::killed);
  srv_.obs->worker(lane_, why, number_, died_s_);
  auto self   = sg4::Actor::self();
  auto actors = actors_;
  for (auto& a : actors)
    if (a != self && sg4::Actor::by_pid(a->get_pid()))
      a->kill();
  double t = now();
  for (auto& c : held)
    if (RequestPtr r = c->request)
      srv_.rec.settle(*r, Outcome::killed, t);
}

// ---------------------------------------------------------------- arbiter

void Arbiter::spawn(int number, double boot_s)
{
  procs_.push_back(make_worker(srv_, number, boot_s));
  procs_.back()->start();
}

void Arbiter::replace(WorkerProcess& w)
{
  const auto& s = srv_.cfg.server;
  spawn(w.number(), s.preload_app ? 0.05 : s.boot_s); // with preload_app a new worker is only a fork
}

void Arbiter::exited(WorkerProcess& w)
{
  w.kill(WorkerEvent::died_max_requests);
  replace(w);
}

void Arbiter::start()
{
  const auto& s  = srv_.cfg.server;
  const auto& in = s.interpreter;
  lane_ = srv_.lane(-1, LaneKind::arbiter, 0, "arbiter");
  srv_.add_memory(in.process_mb + (s.preload_app ? srv_.cfg.app.memory_mb : 0));
  for (int i = 1; i <= s.workers; ++i)
    spawn(i, 0);
  srv_.actor([this, &s] {
    // gunicorn/arbiter.py: the main loop sleeps up to 1 s, then murders workers
    // whose heartbeat is older than `timeout`.
    for (;;) {
      sleep_for(1.0);
      std::vector<WorkerProcess*> late;
      for (auto& p : procs_)
        if (p->alive() && p->heartbeat_age() > s.timeout_s)
          late.push_back(p.get());
      for (WorkerProcess* p : late) {
        p->kill(WorkerEvent::died_timeout);
        replace(*p);
      }
    }
  });
}

} // namespace gilsim
