// The results of a comparison written for other programs: CSV (one row per
// configuration, the main figures at full precision and the limit sentence)
// and JSON (the `gilsim run --json` results array under the scenario's name);
// the traces already loaded as one Chrome/Perfetto trace.
#pragma once
#include "engine/trace_file.hpp"
#include <QString>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace gilsim::studio {

/// `results`: a `--json` results array.
QString resultsCsv(const nlohmann::json& results);
nlohmann::json resultsDocument(const QString& scenario, const nlohmann::json& results);
/// Labelled traces (the timelines' titles) as one Chrome/Perfetto trace; throws std::runtime_error if there is none.
using ShownTraces = std::vector<std::pair<QString, std::shared_ptr<const trace::Trace>>>;
nlohmann::json perfettoTrace(const ShownTraces& traces);
/// Writes perfettoTrace(traces) to `path` (any thread); the error, empty when it worked.
QString writePerfettoTrace(const QString& path, const ShownTraces& traces);
/// Writes `text` to `path`; throws std::runtime_error naming the file.
void writeTextFile(const QString& path, const QString& text);

} // namespace gilsim::studio
