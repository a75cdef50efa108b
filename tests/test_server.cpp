// gilsim-server, the real mini-server: it serves, refuses bad requests with
// the right status, survives a killed worker, kills a stuck one, and stops
// cleanly on SIGTERM leaving no process behind.
#include "app/validate/real_gunicorn.hpp"
#include <algorithm>
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/// A connection to 127.0.0.1:`port` that has sent `bytes` (-1 if refused);
/// receives time out after `wait_ms`.
int client(int port, const std::string& bytes, int wait_ms = 5000)
{
  int fd = gilsim::validate::connect_loopback(port, wait_ms / 1000.0);
  if (fd >= 0)
    send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  return fd;
}

struct Server {
  pid_t pid = -1;
  int port;
  std::string log;
  /// `nofile` > 0: the server runs with at most that many file descriptors per process.
  Server(const std::string& scenario, int port, std::vector<std::string> extra = {}, rlim_t nofile = 0) : port(port)
  {
    log = "/tmp/gilsim-server-test-" + std::to_string(getpid()) + "-" + std::to_string(port) + ".log";
    std::vector<std::string> args = {GILSIM_SERVER_BIN, scenario, "--port", std::to_string(port)};
    args.insert(args.end(), extra.begin(), extra.end());
    pid = fork();
    if (pid == 0) {
      FILE* f = freopen(log.c_str(), "w", stderr);
      (void)f;
      rlimit lim{nofile, nofile};
      if (nofile > 0)
        setrlimit(RLIMIT_NOFILE, &lim);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    // ready when it answers; a malformed request costs the server no work
    for (int i = 0; i < 100 && request("PROBE\r\n\r\n", 200).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~Server()
  {
    if (pid > 0) {
      kill(pid, SIGTERM);
      for (int i = 0; i < 100 && waitpid(pid, nullptr, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    std::remove(log.c_str());
  }
  /// Sends raw bytes, returns the status line of the answer ("" if none).
  std::string request(const std::string& raw, int wait_ms = 5000) const
  {
    std::string out;
    int fd = client(port, raw, wait_ms);
    if (fd >= 0) {
      char buf[512];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0)
        out.assign(buf, static_cast<std::size_t>(n));
      close(fd);
    }
    return out.substr(0, out.find("\r\n"));
  }
  std::vector<pid_t> children() const
  {
    std::vector<pid_t> kids;
    DIR* d = opendir("/proc");
    while (dirent* e = readdir(d)) {
      std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
      std::string line;
      if (!std::isdigit(static_cast<unsigned char>(e->d_name[0])) || !std::getline(f, line))
        continue;
      std::istringstream rest(line.substr(line.rfind(')') + 2));
      std::string state;
      long ppid = 0;
      rest >> state >> ppid;
      if (ppid == pid && state != "Z")
        kids.push_back(std::stoi(e->d_name));
    }
    closedir(d);
    return kids;
  }
  /// The workers, once there are `n` of them and `gone` is not one (the
  /// arbiter forks them one by one; at most 5 s).
  std::vector<pid_t> workers(std::size_t n, pid_t gone = 0) const
  {
    auto ready = [&](const std::vector<pid_t>& k) { return k.size() == n && std::find(k.begin(), k.end(), gone) == k.end(); };
    auto kids  = children();
    for (int i = 0; i < 50 && !ready(kids); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kids = children();
    }
    return kids;
  }
  std::string log_text() const
  {
    std::ifstream f(log);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }
};

const std::string kGet = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

} // namespace

TEST_CASE("gilsim-server serves requests and refuses bad ones with 400 405 and 431")
{
  Server s("validate-io-bound", 18700 + getpid() % 100, {"--server", "1"});
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
  CHECK(s.request("BLAH\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(s.request("GET / HTTP/9.9\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(s.request("POST / HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed");
  CHECK(s.request("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n") ==
        "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK"); // still serving
}

namespace {
/// Kills one worker (it must be replaced), then stops the server with SIGTERM
/// (it must exit 0 and leave no worker behind).
void survive_kill_then_stop(const std::string& server_index, std::size_t workers, int port)
{
  Server s("validate-cpu-bound", port, {"--server", server_index});
  auto kids = s.workers(workers);
  REQUIRE(kids.size() == workers);
  kill(kids[0], SIGKILL);
  CHECK(s.workers(workers, kids[0]).size() == workers); // replaced
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
  auto now = s.children();
  kill(s.pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100 && waitpid(s.pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  for (pid_t k : now)
    CHECK(kill(k, 0) != 0); // gone
  s.pid = -1;
}
} // namespace

TEST_CASE("a killed worker is replaced and SIGTERM leaves no process behind")
{
  survive_kill_then_stop("1", 3, 18800 + getpid() % 100); // sync, 3 workers
}

TEST_CASE("green mode: a killed worker is replaced and SIGTERM leaves no process behind")
{
  survive_kill_then_stop("3", 1, 19500 + getpid() % 100); // gevent, 1 worker
}

TEST_CASE("a sync worker stuck in a request longer than timeout is killed by the arbiter")
{
  Server s("effect-timeout-cpu", 18900 + getpid() % 100, {"--server", "0", "--set", "servers[0].timeout_s=1"});
  s.request(kGet, 3000); // 5 s of CPU: the worker is killed first, the connection dropped
  CHECK(s.log_text().find("WORKER TIMEOUT") != std::string::npos);
  CHECK(s.request(kGet, 300).empty()); // a new worker takes the next 5 s request, the client gives up at 0.3 s
}

namespace {

long rss_kb(pid_t pid)
{
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

} // namespace

TEST_CASE("green mode serves requests and refuses bad ones with 400 405 and 431")
{
  Server s("validate-io-bound", 19000 + getpid() % 100, {"--server", "2"}); // gevent, 1 worker
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
  CHECK(s.request("BLAH\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(s.request("POST / HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed");
  CHECK(s.request("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n") ==
        "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
}

TEST_CASE("green mode: memory stays bounded under hundreds of stalled and oversized requests")
{
  Server s("validate-io-bound", 19200 + getpid() % 100, {"--server", "2"});
  auto kids = s.workers(1);
  REQUIRE(kids.size() == 1);
  long before = rss_kb(kids[0]);
  std::vector<int> stalled;
  for (int i = 0; i < 400; ++i) // each holds a greenlet and an almost full header buffer
    stalled.push_back(client(s.port, "GET / HTTP/1.1\r\nX: " + std::string(8000, 'a')));
  for (int i = 0; i < 100; ++i)
    s.request("GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n", 2000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long during = rss_kb(kids[0]);
  INFO("worker RSS " << before << " kB before, " << during << " kB with 400 stalled connections");
  CHECK(before > 0);
  CHECK(during - before < 64 * 1024); // ~30 kB per connection at most: stack pages and a head buffer
  CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
  CHECK(s.children() == kids); // the same worker, alive
  for (int fd : stalled)
    close(fd);
}

TEST_CASE("green mode: a long CPU step blocks the hub and the worker is killed but a long cooperative I/O step does not")
{
  {
    Server s("effect-timeout-cpu", 19300 + getpid() % 100, {"--server", "2", "--set", "servers[2].timeout_s=1"});
    s.request(kGet, 3000);
    CHECK(s.log_text().find("WORKER TIMEOUT") != std::string::npos);
  }
  {
    Server s("effect-timeout-io", 19400 + getpid() % 100,
             {"--server", "2", "--set", "servers[2].timeout_s=2", "--set", "app.endpoints[0].steps[0].io_ms=3500"});
    CHECK(s.request(kGet, 6000) == "HTTP/1.1 200 OK"); // the heartbeat (every 1 s, as gevent's) goes on meanwhile
    CHECK(s.log_text().find("WORKER TIMEOUT") == std::string::npos);
  }
}

namespace {

/// What the server sends on `fd` until it closes or is quiet for `wait_ms`.
std::string read_all(int fd, int wait_ms, bool& closed)
{
  std::string out;
  char buf[4096];
  closed = false;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0)
      return out;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

/// The status lines in a stream of responses.
std::vector<std::string> status_lines(const std::string& text)
{
  std::vector<std::string> out;
  for (std::size_t at = text.find("HTTP/1.1 "); at != std::string::npos; at = text.find("HTTP/1.1 ", at + 1))
    if (at == 0 || text[at - 1] == '\n')
      out.push_back(text.substr(at, text.find("\r\n", at) - at));
  return out;
}

// Four requests in one packet: a body by length, a chunked one, a HEAD, and a
// POST the app refuses (405, and the connection closes).
const std::string kPipelined = "GET /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                               "GET /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                               "HEAD /3 HTTP/1.1\r\nHost: x\r\n\r\n"
                               "POST /4 HTTP/1.1\r\nHost: x\r\n\r\n";

/// Sends kPipelined in one packet; the status lines answered, and whether the server closed within 5 s.
std::vector<std::string> pipelined(const Server& s, bool& closed)
{
  int fd            = client(s.port, kPipelined);
  std::string reply = read_all(fd, 5000, closed);
  close(fd);
  return status_lines(reply);
}

} // namespace

TEST_CASE("pipelined requests in one packet are answered in order in gthread and green modes")
{
  for (const char* mode : {"gthread", "gevent", "eventlet", "tornado", "uvicorn"}) {
    INFO(mode);
    std::vector<std::string> args = {"--server", "1"}; // gthread 16 threads
    if (std::string(mode) != "gthread")
      args = {"--server", "2", "--set", std::string("servers[2].worker_class=\"") + mode + "\""};
    Server s("validate-io-bound", 19600 + getpid() % 100, args);
    bool closed = false;
    auto statuses = pipelined(s, closed);
    CHECK(statuses == std::vector<std::string>{"HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
                                               "HTTP/1.1 405 Method Not Allowed"});
    CHECK(closed); // after the 405, at once: no wait for a keep-alive timeout
  }
}

TEST_CASE("sync mode answers the first of pipelined requests and closes, as Gunicorn's sync worker does")
{
  // gunicorn/workers/sync.py: one request per connection (resp.force_close()); the client sees
  // Connection: close at once and sends the rest again on a new connection.
  Server s("validate-io-bound", 19700 + getpid() % 100, {"--server", "0"});
  bool closed = false;
  auto statuses = pipelined(s, closed);
  CHECK(statuses == std::vector<std::string>{"HTTP/1.1 200 OK"});
  CHECK(closed);
}

TEST_CASE("over the wire: bodies are read, bad framing gets 400, 413 or 501, a control byte in the target 400")
{
  Server s("validate-io-bound", 19800 + getpid() % 100, {"--server", "1"}); // gthread
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx") ==
        "HTTP/1.1 400 Bad Request");
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br\r\n\r\n") == "HTTP/1.1 501 Not Implemented");
  CHECK(s.request(std::string("GET /a") + '\0' + "b HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 400 Bad Request");
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == "HTTP/1.1 400 Bad Request");
  // a body past the limit: 413 arrives although the client is still sending (the close drains first)
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" + std::string(50000, 'a')) ==
        "HTTP/1.1 413 Content Too Large");
  CHECK(s.request("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc") == "HTTP/1.1 200 OK");
  int fd = client(s.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  bool closed = false;
  std::string first = read_all(fd, 1000, closed); // 100 Continue, before the body is sent
  send(fd, "abc", 3, MSG_NOSIGNAL);
  std::string rest = read_all(fd, 5000, closed);
  close(fd);
  CHECK(status_lines(first + rest) == std::vector<std::string>{"HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"});
}

namespace {

double cpu_s(pid_t pid)
{
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i >= 14)
      ticks += std::stod(field); // utime, stime
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace

TEST_CASE("green mode out of file descriptors: accepting pauses (10 ms doubling to 1 s, as gevent's server), open connections are served, it is logged")
{
  Server s("validate-io-bound", 19900 + getpid() % 100, {"--server", "2"}, 40); // gevent, at most 40 descriptors
  auto kids = s.workers(1);
  REQUIRE(kids.size() == 1);
  std::vector<int> held;
  for (int i = 0; i < 60; ++i) // more than the worker can accept: it runs out of descriptors
    held.push_back(client(s.port, ""));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  double cpu_before = cpu_s(kids[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  double cpu_used = cpu_s(kids[0]) - cpu_before;
  INFO("worker CPU over 1 s while out of descriptors: " << cpu_used << " s");
  CHECK(cpu_used < 0.3); // no spinning on the listener
  CHECK(s.log_text().find("Too many open files") != std::string::npos);
  send(held[0], kGet.data(), kGet.size(), MSG_NOSIGNAL); // accepted before the limit: still served
  bool closed = false;
  CHECK(status_lines(read_all(held[0], 5000, closed)) == std::vector<std::string>{"HTTP/1.1 200 OK"});
  for (int fd : held)
    close(fd);
  std::string status;
  for (int i = 0; i < 10 && status.empty(); ++i) // descriptors free again: accepting resumes within the pause
    status = s.request(kGet, 1000);
  CHECK(status == "HTTP/1.1 200 OK");
  CHECK(s.children() == kids); // the same worker, alive
}

namespace {

/// 200 clients send half a head and stall (slowloris); then a whole request
/// gets `wait_ms` to be answered. Returns its status line ("" if starved),
/// and checks that serving resumes once the slow clients leave.
std::string under_slowloris(const Server& s, int wait_ms)
{
  std::vector<int> slow;
  for (int i = 0; i < 200; ++i)
    slow.push_back(client(s.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string status = s.request(kGet, wait_ms);
  for (int fd : slow)
    close(fd);
  std::string after;
  for (int i = 0; i < 10 && after.empty(); ++i)
    after = s.request(kGet, 1000);
  CHECK(after == "HTTP/1.1 200 OK");
  return status;
}

} // namespace

TEST_CASE("slowloris: sync and gthread starve under 200 slow clients, as Gunicorn's do")
{
  // Gunicorn's sync worker reads a head on its only thread, gthread's pool
  // threads each read one (gunicorn/workers/sync.py, gthread.py): 200 stalled
  // heads hold every worker and thread until their receive timeout (10 s here).
  for (const char* server : {"0", "1"}) { // sync 4 workers, gthread 16 threads
    INFO("server " << server);
    Server s("validate-io-bound", 20000 + getpid() % 100, {"--server", server});
    CHECK(s.request(kGet) == "HTTP/1.1 200 OK");
    CHECK(under_slowloris(s, 1500).empty());
  }
}

TEST_CASE("slowloris: green modes keep serving under 200 slow clients, as gevent, eventlet, tornado and uvicorn do")
{
  // each connection waits on the hub, not on a thread (gunicorn/workers/ggevent.py, geventlet.py, gtornado.py; uvicorn's asyncio loop)
  for (const char* mode : {"gevent", "eventlet", "tornado", "uvicorn"}) {
    INFO(mode);
    Server s("validate-io-bound", 20100 + getpid() % 100,
             {"--server", "2", "--set", std::string("servers[2].worker_class=\"") + mode + "\""});
    auto t0 = std::chrono::steady_clock::now();
    CHECK(under_slowloris(s, 5000) == "HTTP/1.1 200 OK");
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 4.0);
  }
}

namespace {
/// gilsim-server's exit status for `args`, run to its end (-1: killed by a signal).
int exit_status(std::vector<std::string> args)
{
  args.insert(args.begin(), GILSIM_SERVER_BIN);
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen("/dev/null", "w", stderr);
    (void)f;
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
} // namespace

// gilsim-server parses only through the shared loader, which refuses such depth.
TEST_CASE("gilsim-server refuses a scenario nested 100 000 deep, in the file or in a --set, with exit 2")
{
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string path        = "/tmp/gilsim-server-deep-" + std::to_string(getpid()) + ".json";
  for (const std::string& doc : {deep, "{\"description\": " + deep + "}"}) {
    std::ofstream(path) << doc;
    CHECK(exit_status({path, "--port", "29999"}) == 2);
  }
  std::remove(path.c_str());
  std::string value = std::string(60000, '[') + std::string(60000, ']'); // one argument is at most 128 kB
  CHECK(exit_status({"validate-io-bound", "--port", "29999", "--set", "app.endpoints[0].steps=" + value}) == 2);
}
