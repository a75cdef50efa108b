// gilsim-server, the real mini-server: it serves, refuses bad requests with
// the right status, survives a killed worker, kills a stuck one, and stops
// cleanly on SIGTERM leaving no process behind.
#include "app/validate/real_gunicorn.hpp"
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <netinet/in.h>
#include <string>
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
  Server(const std::string& scenario, int port, std::vector<std::string> extra = {}) : port(port)
  {
    log = "/tmp/gilsim-server-test-" + std::to_string(getpid()) + "-" + std::to_string(port) + ".log";
    std::vector<std::string> args = {GILSIM_SERVER_BIN, scenario, "--port", std::to_string(port)};
    args.insert(args.end(), extra.begin(), extra.end());
    pid = fork();
    if (pid == 0) {
      FILE* f = freopen(log.c_str(), "w", stderr);
      (void)f;
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
  auto kids = s.children();
  REQUIRE(kids.size() == workers);
  kill(kids[0], SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(s.children().size() == workers);
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

double seconds_for(const Server& s, const std::string& raw, std::string& status)
{
  auto t0 = std::chrono::steady_clock::now();
  status  = s.request(raw, 5000);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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

TEST_CASE("green mode: clients that send half a request and stall do not stop others being served")
{
  Server s("validate-io-bound", 19100 + getpid() % 100, {"--server", "2"}); // gevent, 1 worker: one hub for all
  std::vector<int> stalled;
  for (int i = 0; i < 50; ++i)
    stalled.push_back(client(s.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (int i = 0; i < 5; ++i) {
    std::string status;
    double t = seconds_for(s, kGet, status);
    CHECK(status == "HTTP/1.1 200 OK");
    CHECK(t < 1.0); // about 50 ms of I/O; a blocked hub would wait for the stalled heads' 10 s timeout
  }
  for (int fd : stalled)
    close(fd);
}

TEST_CASE("green mode: memory stays bounded under hundreds of stalled and oversized requests")
{
  Server s("validate-io-bound", 19200 + getpid() % 100, {"--server", "2"});
  auto kids = s.children();
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
