// Runs `gilsim validate --target server` in its own session (see measure_runner.hpp).
#include "core/measure_runner.hpp"
#include "core/gilsim_binary.hpp"
#include <QDir>
#include <QFile>
#include <QThread>
#include <set>
#include <signal.h>
#include <unistd.h>

namespace gilsim::studio {

namespace {

constexpr int kTickMs         = 250;
constexpr int kKillRounds     = 100;
constexpr int kKillPauseMs    = 10;
constexpr int kExitBadInput   = 2;

/// The process group of each live (not zombie) process of session `sid`, from /proc.
std::set<pid_t> sessionGroups(pid_t sid)
{
  std::set<pid_t> groups;
  for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    QFile stat("/proc/" + entry + "/stat");
    if (!stat.open(QIODevice::ReadOnly))
      continue;
    const QByteArray text = stat.readAll();
    // after "pid (comm) ": state ppid pgrp session …
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() > 3 && fields[0] != "Z" && fields[3].toLongLong() == sid)
      groups.insert(pid_t(fields[2].toLongLong()));
  }
  return groups;
}

QString describeFailure(int exitCode, QProcess::ExitStatus status, const QString& stderrText)
{
  QString what;
  if (status == QProcess::CrashExit)
    what = "gilsim validate crashed";
  else if (exitCode == kExitBadInput)
    what = "gilsim validate cannot measure this scenario";
  else
    what = QString("gilsim validate failed (exit code %1)").arg(exitCode);
  return stderrText.isEmpty() ? what : what + ": " + stderrText;
}

} // namespace

void killSession(qint64 sid)
{
  if (sid <= 1 || sid == ::getsid(0))
    return;
  for (int round = 0; round < kKillRounds; ++round) {
    const std::set<pid_t> groups = sessionGroups(pid_t(sid));
    if (groups.empty())
      return;
    for (pid_t group : groups)
      if (group > 1 && group != ::getpgrp())
        ::kill(-group, SIGKILL);
    QThread::msleep(kKillPauseMs);
  }
}

MeasureRunner::MeasureRunner(QObject* parent) : QObject(parent)
{
  qRegisterMetaType<nlohmann::json>();
  process_.setChildProcessModifier([] { ::setsid(); }); // a session of its own: Cancel finds all it started
  connect(&process_, &QProcess::started, this, [this] { sid_ = process_.processId(); });
  connect(&process_, &QProcess::finished, this, &MeasureRunner::onFinished);
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart)
      emit failed(QString("cannot start %1: %2").arg(process_.program(), process_.errorString()));
  });
  connect(&ticker_, &QTimer::timeout, this, [this] { emit progress(clock_.elapsed() / 1000.0, estimate_s_); });
  ticker_.setInterval(kTickMs);
}

MeasureRunner::~MeasureRunner()
{
  process_.disconnect(this);
  cancel();
}

double MeasureRunner::estimate_s(const Scenario& scenario, const MeasureOptions& options)
{
  std::set<WorkerClass> classes;
  for (std::size_t k = 0; k < scenario.servers.size(); ++k)
    if (options.server < 0 || int(k) == options.server)
      classes.insert(scenario.servers[k].worker_class);
  const double configurations = options.server < 0 ? double(scenario.servers.size()) : 1.0;
  return (options.warmup_s + options.seconds) * configurations + kCalibration_s * double(classes.size());
}

bool MeasureRunner::start(const nlohmann::json& document, const MeasureOptions& options, QString* error)
{
  cancel();
  const QString binary = findGilsimBinary(error);
  if (binary.isEmpty())
    return false;
  workDir_ = std::make_unique<QTemporaryDir>();
  QFile scenario(workDir_->filePath("scenario.json"));
  const QByteArray text = QByteArray::fromStdString(document.dump(2));
  if (!workDir_->isValid() || !scenario.open(QIODevice::WriteOnly) || scenario.write(text) != text.size()) {
    *error = QString("cannot write the scenario to a temporary folder (%1)").arg(workDir_->errorString());
    return false;
  }
  scenario.close();
  estimate_s_ = estimate_s(load_scenario(document, "measure"), options);
  QStringList arguments = {"validate", scenario.fileName(), "--target", "server", "--json",
                           "--seconds", QString::number(options.seconds), "--warmup", QString::number(options.warmup_s),
                           "--trace-dir", workDir_->filePath("traces")};
  if (options.server >= 0)
    arguments << "--server" << QString::number(options.server);
  cancelling_ = false;
  sid_        = 0;
  clock_.start();
  ticker_.start();
  process_.start(binary, arguments);
  return true;
}

void MeasureRunner::cancel()
{
  if (!isRunning())
    return;
  cancelling_ = true;
  ticker_.stop();
  killSession(sid_);
  process_.kill(); // still starting: not yet in a session
  process_.waitForFinished(1000);
  emit cancelled();
}

void MeasureRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
  ticker_.stop();
  if (cancelling_)
    return;
  killSession(sid_); // nothing validate started outlives it
  const QByteArray out   = process_.readAllStandardOutput();
  const QString stderrText = QString::fromUtf8(process_.readAllStandardError()).trimmed();
  if (status != QProcess::NormalExit || exitCode != 0)
    emit failed(describeFailure(exitCode, status, stderrText));
  else
    finish(out);
}

void MeasureRunner::finish(const QByteArray& out)
{
  nlohmann::json report = nlohmann::json::parse(out.constData(), out.constData() + out.size(), nullptr, false);
  if (!report.is_object() || !report.contains("results") || !report["results"].is_array())
    emit failed("gilsim validate printed no report: " + QString::fromUtf8(out.left(400)));
  else
    emit finished(report);
}

} // namespace gilsim::studio
