// Finding a lesson's lanes among a timeline's rows (see lesson_lanes.hpp).
#include "core/lesson_lanes.hpp"

namespace gilsim::studio {

namespace {

using gilsim::trace::LaneKind;

/// The process rows of worker `number`: the first one and its replacements.
std::vector<int> processRows(const TimelineModel& model, int number)
{
  std::vector<int> out;
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int lane = rows[r].lane;
    if (rows[r].kind == TimelineRow::Kind::process && lane >= 0 && model.trace().lanes[std::size_t(lane)].process == number)
      out.push_back(int(r));
  }
  return out;
}

bool isInside(const TimelineModel& model, int row, int ancestor)
{
  for (int r = row; r >= 0; r = model.rows()[std::size_t(r)].parent)
    if (r == ancestor)
      return true;
  return false;
}

/// A row under `process` whose lane is named `name`, or its GIL strip.
int childRow(const TimelineModel& model, int process, const QString& name)
{
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (!isInside(model, int(r), process) || int(r) == process)
      continue;
    if (name == "GIL" && rows[r].kind == TimelineRow::Kind::lock)
      return int(r);
    const int lane = rows[r].lane;
    if (rows[r].kind != TimelineRow::Kind::lock && lane >= 0 &&
        QString::fromStdString(model.trace().lanes[std::size_t(lane)].name) == name)
      return int(r);
  }
  return -1;
}

/// The rows of one spec: a worker's in each of its processes (the first and its replacements).
std::vector<int> findRows(const TimelineModel& model, const QString& spec)
{
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int lane = rows[r].lane;
    if (spec == "machine" && rows[r].kind == TimelineRow::Kind::machine)
      return {int(r)};
    if (spec == "arbiter" && lane >= 0 && model.trace().lanes[std::size_t(lane)].kind == LaneKind::arbiter)
      return {int(r)};
  }
  const QString worker = spec.section('/', 0, 0).trimmed();
  bool ok              = false;
  const int number     = worker.section(' ', 1, 1).toInt(&ok);
  if (!worker.startsWith("worker ") || !ok)
    return {};
  const QString child = spec.section('/', 1).trimmed();
  std::vector<int> out;
  for (int process : processRows(model, number))
    if (const int row = child.isEmpty() ? process : childRow(model, process, child); row >= 0)
      out.push_back(row);
  return out;
}

} // namespace

std::vector<int> lessonRows(const TimelineModel& model, const std::vector<std::string>& specs, QStringList* missing)
{
  std::vector<int> out;
  for (const std::string& spec : specs) {
    const std::vector<int> rows = findRows(model, QString::fromStdString(spec));
    out.insert(out.end(), rows.begin(), rows.end());
    if (rows.empty() && missing)
      *missing << QString::fromStdString(spec);
  }
  return out;
}

} // namespace gilsim::studio
