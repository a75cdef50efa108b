// The run's statistics: an Observer that turns the events of the run —
// requests sent and finished, the cores' runnable threads, each process's
// interpreter lock, workers born and died, memory and database counters —
// into Results, over the measurement window [warm-up, end). It subscribes to
// the same events as the trace; it reads no model's counters.
#pragma once
#include "results.hpp"
#include "../engine/observer.hpp"
#include <vector>

namespace gilsim {

class Statistics final : public Observer {
public:
  Statistics(double warmup_s, double end_s, int cores);
  void lane(int id, int parent, LaneKind kind, int process, const std::string& name) override;
  void lock(int lane, int process_lane, LockEvent e, double t) override;
  void counter(CounterKind k, int process, double value, double t) override;
  void request(RequestEvent e, long request, long a, double t) override;
  void finished(const Finished& f) override;
  void connection(long connection, int process_lane, bool open, double t) override;
  void worker(int process_lane, WorkerEvent e, int number, double t) override;
  /// The figures at `end_s`, the end of the run.
  Results results(double end_s);
  bool in_window(double t) const { return t >= warmup_s_ && t < end_s_; }

private:
  /// A worker process: its life and its interpreter lock.
  struct Process {
    int lane, number;
    double born_s, died_s = 1e300;
    TimeAverage held, waited;   ///< the lock held; anyone waiting for it
    int waiters = 0;
    long served = 0;            ///< requests it completed in the window
    TimeAverage connections;    ///< connections it holds
    int open = 0, peak_open = 0;
  };
  struct Lane {
    int process = -1;           ///< index in processes_ (-1: none)
    bool waiting = false;       ///< for its process's lock
  };
  Process* process_of_lane(int lane);
  void lock_figures(Results& res, double end_s);
  void completed(const Finished& f);
  double warmup_s_, end_s_;
  int cores_;
  Results res_;
  std::vector<Lane> lanes_;
  std::vector<Process> processes_;
  TimeAverage busy_, in_system_;
  double sojourn_sum_ = 0;
  uint64_t departures_ = 0;
};

} // namespace gilsim
