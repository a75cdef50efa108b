// "Measure on gilsim-server": one child `gilsim validate SCENARIO --target server --json
// --trace-dir DIR` in a session of its own, progress as time against the estimate, and a
// Cancel that kills every process group of that session (validate's servers and wrk too).
#pragma once
#include "app/common/scenario.hpp"
#include "core/run_controller.hpp" // nlohmann::json as a signal argument
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <memory>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

struct MeasureOptions {
  double seconds  = 5;  ///< measured seconds per configuration (--seconds)
  double warmup_s = 1;  ///< seconds of load before measuring (--warmup)
  int server      = -1; ///< only this configuration (--server K); -1: all of them
};

class MeasureRunner : public QObject {
  Q_OBJECT
public:
  static constexpr double kCalibration_s = 4; ///< validate's calibration per worker class

  explicit MeasureRunner(QObject* parent = nullptr);
  ~MeasureRunner() override;

  /// About how long validate takes: (warmup + S) per configuration, plus each worker class's calibration.
  static double estimate_s(const Scenario& scenario, const MeasureOptions& options);

  /// Starts validate on a document the loader takes; false with `error` set if it cannot start.
  bool start(const nlohmann::json& document, const MeasureOptions& options, QString* error);
  /// Kills validate and everything it started; `cancelled()` follows.
  void cancel();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  /// validate's process id, which is also its session's and its process group's (0 before it starts).
  qint64 pid() const { return sid_; }
  double estimate_s() const { return estimate_s_; }

signals:
  void progress(double elapsed_s, double estimate_s);
  /// The report (`gilsim validate --json`) and the folder holding its real traces.
  void finished(nlohmann::json report);
  /// validate refused the scenario (its own message) or failed.
  void failed(QString message);
  void cancelled();

private:
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void finish(const QByteArray& out);

  QProcess process_;
  QTimer ticker_;
  QElapsedTimer clock_;
  std::unique_ptr<QTemporaryDir> workDir_;
  qint64 sid_        = 0;
  double estimate_s_ = 0;
  bool cancelling_   = false;
};

/// Kills, with SIGKILL, every process group of session `sid` until none is left (a second at most).
void killSession(qint64 sid);

} // namespace gilsim::studio
