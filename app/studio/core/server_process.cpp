// One child `gilsim run --server K` process (see server_process.hpp).
#include "core/server_process.hpp"
#include <algorithm>
#include <cstring>

namespace gilsim::studio {

namespace {
constexpr int kExitBadInput         = 2;
constexpr int kExitSimulationFailed = 3;
constexpr int kKillWaitMs           = 1000;
} // namespace

ServerProcess::ServerProcess(int server, int replications, QObject* parent)
    : QObject(parent), server_(server), replications_(std::max(1, replications))
{
  connect(&process_, &QProcess::readyReadStandardError, this, &ServerProcess::readStderrLines);
  connect(&process_, &QProcess::finished, this, &ServerProcess::onFinished);
  connect(&process_, &QProcess::errorOccurred, this, &ServerProcess::onError);
}

ServerProcess::~ServerProcess()
{
  if (!isRunning())
    return;
  process_.disconnect(this);
  process_.kill();
  process_.waitForFinished(kKillWaitMs);
}

void ServerProcess::start(const QString& binary, const QStringList& arguments) { process_.start(binary, arguments); }

void ServerProcess::kill()
{
  killed_ = true;
  if (isRunning())
    process_.kill();
}

void ServerProcess::readStderrLines()
{
  process_.setReadChannel(QProcess::StandardError);
  while (process_.canReadLine())
    takeStderrLine(QString::fromUtf8(process_.readLine()).trimmed());
  process_.setReadChannel(QProcess::StandardOutput);
}

void ServerProcess::takeStderrLine(const QString& line)
{
  const QStringList words = line.split(' ', Qt::SkipEmptyParts);
  if (words.size() == 5 && words[0] == "progress") {
    const double replication = words[2].toDouble(), simulated_s = words[3].toDouble(), duration_s = words[4].toDouble();
    const double done = duration_s > 0 ? simulated_s / duration_s : 0;
    emit progress(std::clamp((replication + done) / replications_, 0.0, 1.0));
  } else if (!line.isEmpty()) {
    messages_ << line;
  }
}

void ServerProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
  readStderrLines();
  messages_ << QString::fromUtf8(process_.readAllStandardError()).trimmed();
  messages_.removeAll(QString());
  if (!killed_) {
    if (status == QProcess::NormalExit && exitCode == 0)
      emitResult();
    else
      emit failed(describeExit(exitCode, status));
  }
  emit ended();
}

void ServerProcess::onError(QProcess::ProcessError error)
{
  if (error != QProcess::FailedToStart)
    return;
  emit failed(QString("cannot start %1: %2").arg(process_.program(), process_.errorString()));
  emit ended();
}

void ServerProcess::emitResult()
{
  const QByteArray out = process_.readAllStandardOutput();
  nlohmann::json document = nlohmann::json::parse(out.constData(), out.constData() + out.size(), nullptr, false);
  if (!document.is_object() || !document.contains("results") || !document["results"].is_array() ||
      document["results"].empty()) {
    emit failed(QString("gilsim ended without printing a result for configuration %1%2")
                    .arg(server_)
                    .arg(stderrText().isEmpty() ? QString() : ": " + stderrText()));
    return;
  }
  emit succeeded(document["results"][0]);
}

QString ServerProcess::describeExit(int exitCode, QProcess::ExitStatus status) const
{
  QString what;
  if (status == QProcess::CrashExit)
    what = QString("gilsim crashed (signal %1, %2)").arg(exitCode).arg(QString::fromUtf8(strsignal(exitCode)));
  else if (exitCode == kExitBadInput)
    what = "gilsim rejected the scenario (exit code 2, bad input)";
  else if (exitCode == kExitSimulationFailed)
    what = "the simulation failed (exit code 3)";
  else
    what = QString("gilsim exited with code %1").arg(exitCode);
  return stderrText().isEmpty() ? what : what + ": " + stderrText();
}

QString ServerProcess::stderrText() const { return messages_.join('\n'); }

} // namespace gilsim::studio
