// What happened, as plain data: per execution unit the intervals of each state
// (running, waiting-gil, blocked-io, idle, killed), and per request a span from
// arrival to response. Recording stops at `until_s` to bound memory.
#pragma once
#include "simulation.hpp"
#include <string>
#include <vector>

namespace gilsim {

struct TraceUnit {
  int id;
  int process;          ///< worker process number (0 = arbiter/clients)
  std::string name;     ///< "worker 1 / thread 3", "worker 2 / greenlet 17"
};

struct TraceInterval {
  int unit;
  UnitState state;
  double start_s, end_s;
};

struct TraceSpan {
  long request;
  int unit;             ///< the unit that served it (-1 if never served)
  int endpoint;
  double start_s, end_s;
  std::string outcome;  ///< "ok", "timeout", "killed", "refused", "db", "pool_timeout"
};

class Trace {
public:
  explicit Trace(double until_s) : until_s_(until_s) {}
  int add_unit(int process, std::string name);
  void state(int unit, UnitState s, double t);
  void span(long request, int unit, int endpoint, double start_s, double end_s, const char* outcome);
  /// Closes every open interval at `t` (end of the simulation).
  void finish(double t);

  std::vector<TraceUnit> units;
  std::vector<TraceInterval> intervals;
  std::vector<TraceSpan> spans;

private:
  struct Open { UnitState state; double since; };
  std::vector<Open> open_;
  double until_s_;
};

} // namespace gilsim
