// Step-through: the events of a lesson's lanes within its window, in time
// order — a unit changing state, a lock granted, a drop request, a forced
// switch, a worker born or killed — each with a sentence saying what happens,
// and a cursor moving one event forward or back.
#pragma once
#include "timeline/timeline_model.hpp"
#include <QString>
#include <vector>

namespace gilsim::studio {

struct LessonEvent {
  enum class Kind { state, gil_taken, drop_request, forced_switch, worker };
  double t_s = 0;
  int row    = -1;  ///< the timeline row it happens on
  Kind kind  = Kind::state;
  QString lane;     ///< who it happens to, by name ("thread 2 (worker 1)"): the same in another trace of the run
  QString sentence; ///< "thread 2 (worker 1) has waited 5 ms for the GIL and sets a drop request; …"
};

/// The same event of the same run, seen in two traces (two windows): time, lane, kind and words.
bool sameEvent(const LessonEvent& a, const LessonEvent& b);

class LessonSteps {
public:
  static constexpr std::size_t kMaxEvents = 20000; ///< a window with more shows only its first ones

  LessonSteps() = default;
  LessonSteps(const TimelineModel& model, const std::vector<int>& rows, double from_s, double until_s);

  const std::vector<LessonEvent>& events() const { return events_; }
  /// The event under the cursor; -1 before the first.
  int index() const { return index_; }
  const LessonEvent* current() const;
  bool forward();
  bool backward();
  /// Puts the cursor on the last event at or before t (-1 if none).
  void seek(double t_s);
  /// Puts the cursor on event `index` (-1: before the first).
  void setIndex(int index);
  /// The index of `e` (sameEvent) among the events; -1 if it is not one of them.
  int find(const LessonEvent& e) const;
  /// The last event before t / the first after t; -1 if none.
  int lastBefore(double t_s) const;
  int firstAfter(double t_s) const;

private:
  void addStates(const TimelineModel& model, int row, double from_s, double until_s);
  void addLock(const TimelineModel& model, int row, double from_s, double until_s);
  void addWorkers(const TimelineModel& model, int row, double from_s, double until_s);
  std::vector<LessonEvent> events_;
  int index_ = -1;
};

/// "thread 2 (worker 1)": a lane as the sentences name it.
QString laneName(const TimelineModel& model, int lane);

} // namespace gilsim::studio
