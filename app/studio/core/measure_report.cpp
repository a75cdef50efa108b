// The measured columns of the comparison table (see measure_report.hpp).
#include "core/measure_report.hpp"
#include "core/result_figures.hpp"
#include <QSet>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace gilsim::studio {

namespace {

using nlohmann::json;

const QString kVsSimulation = "(predicted − measured) / measured, where the prediction simulates what was measured: "
                              "the server on its core, wrk's keep-alive connections, no proxy";

double number(const json& row, const char* pointer) { return numberAt(row, pointer); }
QString fixed(double v, int decimals) { return fixedText(v, decimals); }

QString signedPercent(double fraction)
{
  if (std::isnan(fraction))
    return "–";
  return (fraction >= 0 ? "+" : "") + fixed(100 * fraction, 0) + " %";
}

double rps(const json& r) { return number(r, "/measured/throughput_rps"); }
double p50(const json& r) { return number(r, "/measured/latency_ms/p50"); }
double p99(const json& r) { return number(r, "/measured/latency_ms/p99"); }
double cpu(const json& r) { return 100 * number(r, "/measured/cpu_utilization"); }
double errors(const json& r) { return number(r, "/measured/errors"); }
double kills(const json& r) { return number(r, "/measured/worker_kills"); }
double rpsError(const json& r) { return number(r, "/relative_error/throughput"); }
double p50Error(const json& r) { return number(r, "/relative_error/p50"); }
QString ms(double v) { return fixed(v, v < 10 ? 2 : v < 100 ? 1 : 0); }

} // namespace

const std::vector<MeasuredFigure>& measuredFigures()
{
  static const std::vector<MeasuredFigure> figures = {
      {"real req/s", "requests per second measured on gilsim-server under wrk",
       [](const json& r) { return fixed(rps(r), rps(r) < 100 ? 1 : 0); }, rps},
      {"vs sim.", "throughput: " + kVsSimulation, [](const json& r) { return signedPercent(rpsError(r)); }, rpsError},
      {"real p50 ms", "median latency measured by wrk", [](const json& r) { return ms(p50(r)); }, p50},
      {"vs sim.", "p50: " + kVsSimulation, [](const json& r) { return signedPercent(p50Error(r)); }, p50Error},
      {"real p99 ms", "99th percentile latency measured by wrk", [](const json& r) { return ms(p99(r)); }, p99},
      {"real CPU %", "the server's CPU time over the measured seconds, % of its cores",
       [](const json& r) { return fixed(cpu(r), 0); }, cpu},
      {"real errors", "requests wrk saw fail (errors and timeouts)", [](const json& r) { return fixed(errors(r), 0); }, errors},
      {"real kills", "workers the arbiter killed for the timeout", [](const json& r) { return fixed(kills(r), 0); }, kills},
  };
  return figures;
}

std::vector<Measurement> readMeasurements(const json& report, const QStringList& labels)
{
  if (!report.is_object() || !report.contains("results") || !report["results"].is_array())
    throw std::runtime_error("not a gilsim validate report (no results)");
  std::vector<Measurement> out;
  QSet<int> taken;
  for (const json& row : report["results"]) {
    const QString label = QString::fromStdString(row.value("label", ""));
    int k = -1;
    for (int i = 0; i < labels.size() && k < 0; ++i)
      if (labels[i] == label && !taken.contains(i))
        k = i;
    if (k < 0)
      throw std::runtime_error(QString("the report measured \"%1\", which the scenario does not have").arg(label).toStdString());
    taken.insert(k);
    out.push_back({k, row, QString::fromStdString(row.value("real_trace_dir", ""))});
  }
  return out;
}

QString measuredPrediction(const json& row)
{
  const double predicted = number(row, "/predicted/throughput_rps");
  return QString("simulated for what was measured (the server on its core, keep-alive, no proxy): %1 req/s, p50 %2 ms, "
                 "p99 %3 ms, CPU %4 %")
      .arg(fixed(predicted, predicted < 100 ? 1 : 0), ms(number(row, "/predicted/latency_ms/p50")),
           ms(number(row, "/predicted/latency_ms/p99")), fixed(100 * number(row, "/predicted/cpu_utilization"), 0));
}

QString realTimelineTitle(const QString& label) { return label + " — measured on gilsim-server"; }

} // namespace gilsim::studio
