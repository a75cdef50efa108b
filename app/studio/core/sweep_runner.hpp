// Runs a sweep off the GUI thread: each point × configuration in its own child
// `gilsim run SCENARIO.json --set PATH=V --server K --json` (a few at once), after every
// point's scenario passed the CLI's loader; results come back as signals.
#pragma once
#include "core/run_controller.hpp" // nlohmann::json as a signal argument
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

class ServerProcess;

class SweepRunner : public QObject {
  Q_OBJECT
public:
  explicit SweepRunner(QObject* parent = nullptr);
  ~SweepRunner() override;

  /// Checks every point, then starts the children, cancelling a sweep still going; false with
  /// `error` set (a value the loader refuses, no gilsim binary) before any child starts.
  bool start(const nlohmann::json& document, const QString& path, const QStringList& values, QString* error);
  void cancel();
  bool isRunning() const;
  int points() const { return int(values_.size()); }
  int servers() const { return servers_; }
  const QStringList& values() const { return values_; }
  /// The process ids of the children running now.
  QList<qint64> childPids() const;
  /// At most this many children at once (default: QThread::idealThreadCount()).
  void setMaxParallel(int children) { maxParallel_ = children; }

signals:
  void started(int points, int servers);
  /// The whole sweep's fraction done.
  void progress(double fraction);
  void pointFinished(int point, int server, nlohmann::json result);
  void pointFailed(int point, int server, QString message);
  /// Every child is done; not emitted after cancel().
  void allDone();
  void cancelled();

private:
  struct Job {
    int point, server;
    std::unique_ptr<ServerProcess> process;
    double fraction = 0;
  };
  void launchPending();
  void launch(Job& job);
  void onJobEnded();
  void emitProgress();

  QString binary_;
  std::unique_ptr<QTemporaryDir> workDir_;
  QString path_;
  QStringList values_;
  std::vector<int> replications_;
  std::vector<Job> jobs_;
  std::size_t nextJob_ = 0;
  int servers_     = 0;
  int maxParallel_ = 1;
  int runId_       = 0;
  bool cancelled_  = false;
};

} // namespace gilsim::studio
