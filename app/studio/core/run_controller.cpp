// Runs each server configuration of a scenario in a child gilsim (see run_controller.hpp).
#include "core/run_controller.hpp"
#include "core/background.hpp"
#include "core/gilsim_binary.hpp"
#include "core/loaded_trace.hpp"
#include "core/server_process.hpp"
#include "app/common/scenario.hpp"
#include <QFile>
#include <QThread>
#include <algorithm>

namespace gilsim::studio {

namespace {

bool writeFile(const QString& path, const std::string& text)
{
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(text.data(), qint64(text.size())) == qint64(text.size());
}

} // namespace

RunController::RunController(QObject* parent) : QObject(parent), maxParallel_(std::max(1, QThread::idealThreadCount()))
{
  qRegisterMetaType<nlohmann::json>();
  qRegisterMetaType<std::shared_ptr<const trace::Trace>>();
}

RunController::~RunController() = default;

bool RunController::start(const nlohmann::json& document, QString* error)
{
  cancel();
  binary_ = findGilsimBinary(error);
  if (binary_.isEmpty())
    return false;
  Scenario scenario;
  try {
    scenario = load_scenario(document, "studio");
  } catch (const std::exception& e) {
    *error = QString::fromUtf8(e.what());
    return false;
  }
  workDir_ = std::make_unique<QTemporaryDir>();
  if (!workDir_->isValid() || !writeFile(scenarioPath(), document.dump(2))) {
    *error = QString("cannot write the scenario to a temporary folder (%1)").arg(workDir_->errorString());
    return false;
  }
  ++runId_;
  cancelled_    = false;
  replications_ = scenario.replications;
  servers_.clear();
  for (std::size_t k = 0; k < scenario.servers.size(); ++k)
    servers_.push_back(nullptr);
  nextServer_ = 0;
  emit started(serverCount());
  launchPending();
  return true;
}

void RunController::cancel()
{
  if (!isRunning())
    return;
  nextServer_ = serverCount();
  cancelled_  = true;
  for (auto& server : servers_)
    if (server)
      server->kill();
  emit cancelled();
}

bool RunController::isRunning() const
{
  if (nextServer_ < serverCount())
    return true;
  return std::any_of(servers_.begin(), servers_.end(), [](const auto& s) { return s && s->isRunning(); });
}

QList<qint64> RunController::childPids() const
{
  QList<qint64> pids;
  for (const auto& server : servers_)
    if (server && server->isRunning())
      pids << server->pid();
  return pids;
}

void RunController::launchPending()
{
  auto running = std::count_if(servers_.begin(), servers_.end(), [](const auto& s) { return s && s->isRunning(); });
  while (nextServer_ < serverCount() && running < maxParallel_) {
    launch(nextServer_++);
    ++running;
  }
}

void RunController::launch(int server)
{
  auto process = std::make_unique<ServerProcess>(server, replications_);
  connect(process.get(), &ServerProcess::progress, this, [this, server](double f) { emit progress(server, f); });
  connect(process.get(), &ServerProcess::succeeded, this, [this, server](const nlohmann::json& result) {
    emit finished(server, result, tracePath(server));
    readTrace(server, tracePath(server));
  });
  connect(process.get(), &ServerProcess::failed, this, [this, server](const QString& m) { emit failed(server, m); });
  const int run = runId_;
  connect(process.get(), &ServerProcess::ended, this, [this, run] {
    if (run == runId_)
      onServerEnded();
  }, Qt::QueuedConnection);
  QStringList arguments = {"run", scenarioPath(), "--server", QString::number(server), "--json", "--trace-file",
                           tracePath(server), "--progress"};
  if (traceFrom_s_ < traceUntil_s_)
    arguments << "--trace-from" << QString::number(traceFrom_s_, 'g', 17) << "--trace-until"
              << QString::number(traceUntil_s_, 'g', 17);
  process->start(binary_, arguments);
  servers_[server] = std::move(process);
}

void RunController::onServerEnded()
{
  if (isRunning())
    launchPending();
  else if (!cancelled_)
    emit allDone();
}

void RunController::readTrace(int server, const QString& path)
{
  const int run = runId_;
  auto read = [path] { return loadTrace([&] { return trace::read(path.toStdString()); }); };
  runInBackground(this, read, [this, server, run](const LoadedTrace& outcome) {
    if (run != runId_)
      return;
    if (outcome.trace)
      emit traceLoaded(server, outcome.trace);
    else
      emit traceFailed(server, outcome.error);
  });
}

QString RunController::scenarioPath() const { return workDir_->filePath("scenario.json"); }

QString RunController::tracePath(int server) const
{
  return workDir_->filePath(QString("server-%1.gtrace").arg(server));
}

} // namespace gilsim::studio
