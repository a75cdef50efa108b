// Green threads for gilsim-server, built the way gevent is: one OS thread runs
// a hub (a libev loop); each connection is served by a greenlet (a
// Boost.Context fiber) that switches back to the hub whenever it would wait
// (socket not ready, a patched sleep) and is resumed by the watcher that fires.
// Code that does not wait (a CPU loop, an unpatched sleep) keeps the hub, and
// so every other greenlet, waiting.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

struct ev_loop;

namespace gilsim::server {

struct Greenlet;

class GreenHub {
public:
  GreenHub();
  ~GreenHub();
  GreenHub(const GreenHub&) = delete;
  GreenHub& operator=(const GreenHub&) = delete;

  struct ev_loop* loop() const { return loop_; }
  /// Starts `fn` in a new greenlet on the hub's next turn (gevent.spawn).
  void spawn(std::function<void()> fn);
  /// Runs the loop until stop().
  void run();
  void stop();

  // From inside a greenlet:
  /// Waits until `fd` is ready for `events` (EV_READ / EV_WRITE) or `timeout_s`
  /// passed (<= 0: no limit). False on timeout or interrupt.
  bool wait_fd(int fd, int events, double timeout_s);
  /// A cooperative sleep (gevent.sleep).
  void sleep(double seconds);
  /// True inside a greenlet that is waiting only for a next request; interrupt_idle() ends those waits.
  void set_idle(bool idle);
  void interrupt_idle();

  /// Greenlets alive (started and not finished).
  std::size_t alive() const { return alive_; }

private:
  friend struct Greenlet;
  void switch_to(Greenlet* g);
  void yield();
  struct ev_loop* loop_;
  Greenlet* current_ = nullptr;
  std::size_t alive_ = 0;
  std::vector<Greenlet*> greenlets_;
};

} // namespace gilsim::server
