// What a sweep varies and plots (see sweep_plan.hpp).
#include "core/sweep_plan.hpp"
#include "app/common/parameters.hpp"
#include "app/common/scenario.hpp"
#include <cmath>

namespace gilsim::studio {

namespace {

const QString kEveryServer = "servers[*]";
const std::string kServersPattern = "servers[]";

bool isSweepable(const Parameter& p)
{
  using Type = Parameter::Type;
  return p.type == Type::integer || p.type == Type::number || p.type == Type::duration;
}

int serverCount(const nlohmann::json& document)
{
  return document.contains("servers") && document["servers"].is_array() ? int(document["servers"].size()) : 0;
}

/// A pattern's concrete paths: itself, or for "servers[].x" every configuration and each one.
QStringList concretePaths(const std::string& pattern, int servers)
{
  if (pattern.rfind(kServersPattern, 0) != 0)
    return pattern.find("[]") == std::string::npos ? QStringList{QString::fromStdString(pattern)} : QStringList{};
  const QString field = QString::fromStdString(pattern.substr(kServersPattern.size()));
  if (field.contains("[]"))
    return {};
  QStringList paths = {kEveryServer + field};
  for (int k = 0; k < servers; ++k)
    paths << QString("servers[%1]%2").arg(k).arg(field);
  return paths;
}

} // namespace

double SweepFigure::value(const nlohmann::json& result) const
{
  const nlohmann::json::json_pointer at(pointer);
  return result.contains(at) && result[at].is_number() ? result[at].get<double>() * scale : std::nan("");
}

double SweepFigure::halfWidth(const nlohmann::json& result) const
{
  if (!ci95)
    return std::nan("");
  const nlohmann::json::json_pointer at(ci95);
  return result.contains(at) && result[at].is_number() ? result[at].get<double>() * scale : std::nan("");
}

const std::vector<SweepFigure>& sweepFigures()
{
  static const std::vector<SweepFigure> figures = {
      {"throughput", "requests per second", "/throughput_rps", "/ci95/throughput_rps", 1},
      {"latency p50", "p50 latency (ms)", "/latency_ms/p50", nullptr, 1},
      {"latency p99", "p99 latency (ms)", "/latency_ms/p99", nullptr, 1},
      {"CPU busy", "CPU busy (% of the machine)", "/cpu_utilization", nullptr, 100},
      {"GIL wait", "time waiting for the GIL (%)", "/gil/wait_fraction", nullptr, 100},
  };
  return figures;
}

QStringList sweepParameters(const nlohmann::json& document)
{
  QStringList paths;
  for (const Parameter& p : parameters())
    if (isSweepable(p))
      paths << concretePaths(p.path, serverCount(document));
  return paths;
}

QString sweepParameterUnit(const QString& path)
{
  const Parameter* p = find_parameter(QString(path).replace(kEveryServer, "servers[0]").toStdString());
  return p ? QString::fromStdString(p->unit) : QString();
}

bool parseSweepValues(const QString& text, QStringList* values, QString* error)
{
  values->clear();
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    bool number = false;
    part.trimmed().toDouble(&number);
    if (!number) {
      *error = QString("\"%1\" is not a number (values: a list like 1,2,4,8,16)").arg(part.trimmed());
      return false;
    }
    *values << part.trimmed();
  }
  if (values->isEmpty())
    *error = "give the values to sweep, e.g. 1,2,4,8,16";
  return !values->isEmpty();
}

QStringList sweepAssignments(const QString& path, const QString& value, int servers)
{
  if (!path.startsWith(kEveryServer))
    return {path + "=" + value};
  QStringList assignments;
  for (int k = 0; k < servers; ++k)
    assignments << QString("servers[%1]%2=%3").arg(k).arg(path.mid(kEveryServer.size()), value);
  return assignments;
}

nlohmann::json sweepPointDocument(const nlohmann::json& document, const QString& path, const QString& value)
{
  nlohmann::json point = document;
  for (const QString& assignment : sweepAssignments(path, value, serverCount(document)))
    apply_set(point, assignment.toStdString(), "sweep");
  load_scenario(point, "sweep");
  return point;
}

bool checkSweep(const nlohmann::json& document, const QString& path, const QStringList& values, QString* error)
{
  for (const QString& value : values) {
    try {
      sweepPointDocument(document, path, value);
    } catch (const std::exception& e) {
      *error = QString("%1=%2 is refused: %3").arg(path, value, QString::fromUtf8(e.what()));
      return false;
    }
  }
  return true;
}

} // namespace gilsim::studio
