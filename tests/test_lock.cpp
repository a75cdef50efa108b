// The interpreter lock, on the bare engine: CPython 3.2+ semantics.
#include "harness.hpp"
#include "engine/interpreter.hpp"
#include <catch2/catch.hpp>
#include <deque>
#include <memory>

using namespace gilsim;

namespace {

/// `threads` CPU-bound threads, each computing `cpu_s`, spread over `processes`
/// processes (one lock each) on a machine of `cores`. Returns each thread's finish time.
std::vector<double> cpu_threads(int cores, int processes, int threads, double cpu_s, bool gil = true)
{
  return test::in_child([=] {
    Platform p = create_platform(cores, 1, 16);
    auto* m    = new Machine(p);
    auto* locks = new std::deque<InterpreterLock>();
    for (int i = 0; i < processes; ++i)
      locks->emplace_back(gil, 0.005);
    auto* done = new std::vector<double>(threads, -1);
    for (int t = 0; t < threads; ++t) {
      sg4::Actor::create("t", p.server, [=] {
        Unit u;
        InterpreterLock& lock = (*locks)[t % processes];
        lock.take(u);
        run_python(*m, lock, u, cpu_s, 1.0);
        lock.release(u);
        (*done)[t] = now();
      });
    }
    run_until(100);
    return *done;
  });
}

/// Single-threaded processes on `cores` cores: thread i starts at start[i] and
/// computes work[i] seconds. Returns each thread's finish time.
std::vector<double> staggered(int cores, std::vector<double> start, std::vector<double> work, double switch_s = 0)
{
  return test::in_child([=] {
    Platform p  = create_platform(cores, 1, 16, switch_s);
    auto* m     = new Machine(p);
    auto* done  = new std::vector<double>(start.size(), -1);
    for (std::size_t i = 0; i < start.size(); ++i)
      sg4::Actor::create("t", p.server, [=] {
        Unit u;
        sleep_for(start[i]);
        m->execute(u, work[i]);
        (*done)[i] = now();
      });
    run_until(100);
    return *done;
  });
}

/// An I/O thread doing `op_io_s` of I/O and `op_cpu_s` of Python per operation,
/// alone or beside a CPU-bound thread of the same process. Returns operations per second.
double io_rate(bool with_cpu_thread, double switch_interval_s, double seconds = 2)
{
  return test::in_child([=] {
    Platform p  = create_platform(2, 1, 16);
    auto* m     = new Machine(p);
    auto* lock  = new InterpreterLock(true, switch_interval_s);
    auto* ops   = new double(0);
    if (with_cpu_thread)
      sg4::Actor::create("cpu", p.server, [=] {
        Unit u;
        lock->take(u);
        run_python(*m, *lock, u, 1000, 1.0);
      });
    sg4::Actor::create("io", p.server, [=] {
      Unit u;
      for (;;) {
        lock->take(u); // recv() returned: re-acquire the lock
        run_python(*m, *lock, u, 20e-6, 1.0);
        lock->release(u); // send()/recv(): release around the system call
        sg4::this_actor::sleep_for(10e-6);
        *ops += 1;
      }
    });
    run_until(seconds);
    return std::vector<double>{*ops / seconds};
  })[0];
}

} // namespace

TEST_CASE("two CPU-bound threads in one process take twice as long as one")
{
  double one = cpu_threads(2, 1, 1, 1.0)[0];
  auto two   = cpu_threads(2, 1, 2, 1.0);
  CHECK(one == Approx(1.0).epsilon(1e-6));
  CHECK(std::max(two[0], two[1]) == Approx(2.0).epsilon(0.01));
}

TEST_CASE("two CPU-bound threads in two processes on two cores take the time of one")
{
  auto two = cpu_threads(2, 2, 2, 1.0);
  CHECK(two[0] == Approx(1.0).epsilon(1e-6));
  CHECK(two[1] == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("runnable threads beyond the cores share them and a burst that had a core to itself slows down")
{
  // 0 to 0.5 s: two threads, one core each. Then three share two cores at 2/3
  // speed: the first two finish their last 0.5 s at 1.25 s; the third has 0.5 s
  // left and finishes alone at 1.75 s.
  auto t = staggered(2, {0, 0, 0.5}, {1, 1, 1});
  CHECK(t[0] == Approx(1.25).epsilon(1e-6));
  CHECK(t[1] == Approx(1.25).epsilon(1e-6));
  CHECK(t[2] == Approx(1.75).epsilon(1e-6));
  auto four = staggered(1, {0, 0, 0, 0}, {1.25, 1.25, 1.25, 1.25});
  for (double f : four) CHECK(f == Approx(5.0).epsilon(1e-6));
  // Below the cores nobody slows down.
  auto free = staggered(3, {0, 0.2, 0.5}, {1, 1, 1});
  CHECK(free[0] == Approx(1.0).epsilon(1e-6));
  CHECK(free[1] == Approx(1.2).epsilon(1e-6));
  CHECK(free[2] == Approx(1.5).epsilon(1e-6));
}

TEST_CASE("oversubscribed cores lose a context switch per scheduler slice for every thread alike")
{
  // One core, 30 us per switch. Four runnable threads: CFS slices of 6 ms / 4
  // = 1.5 ms, so each second of work takes 1 + 0.03 / 1.5 = 1.02 s of core time.
  auto four = staggered(1, {0, 0, 0, 0}, {1, 1, 1, 1}, 30e-6);
  for (double f : four)
    CHECK(f == Approx(4 * 1.02).epsilon(1e-6));
  // 16 runnable threads: the slice stops at min_granularity, 0.75 ms.
  auto many = staggered(1, std::vector<double>(16, 0), std::vector<double>(16, 0.1), 30e-6);
  CHECK(many[0] == Approx(1.6 * 1.04).epsilon(1e-6));
  // A thread that started alone slows down like the others once they come,
  // and the cost goes when they go. 0.5 s alone; then three share the core
  // with slices of 6 ms / 3 = 2 ms (1 + 0.03 / 2 = 1.015) for 3 x 0.1 s of
  // work; then the first has 0.4 s left, alone again, at full speed.
  auto late = staggered(1, {0, 0.5, 0.5}, {1, 0.1, 0.1}, 30e-6);
  CHECK(late[1] == Approx(0.5 + 0.3 * 1.015).epsilon(1e-6));
  CHECK(late[0] == Approx(0.5 + 0.3 * 1.015 + 0.4).epsilon(1e-6));
  // Without oversubscription there is no cost.
  auto two = staggered(2, {0, 0}, {1, 1}, 30e-6);
  CHECK(two[0] == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("the lock is switched every switch interval between CPU-bound threads")
{
  // Both threads progress: the first to finish is done long after its own
  // second of work, because the lock alternated every 5 ms.
  auto two = cpu_threads(1, 1, 2, 0.5);
  CHECK(std::min(two[0], two[1]) > 0.9);
}

TEST_CASE("without the lock (free-threaded) threads of one process use both cores")
{
  auto two = cpu_threads(2, 1, 2, 1.0, false);
  CHECK(std::max(two[0], two[1]) == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("a CPU-bound thread makes an I/O thread wait a switch interval per operation (convoy)")
{
  double alone  = io_rate(false, 0.005);
  double convoy = io_rate(true, 0.005);
  INFO("alone " << alone << " ops/s, beside a CPU-bound thread " << convoy << " ops/s");
  CHECK(alone > 30000);
  CHECK(convoy < 0.02 * alone);  // loses more than 98 % of its rate
  CHECK(convoy > 100);           // about one operation per 5 ms interval
  CHECK(convoy < 250);
}

TEST_CASE("a shorter switch interval shrinks the convoy loss")
{
  double at_5ms   = io_rate(true, 0.005);
  double at_100us = io_rate(true, 0.0001);
  double at_10us  = io_rate(true, 0.00001);
  INFO("5 ms: " << at_5ms << ", 0.1 ms: " << at_100us << ", 10 us: " << at_10us);
  CHECK(at_100us > 10 * at_5ms);
  CHECK(at_10us > 2 * at_100us);
}
