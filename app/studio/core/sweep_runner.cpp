// Runs a sweep's points in child gilsim processes (see sweep_runner.hpp).
#include "core/sweep_runner.hpp"
#include "core/gilsim_binary.hpp"
#include "core/server_process.hpp"
#include "core/sweep_plan.hpp"
#include "app/common/scenario.hpp"
#include <QFile>
#include <QThread>
#include <algorithm>

namespace gilsim::studio {

namespace {

bool writeScenario(const QString& path, const nlohmann::json& document)
{
  QFile file(path);
  const QByteArray text = QByteArray::fromStdString(document.dump(2));
  return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

SweepRunner::SweepRunner(QObject* parent) : QObject(parent), maxParallel_(std::max(1, QThread::idealThreadCount()))
{
  qRegisterMetaType<nlohmann::json>();
}

SweepRunner::~SweepRunner() = default;

bool SweepRunner::start(const nlohmann::json& document, const QString& path, const QStringList& values, QString* error)
{
  cancel();
  if (!checkSweep(document, path, values, error))
    return false;
  binary_ = findGilsimBinary(error);
  if (binary_.isEmpty())
    return false;
  workDir_ = std::make_unique<QTemporaryDir>();
  if (!workDir_->isValid() || !writeScenario(workDir_->filePath("scenario.json"), document)) {
    *error = QString("cannot write the scenario to a temporary folder (%1)").arg(workDir_->errorString());
    return false;
  }
  path_    = path;
  values_  = values;
  servers_ = int(load_scenario(document, "sweep").servers.size());
  replications_.clear();
  jobs_.clear();
  for (int point = 0; point < values.size(); ++point) {
    replications_.push_back(load_scenario(sweepPointDocument(document, path, values[point]), "sweep").replications);
    for (int server = 0; server < servers_; ++server)
      jobs_.push_back({point, server, nullptr});
  }
  ++runId_;
  nextJob_   = 0;
  cancelled_ = false;
  emit started(points(), servers_);
  launchPending();
  return true;
}

void SweepRunner::cancel()
{
  if (!isRunning())
    return;
  nextJob_   = jobs_.size();
  cancelled_ = true;
  for (Job& job : jobs_)
    if (job.process)
      job.process->kill();
  emit cancelled();
}

bool SweepRunner::isRunning() const
{
  return nextJob_ < jobs_.size() ||
         std::any_of(jobs_.begin(), jobs_.end(), [](const Job& j) { return j.process && j.process->isRunning(); });
}

QList<qint64> SweepRunner::childPids() const
{
  QList<qint64> pids;
  for (const Job& job : jobs_)
    if (job.process && job.process->isRunning())
      pids << job.process->pid();
  return pids;
}

void SweepRunner::launchPending()
{
  while (nextJob_ < jobs_.size() && childPids().size() < maxParallel_)
    launch(jobs_[nextJob_++]);
}

void SweepRunner::launch(Job& job)
{
  job.process = std::make_unique<ServerProcess>(job.server, replications_.at(std::size_t(job.point)));
  ServerProcess* process = job.process.get();
  const int point = job.point, server = job.server, run = runId_;
  Job* tracked = &job;
  connect(process, &ServerProcess::progress, this, [this, tracked](double f) {
    tracked->fraction = f;
    emitProgress();
  });
  connect(process, &ServerProcess::succeeded, this, [this, point, server](const nlohmann::json& result) {
    emit pointFinished(point, server, result);
  });
  connect(process, &ServerProcess::failed, this,
          [this, point, server](const QString& message) { emit pointFailed(point, server, message); });
  connect(process, &ServerProcess::ended, this, [this, tracked, run] {
    if (run != runId_)
      return;
    tracked->fraction = 1;
    emitProgress();
    onJobEnded();
  }, Qt::QueuedConnection);
  QStringList arguments = {"run", workDir_->filePath("scenario.json"), "--server", QString::number(server), "--json", "--progress"};
  for (const QString& assignment : sweepAssignments(path_, values_[point], servers_))
    arguments << "--set" << assignment;
  process->start(binary_, arguments);
}

void SweepRunner::onJobEnded()
{
  if (isRunning())
    launchPending();
  else if (!cancelled_)
    emit allDone();
}

void SweepRunner::emitProgress()
{
  double done = 0;
  for (const Job& job : jobs_)
    done += job.fraction;
  emit progress(jobs_.empty() ? 1.0 : done / double(jobs_.size()));
}

} // namespace gilsim::studio
