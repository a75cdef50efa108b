// The results written as CSV or JSON (see results_export.hpp).
#include "core/results_export.hpp"
#include "core/result_figures.hpp"
#include "app/common/chrome_trace.hpp"
#include <QFile>
#include <QStringList>
#include <stdexcept>

namespace gilsim::studio {

namespace {

/// The CSV's numeric columns: header, JSON pointer into a result.
const std::vector<std::pair<const char*, const char*>>& csvColumns()
{
  static const std::vector<std::pair<const char*, const char*>> columns = {
      {"throughput_rps", "/throughput_rps"},      {"ci95_throughput_rps", "/ci95/throughput_rps"},
      {"latency_mean_ms", "/latency_ms/mean"},    {"latency_p50_ms", "/latency_ms/p50"},
      {"latency_p90_ms", "/latency_ms/p90"},      {"latency_p99_ms", "/latency_ms/p99"},
      {"latency_max_ms", "/latency_ms/max"},      {"completed", "/completed"},
      {"errors_timeout", "/errors/timeout"},      {"errors_refused", "/errors/refused"},
      {"errors_killed", "/errors/killed"},        {"errors_db", "/errors/db"},
      {"errors_pool_timeout", "/errors/pool_timeout"}, {"cpu_utilization", "/cpu_utilization"},
      {"gil_held_fraction", "/gil/held_fraction"}, {"gil_wait_fraction", "/gil/wait_fraction"},
      {"memory_mb", "/memory_mb"},
  };
  return columns;
}

QString csvField(QString text)
{
  if (text.contains(',') || text.contains('"') || text.contains('\n'))
    return '"' + text.replace('"', "\"\"") + '"';
  return text;
}

QString csvNumber(const nlohmann::json& result, const char* pointer)
{
  const nlohmann::json::json_pointer at(pointer);
  return result.contains(at) ? QString::fromStdString(result[at].dump()) : QString();
}

} // namespace

QString resultsCsv(const nlohmann::json& results)
{
  QStringList header = {"configuration", "worker_class"};
  for (const auto& [name, pointer] : csvColumns())
    header << name;
  header << "limit";
  QStringList lines = {header.join(',')};
  for (const nlohmann::json& result : results) {
    QStringList fields = {csvField(resultLabel(result)), csvField(resultFigures().front().text(result))};
    for (const auto& [name, pointer] : csvColumns())
      fields << csvNumber(result, pointer);
    fields << csvField(limitSentence(result));
    lines << fields.join(',');
  }
  return lines.join('\n') + '\n';
}

nlohmann::json resultsDocument(const QString& scenario, const nlohmann::json& results)
{
  return {{"scenario", scenario.toStdString()}, {"results", results}};
}

nlohmann::json perfettoTrace(const ShownTraces& traces)
{
  if (traces.empty())
    throw std::runtime_error("no timeline to export yet: run the scenario first (F5)");
  std::vector<LabelledTrace> labelled;
  for (const auto& [label, trace] : traces)
    labelled.push_back({label.toStdString(), trace.get()});
  return chrome_trace(labelled);
}

QString writePerfettoTrace(const QString& path, const ShownTraces& traces)
{
  try {
    writeTextFile(path, QString::fromStdString(perfettoTrace(traces).dump()));
    return {};
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
}

void writeTextFile(const QString& path, const QString& text)
{
  QFile file(path);
  const QByteArray bytes = text.toUtf8();
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
    throw std::runtime_error(QString("%1: cannot write (%2)").arg(path, file.errorString()).toStdString());
}

} // namespace gilsim::studio
