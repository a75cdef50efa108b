// Step-through beyond the traced window: the lesson's timeline server run
// again in one child `gilsim run --server K` process with the same seed (so
// the same run), traced on another window, and the trace read off the GUI
// thread. Only the trace is wanted: the result's figures are the lesson's own.
#pragma once
#include "core/run_controller.hpp" // the trace pointer as a Qt meta type
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

class ServerProcess;

class LessonRerun : public QObject {
  Q_OBJECT
public:
  explicit LessonRerun(QObject* parent = nullptr);
  ~LessonRerun() override;

  /// Runs server `server` of `scenario` traced on [from_s, until_s), cancelling one still going;
  /// false with `error` set if it cannot start (no gilsim binary, no temporary folder).
  bool start(const nlohmann::json& scenario, int server, double from_s, double until_s, QString* error);
  /// Kills the child; nothing is emitted for it afterwards.
  void cancel();
  bool isRunning() const { return running_; }

signals:
  void traceLoaded(std::shared_ptr<const gilsim::trace::Trace> trace);
  void failed(QString message);

private:
  bool writeScenario(const nlohmann::json& scenario, QString* error);
  void readTrace(int generation);
  QString tracePath() const;

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<ServerProcess> process_;
  int generation_ = 0;
  bool running_   = false;
};

} // namespace gilsim::studio
