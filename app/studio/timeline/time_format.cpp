// Formatting times for the timeline's ruler, tooltips and summaries.
#include "timeline/time_format.hpp"
#include <algorithm>
#include <cmath>

namespace {

struct Unit {
  double seconds;
  const char* name;
};

Unit unitFor(double seconds)
{
  double a = std::fabs(seconds);
  if (a >= 1)
    return {1, "s"};
  if (a >= 1e-3)
    return {1e-3, "ms"};
  if (a >= 1e-6)
    return {1e-6, "\u00b5s"};
  return {1e-9, "ns"};
}

} // namespace

QString formatDuration(double seconds)
{
  if (seconds == 0 || !std::isfinite(seconds))
    return std::isfinite(seconds) ? QStringLiteral("0 s") : QStringLiteral("?");
  Unit u       = unitFor(seconds);
  double value = seconds / u.seconds;
  int decimals = std::fabs(value) >= 100 ? 0 : std::fabs(value) >= 10 ? 1 : 2;
  return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QString::fromUtf8(u.name));
}

double niceStep(double min_step_s)
{
  if (!(min_step_s > 0))
    return 1;
  double power = std::pow(10.0, std::floor(std::log10(min_step_s)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= min_step_s * (1 - 1e-9))
      return m * power;
  return 10 * power;
}

std::vector<double> tickTimes(double from_s, double to_s, double step_s)
{
  std::vector<double> out;
  if (!(step_s > 0) || !(to_s >= from_s))
    return out;
  for (double k = std::ceil(from_s / step_s); k * step_s <= to_s && out.size() < 10000; k += 1)
    out.push_back(k * step_s);
  return out;
}

QString formatTick(double t_s, double step_s, double magnitude_s)
{
  Unit u       = unitFor(std::max(std::fabs(magnitude_s), step_s));
  double step  = step_s / u.seconds;
  int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 9);
  double value = t_s / u.seconds;
  if (std::fabs(value) < step * 1e-6)
    value = 0;
  return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QString::fromUtf8(u.name));
}
