#include "run_data.hpp"
#include <openssl/evp.h>
#include <array>
#include <stdexcept>

namespace gilsim {

const char* const kGilsimVersion = GILSIM_VERSION;

namespace {
using json = nlohmann::json;

const char* to_string(Distribution::Kind k)
{
  static const char* names[] = {"constant", "exponential", "uniform", "lognormal", "empirical"};
  return names[static_cast<int>(k)];
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
  static const char* names[] = {"cpu", "io", "blocking_io", "db"};
  return names[static_cast<int>(k)];
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
  static const char* kinds[] = {"per_process", "shared", "none"};
  return {{"kind", kinds[static_cast<int>(p.kind)]}, {"size", p.size}, {"max_overflow", p.max_overflow}, {"timeout_s", p.timeout_s}};
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
