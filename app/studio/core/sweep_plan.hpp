// What a sweep varies and what it plots: the parameters a scenario can sweep
// (from the one table of parameters, `servers[*]` for every configuration at
// once), the values typed as "1,2,4", the figures, and each point's --set list.
#pragma once
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

/// A figure a sweep plots against the parameter, read from a `gilsim run --json` result.
struct SweepFigure {
  QString name;          ///< "throughput", as the figure combo lists it
  QString axisTitle;     ///< "requests per second"
  const char* pointer;   ///< JSON pointer of the figure in a result
  const char* ci95;      ///< JSON pointer of its 95 % half-width; nullptr when the result has none
  double scale;          ///< e.g. 100 for a fraction shown in %

  double value(const nlohmann::json& result) const;
  /// The 95 % half-width, in the figure's unit; NaN when there is none.
  double halfWidth(const nlohmann::json& result) const;
};

/// throughput, p50, p99, CPU, GIL wait.
const std::vector<SweepFigure>& sweepFigures();

/// The numeric fields of `document` a sweep can vary: "machine.cores", "servers[*].workers"
/// (every configuration), "servers[1].threads" (one), in the parameter table's order.
QStringList sweepParameters(const nlohmann::json& document);
/// The unit of a parameter path ("ms", "count", ""), from the parameter table.
QString sweepParameterUnit(const QString& path);

/// "1, 2,4" -> {"1", "2", "4"}; false with `error` set if one is not a number or none is given.
bool parseSweepValues(const QString& text, QStringList* values, QString* error);
/// The `--set` assignments of one point: `servers[*].x=v` becomes one per configuration.
QStringList sweepAssignments(const QString& path, const QString& value, int servers);
/// The scenario of one point; throws gilsim::InputError with the loader's message.
nlohmann::json sweepPointDocument(const nlohmann::json& document, const QString& path, const QString& value);
/// Every point's scenario loaded by the CLI's loader first; false with `error` naming the
/// value and the loader's message at the first that it refuses.
bool checkSweep(const nlohmann::json& document, const QString& path, const QStringList& values, QString* error);

} // namespace gilsim::studio
