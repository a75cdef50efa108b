// The rows of a timeline a lesson names: "machine", "arbiter", "worker 2",
// "worker 2 / GIL", "worker 2 / thread 3", "worker 1 / main loop".
#pragma once
#include "timeline/timeline_model.hpp"
#include <QStringList>
#include <string>
#include <vector>

namespace gilsim::studio {

/// The model rows of `specs`, in their order ("worker 1": its first process and each replacement);
/// a spec the trace has no row for goes to `missing`.
std::vector<int> lessonRows(const TimelineModel& model, const std::vector<std::string>& specs, QStringList* missing);

} // namespace gilsim::studio
