#include "run_data.hpp"
#include <openssl/evp.h>
#include <array>
#include <stdexcept>

namespace gilsim {

const char* const kGilsimVersion = GILSIM_VERSION;

namespace {
using json = nlohmann::json;

// The names of the enums' values, in their order.
const char* const kDistributions[] = {"constant", "exponential", "uniform", "lognormal", "empirical"};
const char* const kSteps[]         = {"cpu", "io", "blocking_io", "db"};
const char* const kPools[]         = {"per_process", "shared", "none"};
const char* const kClasses[]       = {"sync", "gthread", "gevent", "eventlet", "tornado", "uvicorn"};

const char* to_string(Distribution::Kind k)
{
  return kDistributions[static_cast<int>(k)];
}

json distribution(const Distribution& d)
{
  json j = {{"kind", to_string(d.kind)}, {"a", d.a}, {"b", d.b}};
  if (!d.values.empty())
    j["values"] = d.values;
  return j;
}

const char* to_string(Step::Kind k)
{
  return kSteps[static_cast<int>(k)];
}

json app(const AppConfig& a)
{
  json eps = json::array();
  for (const Endpoint& e : a.endpoints) {
    json steps = json::array();
    for (const Step& s : e.steps)
      steps.push_back({{"kind", to_string(s.kind)}, {"duration_s", distribution(s.duration_s)}, {"blocking_driver", s.blocking_driver}});
    eps.push_back({{"name", e.name}, {"weight", e.weight}, {"steps", steps}});
  }
  return {{"endpoints", eps}, {"memory_mb", a.memory_mb}};
}

json pool(const PoolConfig& p)
{
  return {{"kind", kPools[static_cast<int>(p.kind)]}, {"size", p.size}, {"max_overflow", p.max_overflow}, {"timeout_s", p.timeout_s}};
}

json interpreter(const InterpreterConfig& i)
{
  return {{"gil", i.gil},
          {"switch_interval_s", i.switch_interval_s},
          {"free_threaded_slowdown", i.free_threaded_slowdown},
          {"process_mb", i.process_mb},
          {"thread_mb", i.thread_mb},
          {"greenlet_mb", i.greenlet_mb},
          {"cow_dirty_fraction", i.cow_dirty_fraction}};
}

json server(const ServerConfig& s)
{
  return {{"label", s.label},
          {"worker_class", to_string(s.worker_class)},
          {"workers", s.workers},
          {"threads", s.threads},
          {"worker_connections", s.worker_connections},
          {"backlog", s.backlog},
          {"timeout_s", s.timeout_s},
          {"keepalive_s", s.keepalive_s},
          {"max_requests", s.max_requests},
          {"max_requests_jitter", s.max_requests_jitter},
          {"preload_app", s.preload_app},
          {"boot_s", s.boot_s},
          {"overhead_s", s.overhead_s},
          {"pool", pool(s.pool)},
          {"cooperative_io", s.cooperative_io},
          {"monitor_thread", s.monitor_thread},
          {"max_blocking_time_s", s.max_blocking_time_s},
          {"interpreter", interpreter(s.interpreter)}};
}

json load(const LoadConfig& l)
{
  return {{"type", l.type == LoadConfig::Type::closed ? "closed" : "open"},
          {"connections", l.connections},
          {"think_s", distribution(l.think_s)},
          {"keepalive", l.keepalive},
          {"rate_rps", l.rate_rps},
          {"retry_s", l.retry_s}};
}
} // namespace

json run_json(const RunConfig& c)
{
  const DatabaseConfig& d = c.database;
  return {{"machine", {{"cores", c.machine.cores}, {"context_switch_s", c.machine.context_switch_s}}},
          {"app", app(c.app)},
          {"database",
           {{"cores", d.cores}, {"max_connections", d.max_connections}, {"connect_s", d.connect_s}, {"rtt_s", d.rtt_s}, {"pool", pool(d.pool)}}},
          {"load", load(c.load)},
          {"proxy",
           {{"enabled", c.proxy.enabled}, {"read_timeout_s", c.proxy.read_timeout_s}, {"upstream_keepalive", c.proxy.upstream_keepalive}}},
          {"server", server(c.server)},
          {"duration_s", c.duration_s},
          {"warmup_s", c.warmup_s},
          {"seed", c.seed}};
}

namespace {
/// The index of `name` in `names` (the inverse of the to_string tables above).
template <std::size_t N> int index_of(const char* const (&names)[N], const std::string& name, const char* what)
{
  for (std::size_t i = 0; i < N; ++i)
    if (name == names[i])
      return static_cast<int>(i);
  throw std::invalid_argument(std::string("run_from_json: unknown ") + what + " \"" + name + "\"");
}


Distribution distribution_from(const json& j)
{
  Distribution d;
  d.kind = static_cast<Distribution::Kind>(index_of(kDistributions, j.at("kind").get<std::string>(), "distribution"));
  j.at("a").get_to(d.a);
  j.at("b").get_to(d.b);
  if (j.contains("values"))
    j.at("values").get_to(d.values);
  return d;
}

AppConfig app_from(const json& j)
{
  AppConfig a;
  for (const json& e : j.at("endpoints")) {
    Endpoint ep{e.at("name").get<std::string>(), e.at("weight").get<double>(), {}};
    for (const json& s : e.at("steps"))
      ep.steps.push_back({static_cast<Step::Kind>(index_of(kSteps, s.at("kind").get<std::string>(), "step kind")), distribution_from(s.at("duration_s")),
                          s.at("blocking_driver").get<bool>()});
    a.endpoints.push_back(ep);
  }
  j.at("memory_mb").get_to(a.memory_mb);
  return a;
}

PoolConfig pool_from(const json& j)
{
  PoolConfig p;
  p.kind = static_cast<PoolConfig::Kind>(index_of(kPools, j.at("kind").get<std::string>(), "pool kind"));
  j.at("size").get_to(p.size);
  j.at("max_overflow").get_to(p.max_overflow);
  j.at("timeout_s").get_to(p.timeout_s);
  return p;
}

InterpreterConfig interpreter_from(const json& j)
{
  InterpreterConfig i;
  j.at("gil").get_to(i.gil);
  j.at("switch_interval_s").get_to(i.switch_interval_s);
  j.at("free_threaded_slowdown").get_to(i.free_threaded_slowdown);
  j.at("process_mb").get_to(i.process_mb);
  j.at("thread_mb").get_to(i.thread_mb);
  j.at("greenlet_mb").get_to(i.greenlet_mb);
  j.at("cow_dirty_fraction").get_to(i.cow_dirty_fraction);
  return i;
}

ServerConfig server_from(const json& j)
{
  ServerConfig s;
  j.at("label").get_to(s.label);
  s.worker_class = static_cast<WorkerClass>(index_of(kClasses, j.at("worker_class").get<std::string>(), "worker class"));
  j.at("workers").get_to(s.workers);
  j.at("threads").get_to(s.threads);
  j.at("worker_connections").get_to(s.worker_connections);
  j.at("backlog").get_to(s.backlog);
  j.at("timeout_s").get_to(s.timeout_s);
  j.at("keepalive_s").get_to(s.keepalive_s);
  j.at("max_requests").get_to(s.max_requests);
  j.at("max_requests_jitter").get_to(s.max_requests_jitter);
  j.at("preload_app").get_to(s.preload_app);
  j.at("boot_s").get_to(s.boot_s);
  j.at("overhead_s").get_to(s.overhead_s);
  s.pool = pool_from(j.at("pool"));
  j.at("cooperative_io").get_to(s.cooperative_io);
  j.at("monitor_thread").get_to(s.monitor_thread);
  j.at("max_blocking_time_s").get_to(s.max_blocking_time_s);
  s.interpreter = interpreter_from(j.at("interpreter"));
  return s;
}

LoadConfig load_from(const json& j)
{
  LoadConfig l;
  l.type = j.at("type") == "closed" ? LoadConfig::Type::closed : LoadConfig::Type::open;
  j.at("connections").get_to(l.connections);
  l.think_s = distribution_from(j.at("think_s"));
  j.at("keepalive").get_to(l.keepalive);
  j.at("rate_rps").get_to(l.rate_rps);
  j.at("retry_s").get_to(l.retry_s);
  return l;
}
} // namespace

RunConfig run_from_json(const json& j)
{
  RunConfig c;
  j.at("machine").at("cores").get_to(c.machine.cores);
  j.at("machine").at("context_switch_s").get_to(c.machine.context_switch_s);
  c.app           = app_from(j.at("app"));
  const json& d   = j.at("database");
  d.at("cores").get_to(c.database.cores);
  d.at("max_connections").get_to(c.database.max_connections);
  d.at("connect_s").get_to(c.database.connect_s);
  d.at("rtt_s").get_to(c.database.rtt_s);
  c.database.pool = pool_from(d.at("pool"));
  c.load          = load_from(j.at("load"));
  j.at("proxy").at("enabled").get_to(c.proxy.enabled);
  j.at("proxy").at("read_timeout_s").get_to(c.proxy.read_timeout_s);
  j.at("proxy").at("upstream_keepalive").get_to(c.proxy.upstream_keepalive);
  c.server = server_from(j.at("server"));
  j.at("duration_s").get_to(c.duration_s);
  j.at("warmup_s").get_to(c.warmup_s);
  j.at("seed").get_to(c.seed);
  return c;
}

std::string canonical(const json& j) { return j.dump(); } // nlohmann's object keys are sorted; doubles round-trip

std::string run_hash(const RunConfig& c)
{
  std::string text = std::string("gilsim ") + kGilsimVersion + "\n" + canonical(run_json(c));
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  if (!EVP_Digest(text.data(), text.size(), md.data(), &n, EVP_sha256(), nullptr))
    throw std::runtime_error("run_hash: SHA-256 failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

} // namespace gilsim
