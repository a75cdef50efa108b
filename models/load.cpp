#include "load.hpp"

namespace gilsim {

RequestPtr make_request(Server& srv, Rng& rng)
{
  const auto& eps = srv.cfg.app.endpoints;
  double total    = 0;
  for (const auto& e : eps)
    total += e.weight;
  double pick = Distribution{Distribution::Kind::uniform, 0, total, {}}.sample(rng);
  std::size_t i = 0;
  while (i + 1 < eps.size() && pick >= eps[i].weight) {
    pick -= eps[i].weight;
    ++i;
  }
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

ConnectionPtr new_connection(Server& srv, bool keepalive)
{
  auto c       = std::make_shared<Connection>();
  c->id        = srv.next_connection_id++;
  c->keepalive = keepalive;
  return c;
}

void closed_client(Server& srv, int index)
{
  const auto& load = srv.cfg.load;
  const auto& px   = srv.cfg.proxy;
  Rng rng          = make_stream(srv.cfg.seed, 1000 + static_cast<uint64_t>(index));
  // Through a proxy, the connection Gunicorn sees is the proxy's upstream one.
  const bool keepalive = load.keepalive && (!px.enabled || px.upstream_keepalive);
  Waker waker;
  ConnectionPtr c;
  for (;;) {
    double think = load.think_s.sample(rng);
    if (think > 0)
      sg4::this_actor::sleep_for(think);
    RequestPtr r = make_request(srv, rng);
    r->client    = &waker;
    srv.rec.sent(*r);
    if (c && !c->closed) {
      c->request = r;
      c->worker->deliver(c);
    } else {
      c          = new_connection(srv, keepalive);
      c->request = r;
      if (!srv.listen.connect(c)) {
        srv.rec.settle(*r, Outcome::refused, now());
        c.reset();
        sg4::this_actor::sleep_for(load.retry_s);
        continue;
      }
    }
    double deadline = px.enabled ? r->sent_s + px.read_timeout_s : -1;
    while (r->outcome == Outcome::pending) {
      if (deadline < 0) {
        waker.block();
      } else if (now() >= deadline) {
        srv.rec.settle(*r, Outcome::timeout, now());
        srv.client_close(c);
      } else {
        waker.block_for(deadline - now());
      }
    }
    r->client = nullptr;
    if (r->outcome != Outcome::ok || !keepalive)
      srv.client_close(c);
  }
}

void open_generator(Server& srv)
{
  const auto& load = srv.cfg.load;
  Rng rng          = make_stream(srv.cfg.seed, 1);
  Distribution gap{Distribution::Kind::exponential, 1.0 / load.rate_rps, 0, {}};
  // Proxy read timeouts: deadlines come in arrival order, so one watcher suffices.
  auto watched = std::make_shared<std::deque<RequestPtr>>();
  auto watcher = std::make_shared<Waker>();
  if (srv.cfg.proxy.enabled) {
    double timeout = srv.cfg.proxy.read_timeout_s;
    srv.actor([&srv, watched, watcher, timeout] {
      for (;;) {
        while (watched->empty())
          watcher->block();
        RequestPtr r = watched->front();
        watched->pop_front();
        if (r->outcome == Outcome::pending && now() < r->sent_s + timeout)
          sg4::this_actor::sleep_for(r->sent_s + timeout - now());
        srv.rec.settle(*r, Outcome::timeout, now()); // no-op if it was answered in time
      }
    });
  }
  for (;;) {
    sg4::this_actor::sleep_for(gap.sample(rng));
    RequestPtr r = make_request(srv, rng);
    srv.rec.sent(*r);
    auto c     = new_connection(srv, false);
    c->request = r;
    if (!srv.listen.connect(c)) {
      srv.rec.settle(*r, Outcome::refused, now());
      continue;
    }
    if (srv.cfg.proxy.enabled) {
      watched->push_back(r);
      watcher->wake();
    }
  }
}

} // namespace

void start_load(Server& srv)
{
  if (srv.cfg.load.type == LoadConfig::Type::closed) {
    for (int i = 0; i < srv.cfg.load.connections; ++i)
      srv.actor([&srv, i] { closed_client(srv, i); });
  } else {
    srv.actor([&srv] { open_generator(srv); });
  }
}

} // namespace gilsim
