// The comparison table's figures (see result_figures.hpp). Precision rules are
// those of print_table in app/common/report.cpp.
#include "core/result_figures.hpp"
#include <cmath>
#include <cstdio>
#include <limits>

namespace gilsim::studio {

namespace {

using nlohmann::json;

double number(const json& result, const json::json_pointer& at)
{
  return result.contains(at) && result[at].is_number() ? result[at].get<double>() : std::nan("");
}
QString fixed(double v, int decimals) { return fixedText(v, decimals); }
/// A rate: one decimal below 100.
QString rate(double v) { return fixed(v, v < 100 ? 1 : 0); }
/// Milliseconds: two decimals below 10, one below 100.
QString milliseconds(double ms) { return fixed(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0); }
QString text(const json& result, const char* key)
{
  return result.contains(key) && result[key].is_string() ? QString::fromStdString(result[key].get<std::string>()) : QString();
}
double noValue(const json&) { return std::numeric_limits<double>::quiet_NaN(); }

double throughput(const json& r) { return number(r, "/throughput_rps"_json_pointer); }
double ci95(const json& r) { return number(r, "/ci95/throughput_rps"_json_pointer); }
double p50(const json& r) { return number(r, "/latency_ms/p50"_json_pointer); }
double p99(const json& r) { return number(r, "/latency_ms/p99"_json_pointer); }
double cpuPercent(const json& r) { return 100 * number(r, "/cpu_utilization"_json_pointer); }
double gilWaitPercent(const json& r) { return 100 * number(r, "/gil/wait_fraction"_json_pointer); }
double memory(const json& r) { return number(r, "/memory_mb"_json_pointer); }

QString errors(const json& r)
{
  auto count = [&](const char* key) { return static_cast<long long>(number(r, json::json_pointer("/errors/" + std::string(key)))); };
  return QString("%1/%2/%3/%4").arg(count("timeout")).arg(count("refused")).arg(count("killed")).arg(count("db") + count("pool_timeout"));
}

} // namespace

double numberAt(const json& result, const char* pointer) { return number(result, json::json_pointer(pointer)); }

QString fixedText(double v, int decimals)
{
  if (std::isnan(v))
    return "–";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return QString::fromLatin1(text);
}

const std::vector<ResultFigure>& resultFigures()
{
  static const std::vector<ResultFigure> figures = {
      {"class", [](const json& r) { return text(r, "worker_class"); }, noValue},
      {"req/s", [](const json& r) { return rate(throughput(r)); }, throughput},
      {"±95%", [](const json& r) { return rate(ci95(r)); }, ci95},
      {"p50 ms", [](const json& r) { return milliseconds(p50(r)); }, p50},
      {"p99 ms", [](const json& r) { return milliseconds(p99(r)); }, p99},
      {"errors t/r/k/db", errors, noValue},
      {"CPU %", [](const json& r) { return fixed(cpuPercent(r), 0); }, cpuPercent},
      {"GIL wait %", [](const json& r) { return fixed(gilWaitPercent(r), 0); }, gilWaitPercent},
      {"mem MB", [](const json& r) { return fixed(memory(r), 0); }, memory},
  };
  return figures;
}

QString limitSentence(const json& result)
{
  const auto at = "/limit/sentence"_json_pointer;
  return result.contains(at) && result[at].is_string() ? QString::fromStdString(result[at].get<std::string>()) : QString();
}

QString resultLabel(const json& result) { return text(result, "label"); }

} // namespace gilsim::studio
