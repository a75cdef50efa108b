#include "green.hpp"
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <ev.h>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace ctx = boost::context;

namespace gilsim::server {

namespace {
constexpr std::size_t kStack = 64 * 1024; ///< per greenlet, with a guard page below it
constexpr int kInterrupt     = EV_CUSTOM; ///< fed to a waiting greenlet to end its wait
} // namespace

struct Greenlet {
  GreenHub* hub = nullptr;
  std::function<void()> fn;
  ctx::fiber self; ///< the greenlet, while it is suspended
  ctx::fiber back; ///< the hub, while the greenlet runs
  ev_io io{};
  ev_timer timer{};
  bool waiting = false; ///< suspended in wait_fd/sleep (or not started): a watcher may resume it
  bool idle    = false;
  bool done    = false;
  int fired    = 0;

  static void on_io(struct ev_loop*, ev_io* w, int revents) { static_cast<Greenlet*>(w->data)->resume(revents); }
  static void on_timer(struct ev_loop*, ev_timer* w, int revents) { static_cast<Greenlet*>(w->data)->resume(revents); }
  void resume(int revents)
  {
    if (!waiting)
      return;
    waiting = false;
    fired   = revents;
    hub->switch_to(this);
  }
};

GreenHub::GreenHub() : loop_(ev_loop_new(EVFLAG_AUTO))
{
  if (!loop_)
    throw std::runtime_error("libev: cannot create an event loop");
}

GreenHub::~GreenHub()
{
  // Unfinished greenlets are abandoned with their stacks (the process is
  // exiting); unwinding them here could run their code on a dead loop.
  ev_loop_destroy(loop_);
}

void GreenHub::spawn(std::function<void()> fn)
{
  auto* g = new Greenlet;
  g->hub  = this;
  g->fn   = std::move(fn);
  g->self = ctx::fiber(std::allocator_arg, ctx::protected_fixedsize_stack(kStack), [g](ctx::fiber&& back) {
    g->back = std::move(back);
    try {
      g->fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gilsim-server: greenlet failed: %s\n", e.what());
    }
    g->done = true;
    return std::move(g->back);
  });
  ev_init(&g->io, Greenlet::on_io);
  g->io.data = g;
  ev_init(&g->timer, Greenlet::on_timer);
  g->timer.data = g;
  greenlets_.push_back(g);
  ++alive_;
  // started on the hub's next turn, as gevent.spawn schedules it
  g->waiting = true;
  ev_timer_set(&g->timer, 0., 0.);
  ev_timer_start(loop_, &g->timer);
}

void GreenHub::switch_to(Greenlet* g)
{
  Greenlet* outer = current_;
  current_        = g;
  g->self         = std::move(g->self).resume();
  current_        = outer;
  if (g->done) {
    ev_io_stop(loop_, &g->io);
    ev_timer_stop(loop_, &g->timer);
    greenlets_.erase(std::find(greenlets_.begin(), greenlets_.end(), g));
    --alive_;
    delete g;
  }
}

void GreenHub::yield()
{
  Greenlet* g = current_;
  if (!g)
    throw std::logic_error("a greenlet wait outside a greenlet");
  g->waiting = true;
  g->back    = std::move(g->back).resume();
}

bool GreenHub::wait_fd(int fd, int events, double timeout_s)
{
  Greenlet* g = current_;
  if (!g)
    throw std::logic_error("a greenlet wait outside a greenlet");
  ev_io_set(&g->io, fd, events);
  ev_io_start(loop_, &g->io);
  if (timeout_s > 0) {
    ev_timer_set(&g->timer, timeout_s, 0.);
    ev_timer_start(loop_, &g->timer);
  }
  yield();
  ev_io_stop(loop_, &g->io);
  ev_timer_stop(loop_, &g->timer);
  return (g->fired & events) != 0 && (g->fired & kInterrupt) == 0;
}

void GreenHub::sleep(double seconds)
{
  Greenlet* g = current_;
  if (!g)
    throw std::logic_error("a greenlet wait outside a greenlet");
  ev_timer_set(&g->timer, std::max(0.0, seconds), 0.);
  ev_timer_start(loop_, &g->timer);
  yield();
  ev_timer_stop(loop_, &g->timer);
}

void GreenHub::set_idle(bool idle)
{
  if (current_)
    current_->idle = idle;
}

void GreenHub::interrupt_idle()
{
  for (Greenlet* g : greenlets_)
    if (g->idle && g->waiting)
      ev_feed_event(loop_, &g->io, kInterrupt);
}

void GreenHub::run() { ev_run(loop_, 0); }

void GreenHub::stop() { ev_break(loop_, EVBREAK_ALL); }

} // namespace gilsim::server
