#include "real_gunicorn.hpp"
#include "real_postgres.hpp"
#include "scenario.hpp"
#include <arpa/inet.h>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sched.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern const char* gilsim_app_py; // app/validate/gilsim_app.py, compiled in

namespace gilsim::validate {

using json = nlohmann::json;

namespace {

const char* kPython   = "/usr/bin/python3"; // Debian's: it has gunicorn, gevent, eventlet, tornado
const char* kGunicorn = "/usr/bin/gunicorn";
const char* kWrk      = "/usr/bin/wrk";

/// CPU seconds used so far by every process of process group `pgid`.
double group_cpu_s(pid_t pgid)
{
  double ticks = 0;
  DIR* d       = opendir("/proc");
  if (!d)
    return 0;
  while (dirent* e = readdir(d)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0])))
      continue;
    std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(f, line))
      continue;
    auto close_paren = line.rfind(')');
    if (close_paren == std::string::npos)
      continue;
    std::istringstream rest(line.substr(close_paren + 2));
    std::string field;
    std::vector<std::string> fields;
    while (rest >> field)
      fields.push_back(field);
    // fields[0] is the state (stat field 3): pgrp is field 5, utime 14, stime 15
    if (fields.size() > 12 && std::stol(fields[2]) == pgid)
      ticks += std::stod(fields[11]) + std::stod(fields[12]);
  }
  closedir(d);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double to_ms(double v, const std::string& unit)
{
  if (unit == "us")
    return v / 1000;
  if (unit == "s")
    return v * 1000;
  if (unit == "m")
    return v * 60000;
  return v;
}

json distribution_ms(const Distribution& d)
{
  switch (d.kind) {
    case Distribution::Kind::constant: return {{"dist", "constant"}, {"value", d.a * 1000}};
    case Distribution::Kind::exponential: return {{"dist", "exponential"}, {"mean", d.a * 1000}};
    case Distribution::Kind::uniform: return {{"dist", "uniform"}, {"min", d.a * 1000}, {"max", d.b * 1000}};
    case Distribution::Kind::lognormal: return {{"dist", "lognormal"}, {"mean", d.a * 1000}, {"sigma", d.b}};
    case Distribution::Kind::empirical: {
      json v = json::array();
      for (double x : d.values)
        v.push_back(x * 1000);
      return {{"dist", "empirical"}, {"values", v}};
    }
  }
  return {};
}

} // namespace

pid_t spawn(const std::vector<std::string>& argv, const std::vector<int>& cores, const std::vector<std::string>& env,
            int out_fd, int err_fd)
{
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cores)
      CPU_SET(c, &set);
    sched_setaffinity(0, sizeof set, &set);
    for (const auto& e : env)
      putenv(const_cast<char*>(e.c_str()));
    if (out_fd >= 0)
      dup2(out_fd, STDOUT_FILENO);
    if (err_fd >= 0)
      dup2(err_fd, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

std::string capture(const std::vector<std::string>& argv, const std::vector<int>& cores,
                    const std::vector<std::string>& env)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) // the write end reaches the child only as its stdout: a daemon it starts must not hold it open
    throw std::runtime_error("pipe failed");
  pid_t pid = spawn(argv, cores, env, fds[1]);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
  return out;
}

int connect_loopback(int port, double timeout_s)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  double whole = std::floor(timeout_s);
  timeval tv{static_cast<time_t>(whole), static_cast<suseconds_t>((timeout_s - whole) * 1e6)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family      = AF_INET;
  a.sin_port        = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool listening(int port)
{
  int fd = connect_loopback(port, 1);
  if (fd >= 0)
    close(fd);
  return fd >= 0;
}

bool drained(int port, double timeout_s)
{
  int fd = connect_loopback(port, timeout_s);
  if (fd < 0)
    return false;
  const std::string req = "GET / HTTP/1.1\r\nHost: gilsim\r\nConnection: close\r\n\r\n";
  char buf[256];
  bool ok = send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()) && recv(fd, buf, sizeof buf, 0) > 0;
  close(fd);
  return ok;
}

std::vector<std::string> missing_tools()
{
  std::vector<std::string> missing;
  for (const char* t : {kPython, kGunicorn, kWrk})
    if (access(t, X_OK) != 0)
      missing.push_back(t);
  if (missing.empty()) {
    try {
      capture({kPython, "-c", "import gevent, eventlet, tornado, uvicorn"}, {0});
    } catch (const std::exception&) {
      missing.push_back("python3-gevent python3-eventlet python3-tornado python3-uvicorn");
    }
  }
  return missing;
}

/// The files a run serves, in `s.workdir`.
std::string endpoints_file(const Setup& s)
{
  return s.workdir + (s.serve == Setup::Serve::empty ? "/empty.json" : s.serve == Setup::Serve::query ? "/query.json" : "/endpoints.json");
}
std::string scenario_file(const Setup& s)
{
  return s.workdir + (s.serve == Setup::Serve::empty ? "/empty-scenario.json" : "/scenario.json");
}

void prepare(Setup& s, const AppConfig& app, const json& doc)
{
  std::ofstream(s.workdir + "/gilsim_app.py") << gilsim_app_py;
  json eps = json::array();
  for (const auto& e : app.endpoints) {
    json steps = json::array();
    for (const auto& st : e.steps) {
      const char* kind = st.kind == Step::Kind::cpu           ? "cpu"
                         : st.kind == Step::Kind::io          ? "io"
                         : st.kind == Step::Kind::blocking_io ? "blocking_io"
                                                              : "db";
      steps.push_back({{"kind", kind}, {"duration", distribution_ms(st.duration_s)}});
    }
    eps.push_back({{"name", e.name}, {"weight", e.weight}, {"steps", steps}});
  }
  std::ofstream(s.workdir + "/endpoints.json") << eps.dump();
  json empty = json::array({{{"name", "empty"}, {"weight", 1}, {"steps", json::array()}}});
  std::ofstream(s.workdir + "/empty.json") << empty.dump();
  json query = json::array({{{"name", "query"}, {"weight", 1}, {"steps", json::array({{{"kind", "db"}, {"duration", {{"dist", "constant"}, {"value", 0}}}}})}}});
  std::ofstream(s.workdir + "/query.json") << query.dump();
  if (s.target == Setup::Target::server) {
    json probe            = doc;
    probe["app"]["endpoints"] = empty;
    std::ofstream(s.workdir + "/scenario.json") << doc.dump();
    std::ofstream(s.workdir + "/empty-scenario.json") << probe.dump();
  }
}

double calibrate_loops(const Setup& s)
{
  double best = 0;
  for (int i = 0; i < 3; ++i)
    best = std::max(best, std::stod(capture({kPython, s.workdir + "/gilsim_app.py"}, {s.server_cores[0]})));
  return best;
}

Measured parse_wrk(const std::string& report)
{
  Measured m;
  std::smatch g;
  std::regex rps(R"(Requests/sec:\s+([0-9.]+))"), total(R"((\d+) requests in)"),
      avg(R"(Latency\s+([0-9.]+)(us|ms|s|m)\s)"), pct(R"(\s(50|90|99)%\s+([0-9.]+)(us|ms|s|m))"),
      sock(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))"), non2xx(R"(Non-2xx or 3xx responses: (\d+))");
  if (!std::regex_search(report, g, rps))
    throw std::runtime_error("wrk printed no Requests/sec:\n" + report);
  m.throughput_rps = std::stod(g[1]);
  if (std::regex_search(report, g, total))
    m.requests = std::stol(g[1]);
  if (std::regex_search(report, g, avg))
    m.latency_mean_ms = to_ms(std::stod(g[1]), g[2]);
  for (auto it = std::sregex_iterator(report.begin(), report.end(), pct); it != std::sregex_iterator(); ++it) {
    double v = to_ms(std::stod((*it)[2]), (*it)[3]);
    int p    = std::stoi((*it)[1]);
    (p == 50 ? m.p50_ms : p == 90 ? m.p90_ms : m.p99_ms) = v;
  }
  if (std::regex_search(report, g, sock))
    m.errors += std::stol(g[1]) + std::stol(g[2]) + std::stol(g[3]) + std::stol(g[4]);
  if (std::regex_search(report, g, non2xx))
    m.errors += std::stol(g[1]);
  return m;
}

std::vector<std::string> gunicorn_command(const Setup& s, const ServerConfig& c, int port)
{
  if (!c.interpreter.gil)
    throw InputError(c.label + ": free-threaded CPython is not installed here; it cannot be validated");
  std::vector<std::string> argv = {kGunicorn, "--chdir", s.workdir, "--bind", "127.0.0.1:" + std::to_string(port),
                                   "--workers", std::to_string(c.workers), "--backlog", std::to_string(c.backlog),
                                   "--timeout", std::to_string(static_cast<int>(std::ceil(c.timeout_s))),
                                   "--keep-alive", std::to_string(static_cast<int>(std::ceil(c.keepalive_s))),
                                   "--max-requests", std::to_string(c.max_requests), "--max-requests-jitter",
                                   std::to_string(c.max_requests_jitter), "--log-level", "error"};
  std::string module = "gilsim_app:app";
  switch (c.worker_class) {
    case WorkerClass::sync: argv.insert(argv.end(), {"--worker-class", "sync"}); break;
    case WorkerClass::gthread:
      argv.insert(argv.end(), {"--worker-class", "gthread", "--threads", std::to_string(c.threads),
                               "--worker-connections", std::to_string(c.worker_connections)});
      break;
    case WorkerClass::gevent:
    case WorkerClass::eventlet:
      argv.insert(argv.end(), {"--worker-class", to_string(c.worker_class), "--worker-connections",
                               std::to_string(c.worker_connections)});
      break;
    case WorkerClass::tornado: argv.insert(argv.end(), {"--worker-class", "tornado"}); break;
    case WorkerClass::uvicorn:
      argv.insert(argv.end(), {"--worker-class", "uvicorn.workers.UvicornWorker"});
      module = "gilsim_app:asgi_app";
      break;
  }
  if (c.preload_app)
    argv.push_back("--preload");
  argv.push_back(module);
  return argv;
}

Measured run(const Setup& s, const ServerConfig& c, int connections, double warmup_s, double seconds)
{
  // a new port for every server: the previous one may still be going away
  static int runs = 0;
  const int port  = s.port + (runs++ % 500);
  std::vector<std::string> argv =
      s.target == Setup::Target::gunicorn
          ? gunicorn_command(s, c, port)
          : std::vector<std::string>{s.server_bin, scenario_file(s), "--server", std::to_string(s.server_index), "--port",
                                     std::to_string(port)};
  std::ostringstream loops, interval, blocking;
  loops << s.loops_per_ms;
  interval << c.interpreter.switch_interval_s;
  blocking << c.max_blocking_time_s;
  std::vector<std::string> env = {"GILSIM_ENDPOINTS=" + endpoints_file(s), "GILSIM_LOOPS_PER_MS=" + loops.str(),
                                  "GILSIM_SWITCH_INTERVAL=" + interval.str()};
  std::string speed_dir = s.workdir + "/speed";
  std::filesystem::remove_all(speed_dir);
  std::filesystem::create_directories(speed_dir);
  env.push_back("GILSIM_SPEED_DIR=" + speed_dir);
  if (!c.cooperative_io)
    env.push_back("GILSIM_IO_BLOCKS=1");
  if (c.monitor_thread)
    env.insert(env.end(), {"GEVENT_MONITOR_THREAD_ENABLE=true", "GEVENT_MAX_BLOCKING_TIME=" + blocking.str()});
  env.push_back("GILSIM_WORKER_CLASS=" + std::string(to_string(c.worker_class)));
  if (!s.trace_dir.empty()) {
    std::ostringstream secs, offset;
    secs << s.trace_seconds;
    offset << s.trace_offset_s;
    env.insert(env.end(), {"GILSIM_TRACE_DIR=" + s.trace_dir, "GILSIM_TRACE_SECONDS=" + secs.str(), "GILSIM_TRACE_OFFSET=" + offset.str()});
  }
  // `db` steps: SQLAlchemy's pool per process, PgBouncer shared by all, or a connection per query
  struct Bouncer {
    RealDatabase* db = nullptr;
    ~Bouncer()
    {
      if (db)
        db->stop_bouncer();
    }
  } bouncer;
  if (s.db && s.serve != Setup::Serve::empty) {
    const PoolConfig& pc = c.pool;
    if (s.db_blocking_driver)
      env.push_back("GILSIM_DB_GREEN=0"); // psycopg2 without psycogreen: the hub cannot switch away from a query
    std::string url = s.db->url();
    std::ostringstream timeout;
    timeout << pc.timeout_s;
    if (pc.kind == PoolConfig::Kind::shared) {
      url        = s.db->start_bouncer(port + 1000, pc.size, pc.timeout_s);
      bouncer.db = s.db;
    }
    env.insert(env.end(), {"GILSIM_DB_DSN=" + url,
                           std::string("GILSIM_DB_POOL=") + (pc.kind == PoolConfig::Kind::per_process ? "per_process"
                                                              : pc.kind == PoolConfig::Kind::shared    ? "shared"
                                                                                                       : "none"),
                           "GILSIM_POOL_SIZE=" + std::to_string(pc.size), "GILSIM_MAX_OVERFLOW=" + std::to_string(pc.max_overflow),
                           "GILSIM_POOL_TIMEOUT=" + timeout.str()});
  }

  std::string log = s.workdir + "/gunicorn.log";
  int log_fd      = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_t server    = spawn(argv, s.server_cores, env, log_fd, log_fd);
  close(log_fd);
  auto stop    = [&] {
    kill(-server, SIGINT);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(server, nullptr, WNOHANG) == server)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(-server, SIGKILL);
    waitpid(server, nullptr, WNOHANG);
  };
  auto up_by = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!listening(port)) {
    if (std::chrono::steady_clock::now() > up_by || waitpid(server, nullptr, WNOHANG) == server) {
      stop();
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      throw std::runtime_error(c.label + ": gunicorn did not start listening on port " + std::to_string(port) + ":\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto wrk        = [&](double secs) {
    return capture({kWrk, "-t1", "-c" + std::to_string(connections), "-d" + std::to_string(static_cast<int>(std::ceil(secs))) + "s",
                    "--latency", "--timeout", "60s", url},
                   s.load_cores);
  };
  Measured m;
  try {
    if (warmup_s > 0) {
      wrk(warmup_s);
      // wrk leaves requests behind on the connections it closed; a server that
      // serves one request at a time (sync, tornado) would spend the measured
      // run on them. One more request, answered once they are through.
      drained(port, 120);
    }
    double cpu0 = group_cpu_s(server);
    auto t0     = std::chrono::steady_clock::now();
    // the real timelines start once wrk has connected
    std::thread start_trace;
    if (!s.trace_dir.empty())
      start_trace = std::thread([server] {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        kill(-server, SIGUSR1);
      });
    struct Join {
      std::thread& t;
      ~Join()
      {
        if (t.joinable())
          t.join();
      }
    } join{start_trace};
    m = parse_wrk(wrk(seconds));
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.cpu_s           = group_cpu_s(server) - cpu0;
    m.cpu_utilization = m.cpu_s / (wall * static_cast<double>(s.server_cores.size()));
  } catch (const std::exception& e) {
    stop();
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw std::runtime_error(c.label + ": " + e.what() + "\ngunicorn's log:\n" + text);
  }
  stop();
  double spun = 0, spun_s = 0;
  for (const auto& f : std::filesystem::directory_iterator(speed_dir)) {
    std::ifstream in(f.path());
    double l = 0, t = 0;
    if (in >> l >> t) {
      spun += l;
      spun_s += t;
    }
  }
  m.loops_per_ms = spun_s > 0 ? spun / (spun_s * 1000) : 0;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find("WORKER TIMEOUT") != std::string::npos)
      ++m.worker_kills;
  return m;
}

} // namespace gilsim::validate
