// Finding a lesson's lanes among a timeline's rows (see lesson_lanes.hpp).
#include "core/lesson_lanes.hpp"

namespace gilsim::studio {

namespace {

using gilsim::trace::LaneKind;

/// The first process row of worker `number` (a replacement's lane comes later).
int processRow(const TimelineModel& model, int number)
{
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int lane = rows[r].lane;
    if (rows[r].kind == TimelineRow::Kind::process && lane >= 0 && model.trace().lanes[std::size_t(lane)].process == number)
      return int(r);
  }
  return -1;
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

int findRow(const TimelineModel& model, const QString& spec)
{
  const auto& rows = model.rows();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int lane = rows[r].lane;
    if (spec == "machine" && rows[r].kind == TimelineRow::Kind::machine)
      return int(r);
    if (spec == "arbiter" && lane >= 0 && model.trace().lanes[std::size_t(lane)].kind == LaneKind::arbiter)
      return int(r);
  }
  const QString worker = spec.section('/', 0, 0).trimmed();
  bool ok              = false;
  const int number     = worker.section(' ', 1, 1).toInt(&ok);
  if (!worker.startsWith("worker ") || !ok)
    return -1;
  const int process = processRow(model, number);
  const QString child = spec.section('/', 1).trimmed();
  return child.isEmpty() || process < 0 ? process : childRow(model, process, child);
}

} // namespace

std::vector<int> lessonRows(const TimelineModel& model, const std::vector<std::string>& specs, QStringList* missing)
{
  std::vector<int> out;
  for (const std::string& spec : specs) {
    const int row = findRow(model, QString::fromStdString(spec));
    if (row >= 0)
      out.push_back(row);
    else if (missing)
      *missing << QString::fromStdString(spec);
  }
  return out;
}

} // namespace gilsim::studio
