// One child `gilsim run --server K` process: reads its progress lines from
// stderr, its JSON result from stdout, and says in words how it ended when it
// fails (bad input, simulation failed, crashed on a signal, not startable).
#pragma once
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

class ServerProcess : public QObject {
  Q_OBJECT
public:
  ServerProcess(int server, int replications, QObject* parent = nullptr);
  ~ServerProcess() override;

  void start(const QString& binary, const QStringList& arguments);
  /// Kills the child; it then ends without `succeeded` or `failed`.
  void kill();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  qint64 pid() const { return process_.processId(); }

signals:
  void progress(double fraction);
  void succeeded(nlohmann::json result);
  void failed(QString message);
  /// The child is gone, whichever way.
  void ended();

private:
  void readStderrLines();
  void takeStderrLine(const QString& line);
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void onError(QProcess::ProcessError error);
  void emitResult();
  QString describeExit(int exitCode, QProcess::ExitStatus status) const;
  QString stderrText() const;

  QProcess process_;
  int server_;
  int replications_;
  QStringList messages_;
  bool killed_ = false;
};

} // namespace gilsim::studio
