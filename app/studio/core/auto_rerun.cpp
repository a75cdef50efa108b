// Re-running small scenarios after an edit (see auto_rerun.hpp).
#include "core/auto_rerun.hpp"
#include "core/run_controller.hpp"
#include "app/common/scenario.hpp"
#include <QSettings>

namespace gilsim::studio {

namespace {
const QString kSetting = "run/autoRerun";
/// An open load's arrivals count as the clients they keep in the system, 100 ms each.
constexpr double kOpenClientSeconds = 0.1;
} // namespace

AutoRerun::AutoRerun(RunController* runs, Document document, QObject* parent)
    : QObject(parent), document_(std::move(document))
{
  enabled_ = QSettings().value(kSetting, true).toBool();
  debounce_.setSingleShot(true);
  debounce_.setInterval(kDebounceMs);
  connect(&debounce_, &QTimer::timeout, this, &AutoRerun::runDue);
  connect(runs, &RunController::started, this, &AutoRerun::onStarted);
  connect(runs, &RunController::allDone, this, &AutoRerun::onAllDone);
}

void AutoRerun::setEnabled(bool on)
{
  enabled_ = on;
  QSettings().setValue(kSetting, on);
  if (!on)
    debounce_.stop();
}

void AutoRerun::documentChanged()
{
  debounce_.stop();
  const double size = cost(document_());
  if (!enabled_ || size <= 0)
    return;
  const double expected = predicted_s(size);
  if (expected < 0 ? size <= kSmallCost : expected <= kShortRun_s)
    debounce_.start();
  else if (expected < 0)
    emit skipped(QString("Not re-run by itself: duration × configurations × clients is %1, above %2 (press F5).")
                     .arg(size, 0, 'f', 0)
                     .arg(kSmallCost, 0, 'f', 0));
  else
    emit skipped(QString("Not re-run by itself: about %1 s to run, above %2 s (press F5).")
                     .arg(expected, 0, 'f', 1)
                     .arg(kShortRun_s, 0, 'f', 0));
}

double AutoRerun::cost(const nlohmann::json& document)
{
  try {
    const Scenario scenario = load_scenario(document, "studio");
    const LoadConfig& load  = scenario.base.load;
    const double clients    = load.type == LoadConfig::Type::closed ? load.connections : load.rate_rps * kOpenClientSeconds;
    return scenario.base.duration_s * double(scenario.servers.size()) * clients * scenario.replications;
  } catch (const std::exception&) {
    return 0;
  }
}

double AutoRerun::predicted_s(double cost) const
{
  if (last_s_ < 0 || lastCost_ <= 0)
    return -1;
  return last_s_ * cost / lastCost_;
}

void AutoRerun::onStarted()
{
  runningCost_ = cost(document_());
  clock_.start();
}

void AutoRerun::onAllDone()
{
  if (runningCost_ <= 0)
    return;
  last_s_   = double(clock_.elapsed()) / 1000;
  lastCost_ = runningCost_;
}

} // namespace gilsim::studio
