// Runs a scenario the way Hotspot runs its parser: each server configuration in
// its own child `gilsim run --server K` process (a few at once), progress read
// from its stderr, results and traces handed back as signals; never blocks the GUI.
#pragma once
#include "engine/trace_file.hpp"
#include <QList>
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

class ServerProcess;

class RunController : public QObject {
  Q_OBJECT
public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  /// Starts one child per server configuration of a validated document, cancelling a run
  /// still going; false with `error` set if it cannot (no gilsim binary, no temporary folder).
  bool start(const nlohmann::json& document, QString* error);
  /// Kills every child; `cancelled()` follows once.
  void cancel();
  bool isRunning() const;
  int serverCount() const { return static_cast<int>(servers_.size()); }
  /// The process ids of the children running now.
  QList<qint64> childPids() const;
  /// At most this many children at once (default: QThread::idealThreadCount()).
  void setMaxParallel(int children) { maxParallel_ = children; }
  /// The simulated seconds the next runs trace (from >= until: gilsim's default,
  /// the 2 s after the warm-up). The figures do not depend on it.
  void setTraceWindow(double from_s, double until_s)
  {
    traceFrom_s_  = from_s;
    traceUntil_s_ = until_s;
  }

signals:
  void started(int servers);
  void progress(int server, double fraction);
  void finished(int server, nlohmann::json result, QString traceFile);
  void failed(int server, QString message);
  void traceLoaded(int server, std::shared_ptr<const gilsim::trace::Trace> trace);
  void traceFailed(int server, QString message);
  /// Every child is done (finished or failed); not emitted after cancel().
  void allDone();
  void cancelled();

private:
  void launchPending();
  void launch(int server);
  void onServerEnded();
  void readTrace(int server, const QString& path);
  QString scenarioPath() const;
  QString tracePath(int server) const;

  QString binary_;
  double traceFrom_s_ = 0, traceUntil_s_ = 0;
  std::unique_ptr<QTemporaryDir> workDir_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
  int nextServer_  = 0;
  int maxParallel_ = 1;
  int replications_ = 1;
  int runId_ = 0;
  bool cancelled_ = false;
};

} // namespace gilsim::studio

Q_DECLARE_METATYPE(nlohmann::json)
Q_DECLARE_METATYPE(std::shared_ptr<const gilsim::trace::Trace>)
