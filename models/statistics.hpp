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
  Statistics(double warmup_s, double end_s, int cores, const std::vector<std::string>& endpoints = {});
  void lane(int id, int parent, LaneKind kind, int process, const std::string& name) override;
  void lock(int lane, int process_lane, LockEvent e, double t) override;
  void counter(CounterKind k, int process, double value, double t) override;
  void cpu(int lane, int delta, double t) override;
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
    Process(int lane, int number, double from, double to)
        : lane(lane), number(number), held(from, to), waited(from, to), connections(from, to)
    {
    }
    int lane, number;
    double born_s = 0, died_s = 1e300;
    WorkerEvent died_of = WorkerEvent::born;
    TimeAverage held, waited;   ///< the lock held; anyone waiting for it
    int waiters = 0;
    uint64_t served = 0;        ///< requests it completed in the window
    TimeAverage connections;    ///< connections it holds
    int open = 0, peak_open = 0;
    int running = 0;            ///< its units' CPU bursts in progress
    double share_mark = 0;      ///< share_ when `running` last changed
    double cpu_core_s = 0;      ///< core-seconds of the window up to then
  };
  struct Lane {
    int process = -1;           ///< index in processes_ (-1: none)
    bool waiting = false;       ///< for its process's lock
  };
  Process* process_of_lane(int lane);
  void lock_figures(Results& res, double end_s);
  void worker_figures(Results& res, double end_s);
  void completed(const Finished& f);
  /// Integrates the share of a core one running burst gets, up to `t`.
  void advance_share(double t);
  void settle_cpu(Process& p);
  void died(Process& p, WorkerEvent why, double t);
  double warmup_s_, end_s_;
  int cores_;
  Results res_;
  std::vector<Lane> lanes_;
  std::vector<Process> processes_;
  TimeAverage busy_, in_system_;
  void snapshot_in_system(double t); ///< notes its value at each tenth of the window that `t` passed
  int runnable_ = 0;           ///< bursts on the server's cores
  double share_ = 0, share_t_ = 0; ///< the integral over the window of min(1, cores / runnable), up to share_t_
  double sojourn_sum_ = 0;
  uint64_t departures_ = 0;
};

} // namespace gilsim
