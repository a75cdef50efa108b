#include "trace.hpp"
#include <algorithm>

namespace gilsim {

int Trace::add_unit(int process, std::string name)
{
  int id = static_cast<int>(units.size());
  units.push_back({id, process, std::move(name)});
  open_.push_back({UnitState::idle, now()});
  return id;
}

void Trace::state(int unit, UnitState s, double t)
{
  Open& o = open_[unit];
  if (o.since < until_s_ && t > o.since)
    intervals.push_back({unit, o.state, o.since, std::min(t, until_s_)});
  o = {s, t};
}

void Trace::span(long request, int unit, int endpoint, double start_s, double end_s, const char* outcome)
{
  if (start_s < until_s_)
    spans.push_back({request, unit, endpoint, start_s, end_s, outcome});
}

void Trace::finish(double t)
{
  for (std::size_t u = 0; u < open_.size(); ++u)
    state(static_cast<int>(u), open_[u].state, t);
}

} // namespace gilsim
