// Simulation speed: simulated requests per wall-clock second, one simulation at
// a time (one core), on the default comparison and on a 10,000-connection
// gevent scenario. The machine is shared and its speed drifts, so each round
// also measures TOOLCHAIN.md's reference design and the figure is reported
// raw and scaled to the machine TOOLCHAIN.md measured. Target: >= 200,000
// req/s on the default.
//   build/bench/bench_speed [--repeat N]   (rounds, default 5)
#include "report.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include <simgrid/s4u.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <deque>
#include <vector>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace gilsim;
using json = nlohmann::json;

namespace {

struct Figure {
  double requests = 0, wall_s = 0, cpu_s = 0;
};

/// CPU seconds (user + system) used so far by this process's finished children.
double children_cpu_s()
{
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

Figure measure(const Scenario& sc, int repeat)
{
  Figure f;
  for (std::size_t s = 0; s < sc.servers.size(); ++s) {
    RunConfig c    = sc.run(s, 0);
    double best = 1e300, best_cpu = 1e300;
    double requests = 0;
    for (int k = 0; k < repeat; ++k) {
      double cpu0 = children_cpu_s();
      auto t0     = std::chrono::steady_clock::now();
      auto r      = run_all({c}, 1);
      double dt   = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best        = std::min(best, dt);
      best_cpu    = std::min(best_cpu, children_cpu_s() - cpu0);
      requests    = static_cast<double>(r[0].simulated_requests);
    }
    f.requests += requests;
    f.wall_s += best;
    f.cpu_s += best_cpu;
    std::printf("  %-44s %9.0f requests %7.3f s (CPU %.3f s) %9.0f req/s\n",
                (sc.name.substr(0, 20) + " / " + sc.servers[s].label).c_str(), requests, best, best_cpu, requests / best);
  }
  return f;
}

/// This machine's speed, measured the way TOOLCHAIN.md measured its reference
/// table: M/M/2, 200,000 requests, two long-lived workers pulling from a deque
/// under an s4u condition variable, exec_init(flops)->wait() (315,000 req/s
/// there). Run in a child: one SimGrid engine per process.
double reference_rate()
{
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    namespace sg4 = simgrid::s4u;
    int argc = 1;
    char name[] = "ref";
    char* argv[] = {name, nullptr};
    sg4::Engine e(&argc, argv);
    xbt_log_control_set("root.thresh:critical");
    auto* z = sg4::create_full_zone("world");
    auto* h = z->create_host("m", 1e9)->set_core_count(2)->seal();
    z->seal();
    static std::deque<double> q;
    static auto m  = sg4::Mutex::create();
    static auto cv = sg4::ConditionVariable::create();
    static int done = 0;
    constexpr int N = 200000;
    sg4::Actor::create("arrivals", h, [] {
      Rng rng = make_stream(1, 0);
      Distribution gap{Distribution::Kind::exponential, 1.0 / 160, 0, {}}, work{Distribution::Kind::exponential, 0.01, 0, {}};
      for (int i = 0; i < N; i++) {
        sg4::this_actor::sleep_for(gap.sample(rng));
        std::unique_lock<sg4::Mutex> l(*m);
        q.push_back(work.sample(rng));
        cv->notify_one();
      }
    });
    for (int w = 0; w < 2; w++)
      sg4::Actor::create("worker", h, [] {
        for (;;) {
          double x;
          {
            std::unique_lock<sg4::Mutex> l(*m);
            while (q.empty())
              cv->wait(l);
            x = q.front();
            q.pop_front();
          }
          sg4::this_actor::exec_init(x * 1e9)->wait();
          if (++done == N) {
            sg4::Actor::kill_all();
            return;
          }
        }
      });
    auto t0     = std::chrono::steady_clock::now();
    e.run();
    double rate = N / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (write(fds[1], &rate, sizeof rate) != sizeof rate)
      _exit(1);
    _exit(0);
  }
  close(fds[1]);
  double rate = 0;
  if (read(fds[0], &rate, sizeof rate) != sizeof rate)
    rate = 0;
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return rate;
}

} // namespace

int main(int argc, char** argv)
{
  int repeat = 5;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--repeat") == 0)
      repeat = std::max(1, std::atoi(argv[i + 1]));
  std::vector<Scenario> defaults;
  for (const char* name : {"default-cpu-bound", "default-io-bound", "default-mixed"}) {
    std::string source;
    defaults.push_back(load_scenario(load_document(name, source), source));
  }
  // Each round: the machine reference, then every simulation of the default
  // comparison once. The machine is shared: its speed drifts between rounds,
  // so each round's figure is also scaled by its own reference.
  std::vector<double> raw, scaled, per_cpu;
  for (int k = 0; k < repeat; ++k) {
    double ref = reference_rate();
    Figure total;
    std::printf("round %d:\n", k + 1);
    for (const auto& sc : defaults) {
      Figure f = measure(sc, 1);
      total.requests += f.requests;
      total.wall_s += f.wall_s;
      total.cpu_s += f.cpu_s;
    }
    double rate = total.requests / total.wall_s;
    raw.push_back(rate);
    per_cpu.push_back(total.requests / total.cpu_s);
    scaled.push_back(rate * 315000 / ref);
    std::printf("  default comparison %.0f req/s; machine reference %.0f req/s (315,000 where TOOLCHAIN.md was measured)\n",
                rate, ref);
  }
  std::sort(raw.begin(), raw.end());
  std::sort(scaled.begin(), scaled.end());
  std::sort(per_cpu.begin(), per_cpu.end());
  std::printf("\ndefault comparison, one core: best %.0f, median %.0f simulated requests per wall-second\n", raw.back(),
              raw[raw.size() / 2]);
  std::printf("per CPU-second of the simulating process (excludes time the VM lent elsewhere): median %.0f\n",
              per_cpu[per_cpu.size() / 2]);
  std::printf("scaled to the reference machine (x 315,000 / reference): median %.0f\n\n", scaled[scaled.size() / 2]);

  std::string source;
  Scenario big = load_scenario(load_document("bench-gevent-10k", source), source);
  std::printf("10,000 connections on gevent (best of %d):\n", repeat);
  Figure g = measure(big, repeat);
  std::printf("gevent 10k: %.0f simulated requests in %.2f s = %.0f simulated requests per wall-second\n", g.requests,
              g.wall_s, g.requests / g.wall_s);
  return 0;
}
