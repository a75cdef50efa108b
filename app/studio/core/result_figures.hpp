// The figures of one configuration's result that the comparison table shows,
// read from the `gilsim run --json` result and written with the CLI table's
// precision, so the studio shows what the command line prints.
#pragma once
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

struct ResultFigure {
  QString header;                                  ///< "req/s", "p99 ms", as the CLI's table says
  QString (*text)(const nlohmann::json& result);   ///< the cell, as the CLI prints it
  double (*value)(const nlohmann::json& result);   ///< the number behind it (NaN for text cells)
};

/// The CLI table's columns after "configuration": class, req/s, ±95%, p50 ms, p99 ms, errors, CPU %, GIL wait %, mem MB.
const std::vector<ResultFigure>& resultFigures();

/// The number at `pointer` ("/measured/throughput_rps") of a result, NaN if absent.
double numberAt(const nlohmann::json& result, const char* pointer);
/// `v` with `decimals` as the CLI's std::fixed stream writes it (printf rounding); "–" for NaN.
QString fixedText(double v, int decimals);

/// The one-sentence "why" of a result (its `limit.sentence`), empty if absent.
QString limitSentence(const nlohmann::json& result);
QString resultLabel(const nlohmann::json& result);

} // namespace gilsim::studio
