// The results of a comparison written for other programs: CSV (one row per
// configuration, the main figures at full precision and the limit sentence)
// and JSON (the `gilsim run --json` results array under the scenario's name).
#pragma once
#include <QString>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

/// `results`: a `--json` results array.
QString resultsCsv(const nlohmann::json& results);
nlohmann::json resultsDocument(const QString& scenario, const nlohmann::json& results);
/// Writes `text` to `path`; throws std::runtime_error naming the file.
void writeTextFile(const QString& path, const QString& text);

} // namespace gilsim::studio
