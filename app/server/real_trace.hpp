// A real timeline of one gilsim-server gthread worker, in the trace format
// the simulation writes: its threads' states (running, waiting for the
// emulated lock, blocked in I/O, idle) with the request they serve, and each
// lock grant, release, drop request and forced switch, with real timestamps.
// Recording starts when the process gets SIGUSR1 (gilsim validate sends it as
// its measured run starts) and lasts `seconds`; the file is written then.
#pragma once
#include "../../engine/trace_file.hpp"
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace gilsim::server {

using trace_format::LaneKind;
using trace_format::LockEvent;
using trace_format::State;

/// Installs the SIGUSR1 handler that starts recording in this process.
void arm_trace_signal();

class RealTrace {
public:
  /// Times in the file are seconds since recording began plus `offset_s` (the
  /// simulated window's start, so both timelines share one axis).
  RealTrace(std::string path, double seconds, double offset_s, nlohmann::json header);
  /// Defines a lane (before the threads run); returns its id.
  int lane(int parent, LaneKind kind, const std::string& name);
  void state(int lane, State s, long request);
  void lock(int lane, LockEvent e);
  /// Writes the file if a recording started and has not been written yet.
  void finish();

private:
  struct Lane {
    int parent;
    LaneKind kind;
    std::string name;
    State state = State::idle;
    uint32_t request = 0;
  };
  /// With the mutex held: the time to record at, or a negative value when not recording.
  double stamp();
  void write();
  std::mutex m_;
  std::string path_;
  double seconds_, offset_s_;
  nlohmann::json header_;
  std::vector<Lane> lanes_;
  std::vector<trace_format::Record> records_;
  int holder_    = -1;
  double from_   = -1;   ///< monotonic time recording began (-1: not yet)
  bool written_  = false;
};

} // namespace gilsim::server
