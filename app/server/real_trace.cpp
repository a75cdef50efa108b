#include "real_trace.hpp"
#include <chrono>
#include <csignal>
#include <ctime>

namespace gilsim::server {

namespace tf = trace_format;

namespace {

std::atomic<double> g_signalled{-1}; ///< monotonic time SIGUSR1 came (-1: not yet)
static_assert(std::atomic<double>::is_always_lock_free, "set from a signal handler");

double mono_s()
{
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts); // async-signal-safe
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void on_usr1(int) { g_signalled.store(mono_s()); }

} // namespace

void arm_trace_signal()
{
  struct sigaction a {};
  a.sa_handler = on_usr1;
  a.sa_flags   = SA_RESTART;
  sigaction(SIGUSR1, &a, nullptr);
}

RealTrace::RealTrace(std::string path, double seconds, double offset_s, nlohmann::json header)
    : path_(std::move(path)), seconds_(seconds), offset_s_(offset_s), header_(std::move(header))
{
  header_["window_s"] = {offset_s, offset_s + seconds};
  header_["real"]     = true;
}

int RealTrace::lane(int parent, LaneKind kind, const std::string& name)
{
  std::lock_guard<std::mutex> l(m_);
  lanes_.push_back({parent, kind, name});
  return static_cast<int>(lanes_.size()) - 1;
}

double RealTrace::stamp()
{
  if (written_)
    return -1;
  double now = mono_s();
  if (from_ < 0) {
    double at = g_signalled.load();
    if (at < 0)
      return -1;
    from_ = at;
    for (std::size_t i = 0; i < lanes_.size(); ++i) // the state of things when recording began
      records_.push_back(tf::Record::make(tf::Kind::state, static_cast<uint8_t>(lanes_[i].state), offset_s_,
                                          static_cast<uint32_t>(i), lanes_[i].request));
    if (holder_ >= 0)
      records_.push_back(tf::Record::make(tf::Kind::lock, static_cast<uint8_t>(LockEvent::grant), offset_s_,
                                          static_cast<uint32_t>(holder_), 0));
  }
  double t = now - from_;
  if (t >= seconds_) {
    write();
    return -1;
  }
  return offset_s_ + std::max(0.0, t);
}

void RealTrace::state(int lane, State s, long request)
{
  std::lock_guard<std::mutex> l(m_);
  Lane& ln   = lanes_[static_cast<std::size_t>(lane)];
  ln.state   = s;
  ln.request = static_cast<uint32_t>(request + 1);
  double t   = stamp();
  if (t >= 0)
    records_.push_back(tf::Record::make(tf::Kind::state, static_cast<uint8_t>(s), t, static_cast<uint32_t>(lane), ln.request));
}

void RealTrace::lock(int lane, LockEvent e)
{
  std::lock_guard<std::mutex> l(m_);
  if (e == LockEvent::grant)
    holder_ = lane;
  else if (e == LockEvent::release && holder_ == lane)
    holder_ = -1;
  double t = stamp();
  if (t >= 0) // the process's lock is lane 0's: the worker process
    records_.push_back(tf::Record::make(tf::Kind::lock, static_cast<uint8_t>(e), t, static_cast<uint32_t>(lane), 0));
}

void RealTrace::write()
{
  written_ = true;
  TraceFileWriter out(path_);
  out.blob(0, tf::BlobKind::header, header_);
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    out.lane(offset_s_, static_cast<uint32_t>(i), lanes_[i].parent, header_.value("worker", 1), lanes_[i].kind, lanes_[i].name);
  for (const auto& r : records_)
    out.record(r);
  out.finish(offset_s_ + seconds_);
}

void RealTrace::finish()
{
  std::lock_guard<std::mutex> l(m_);
  if (from_ >= 0 && !written_)
    write();
}

} // namespace gilsim::server
