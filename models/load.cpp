#include "load.hpp"

namespace gilsim {

std::size_t pick_endpoint(const AppConfig& app, Rng& rng)
{
  const auto& eps = app.endpoints;
  double total    = 0;
  for (const auto& e : eps)
    total += e.weight;
  double pick = Distribution{Distribution::Kind::uniform, 0, total, {}}.sample(rng);
  std::size_t i = 0;
  while (i + 1 < eps.size() && pick >= eps[i].weight) {
    pick -= eps[i].weight;
    ++i;
  }
  return i;
}

RequestPtr make_request(Server& srv, Rng& rng)
{
  const auto& eps = srv.cfg.app.endpoints;
  std::size_t i   = pick_endpoint(srv.cfg.app, rng);
  auto r      = std::make_shared<Request>();
  r->id       = srv.next_request_id++;
  r->endpoint = static_cast<int>(i);
  r->step_s.reserve(eps[i].steps.size());
  for (const auto& s : eps[i].steps)
    r->step_s.push_back(s.duration_s.sample(rng));
  r->sent_s = now();
  return r;
}

namespace {

/// When the load begins: the workers forked at time 0 are polling by then.
constexpr double kLoadStart_s = 0.001;

/// The proxy's read timeouts. Deadlines come in the order requests were sent
/// (the timeout is one constant), so one watcher sleeping until the oldest
/// unanswered deadline serves every client.
class ProxyTimeouts {
public:
  explicit ProxyTimeouts(Server& srv) : srv_(srv), timeout_s_(srv.cfg.proxy.read_timeout_s)
  {
    srv.actor([this] { watch(); });
  }
  void add(const RequestPtr& r)
  {
    watched_.push_back(r);
    waker_.wake();
  }

private:
  void watch()
  {
    for (;;) {
      while (!watched_.empty() && watched_.front()->outcome != Outcome::pending)
        watched_.pop_front();
      if (watched_.empty()) {
        waker_.block();
        continue;
      }
      RequestPtr r = watched_.front();
      if (now() < r->sent_s + timeout_s_) {
        sleep_for(r->sent_s + timeout_s_ - now());
        continue;
      }
      watched_.pop_front();
      srv_.rec.settle(*r, Outcome::timeout, now()); // wakes the client, which closes its connection
    }
  }
  Server& srv_;
  double timeout_s_;
  std::deque<RequestPtr> watched_;
  Waker waker_;
};

ConnectionPtr new_connection(Server& srv, bool keepalive)
{
  auto c       = std::make_shared<Connection>();
  c->id        = srv.next_connection_id++;
  c->keepalive = keepalive;
  return c;
}

/// One closed-loop client (one wrk connection): send, wait for the outcome,
/// think, send again. After a successful response with no think time the next
/// request leaves at once, from the context that settled the response (the
/// same simulated instant); thinking, retrying a refused connection and
/// closing after an error run on the client's own actor, created the first
/// time it is needed (a client that never waits costs no actor).
class ClosedClient final : public Client {
public:
  ClosedClient(Server& srv, int index, ProxyTimeouts* proxy)
      : srv_(srv)
      , proxy_(proxy)
      , rng_(make_stream(srv.cfg.seed, 1000 + static_cast<uint64_t>(index)))
      // Through a proxy, the connection Gunicorn sees is the proxy's upstream one.
      , keepalive_(srv.cfg.load.keepalive && (!srv.cfg.proxy.enabled || srv.cfg.proxy.upstream_keepalive))
  {
  }

  /// The first request (called at time 0 from an actor).
  void start()
  {
    think_ = srv_.cfg.load.think_s.sample(rng_);
    if (think_ <= 0) {
      send();
      return;
    }
    next_ = Next::think;
    turn_to_actor();
  }

  void settled(Request& r) override
  {
    if (r.outcome == Outcome::ok) {
      if (!keepalive_)
        srv_.client_close(c_);
      think_ = srv_.cfg.load.think_s.sample(rng_);
      if (think_ <= 0) {
        send();
        return;
      }
      next_ = Next::think;
    } else if (r.outcome == Outcome::refused) {
      c_.reset();
      next_ = Next::retry;
    } else {
      next_ = Next::close;
    }
    turn_to_actor();
  }

private:
  enum class Next { wait, close, retry, sample_think, think };

  void turn_to_actor()
  {
    if (has_actor_) {
      waker_.wake();
      return;
    }
    has_actor_ = true;
    srv_.actor([this] { run(); });
  }

  void run()
  {
    for (;;) {
      switch (next_) {
        case Next::wait: waker_.block(); break;
        case Next::close:
          srv_.client_close(c_);
          next_ = Next::sample_think;
          break;
        case Next::retry:
          sleep_for(srv_.cfg.load.retry_s);
          next_ = Next::sample_think;
          break;
        case Next::sample_think: think_ = srv_.cfg.load.think_s.sample(rng_); [[fallthrough]];
        case Next::think:
          if (think_ > 0)
            sleep_for(think_);
          send();
          break;
      }
    }
  }

  void send()
  {
    next_        = Next::wait;
    RequestPtr r = make_request(srv_, rng_);
    r->client    = this;
    bool reuse   = c_ && !c_->closed;
    if (!reuse)
      c_ = new_connection(srv_, keepalive_);
    srv_.rec.sent(*r, c_->id);
    if (proxy_)
      proxy_->add(r);
    c_->request = r;
    if (reuse) {
      c_->worker->deliver(c_);
      return;
    }
    if (!srv_.listen.connect(c_))
      srv_.rec.settle(*r, Outcome::refused, now()); // settled() turns to retrying
  }

  Server& srv_;
  ProxyTimeouts* proxy_;
  Rng rng_;
  const bool keepalive_;
  Waker waker_;
  ConnectionPtr c_;
  Next next_      = Next::sample_think;
  double think_   = 0;
  bool has_actor_ = false;
};

void open_generator(Server& srv, ProxyTimeouts* proxy)
{
  const auto& load = srv.cfg.load;
  Rng rng          = make_stream(srv.cfg.seed, 1);
  Distribution gap{Distribution::Kind::exponential, 1.0 / load.rate_rps, 0, {}};
  for (;;) {
    sleep_for(gap.sample(rng));
    RequestPtr r = make_request(srv, rng);
    auto c       = new_connection(srv, false);
    srv.rec.sent(*r, c->id);
    c->request = r;
    if (!srv.listen.connect(c)) {
      srv.rec.settle(*r, Outcome::refused, now());
      continue;
    }
    if (proxy)
      proxy->add(r);
  }
}

} // namespace

void start_load(Server& srv)
{
  ProxyTimeouts* proxy = srv.cfg.proxy.enabled ? new ProxyTimeouts(srv) : nullptr; // lives as long as the run
  if (srv.cfg.load.type == LoadConfig::Type::closed) {
    auto* clients = new std::vector<ClosedClient*>; // they live as long as the run
    for (int i = 0; i < srv.cfg.load.connections; ++i)
      clients->push_back(new ClosedClient(srv, i, proxy));
    srv.actor([clients] {
      // wrk starts once the server listens: after the workers' first turn
      sleep_for(kLoadStart_s);
      for (ClosedClient* c : *clients)
        c->start();
    });
  } else {
    srv.actor([&srv, proxy] { open_generator(srv, proxy); });
  }
}

} // namespace gilsim
