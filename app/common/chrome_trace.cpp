#include "chrome_trace.hpp"
#include <cmath>

namespace gilsim {

namespace {

using json = nlohmann::json;
namespace tr = trace;

constexpr int kPidStride = 1000;    ///< configuration k's processes are pids k*1000 + lane
constexpr int kLockTid   = 1 << 20; ///< the GIL track of a process

double us(double s) { return s * 1e6; }

struct Emitter {
  json& ev;
  const tr::Trace& t;
  int base;

  int pid_of(uint32_t lane) const
  {
    int l = static_cast<int>(lane);
    while (t.lanes[static_cast<std::size_t>(l)].parent >= 0)
      l = t.lanes[static_cast<std::size_t>(l)].parent;
    return base + l;
  }
  void meta(const char* what, int pid, int tid, const std::string& name)
  {
    ev.push_back({{"ph", "M"}, {"name", what}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
  }
  void lanes(const std::string& label)
  {
    for (const auto& l : t.lanes)
      if (l.parent < 0)
        meta("process_name", base + static_cast<int>(l.id), 0, label + " / " + l.name);
      else
        meta("thread_name", pid_of(l.id), static_cast<int>(l.id), l.name);
  }
  void states()
  {
    for (const auto& l : t.lanes) {
      const tr::LaneStates& s = t.states[l.id];
      for (std::size_t i = 0; i < s.size(); ++i) {
        double end = i + 1 < s.size() ? s.start[i + 1] : t.until_s;
        if (s.state[i] == tr::State::idle || end <= s.start[i])
          continue;
        json e = {{"ph", "X"}, {"name", tr::to_string(s.state[i])}, {"cat", "state"}, {"pid", pid_of(l.id)},
                  {"tid", l.id},  {"ts", us(s.start[i])},           {"dur", us(end - s.start[i])}};
        if (s.request[i])
          e["args"] = {{"request", s.request[i] - 1}};
        ev.push_back(e);
      }
    }
  }
  void locks()
  {
    for (const auto& lk : t.locks) {
      int pid = pid_of(lk.process_lane);
      meta("thread_name", pid, kLockTid, "GIL");
      for (const auto& h : lk.holds)
        ev.push_back({{"ph", "X"}, {"name", "held by " + t.lanes[h.lane].name}, {"cat", "gil"}, {"pid", pid},
                      {"tid", kLockTid}, {"ts", us(h.start_s)}, {"dur", us(h.end_s - h.start_s)}});
      auto marks = [&](const std::vector<tr::LockMark>& v, const std::string& what) {
        for (const auto& m : v)
          ev.push_back({{"ph", "i"}, {"s", "t"}, {"name", what + " (" + t.lanes[m.lane].name + ")"}, {"cat", "gil"},
                        {"pid", pid}, {"tid", kLockTid}, {"ts", us(m.t_s)}});
      };
      marks(lk.drop_requests, "drop request");
      marks(lk.forced_switches, "forced switch");
    }
  }
  void counters()
  {
    for (const auto& c : t.counters) {
      std::string name = c.process ? c.name + " (worker " + std::to_string(c.process) + ")" : c.name;
      for (std::size_t i = 0; i < c.t_s.size(); ++i)
        ev.push_back({{"ph", "C"}, {"name", name}, {"pid", base}, {"ts", us(c.t_s[i])}, {"args", {{"value", c.value[i]}}}});
    }
  }
  void requests(int k)
  {
    for (const auto& q : t.requests) {
      if (std::isnan(q.sent_s) || !q.finished)
        continue;
      int pid     = q.unit_lane >= 0 ? pid_of(static_cast<uint32_t>(q.unit_lane)) : base;
      json common = {{"cat", "request"}, {"id", std::to_string(k) + ":" + std::to_string(q.id)}, {"pid", pid},
                     {"tid", q.unit_lane >= 0 ? q.unit_lane : 0},
                     {"name", "request " + std::to_string(q.id) + " " + tr::to_string(q.outcome)}};
      json b = common, e = common;
      b["ph"] = "b";
      b["ts"] = us(q.sent_s);
      e["ph"] = "e";
      e["ts"] = us(q.finished_s);
      ev.push_back(b);
      ev.push_back(e);
    }
  }
  void workers()
  {
    for (const auto& w : t.workers)
      ev.push_back({{"ph", "i"}, {"s", "p"}, {"name", "worker " + std::to_string(w.number) + " " + tr::to_string(w.event)},
                    {"cat", "arbiter"}, {"pid", pid_of(w.lane)}, {"tid", 0}, {"ts", us(w.t_s)}});
  }
};

} // namespace

json chrome_trace(const std::vector<LabelledTrace>& traces)
{
  json ev = json::array();
  for (std::size_t k = 0; k < traces.size(); ++k) {
    Emitter e{ev, *traces[k].trace, static_cast<int>(k) * kPidStride};
    e.lanes(traces[k].label);
    e.states();
    e.locks();
    e.counters();
    e.requests(static_cast<int>(k));
    e.workers();
  }
  return {{"traceEvents", ev}, {"displayTimeUnit", "ms"}};
}

} // namespace gilsim
