// What "Measure on gilsim-server" adds to the comparison table, read from a
// `gilsim validate --target server --json` report: per configuration the measured
// figures (results[i].measured), the relative error and where its real trace is.
#pragma once
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

/// A measured column: its header, tooltip and cell, from one of the report's results.
struct MeasuredFigure {
  QString header;                            ///< "real req/s"
  QString toolTip;
  QString (*text)(const nlohmann::json& row); ///< the cell
  double (*value)(const nlohmann::json& row); ///< the number behind it
};

/// real req/s, vs sim., real p50 ms, vs sim., real p99 ms, real CPU %, real errors, real kills.
const std::vector<MeasuredFigure>& measuredFigures();

/// One configuration's measurement.
struct Measurement {
  int configuration = -1;    ///< its row in the table (matched by label)
  nlohmann::json row;        ///< the report's results[i]
  QString realTraceDir;      ///< empty: no real timeline (not gthread)
};

/// The report's results matched to `labels` (the table's configurations) by label, in order;
/// throws std::runtime_error if the report is not one or names a configuration not there.
std::vector<Measurement> readMeasurements(const nlohmann::json& report, const QStringList& labels);

/// "simulated for what was measured (…): 123 req/s, p50 4.5 ms, p99 …", from a report's results[i].predicted.
QString measuredPrediction(const nlohmann::json& row);

/// "gthread 2w x 16t — measured on gilsim-server".
QString realTimelineTitle(const QString& label);

} // namespace gilsim::studio
