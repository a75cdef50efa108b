// A lesson's timeline server run again on another window (see lesson_rerun.hpp).
#include "core/lesson_rerun.hpp"
#include "core/background.hpp"
#include "core/gilsim_binary.hpp"
#include "core/loaded_trace.hpp"
#include "core/server_process.hpp"
#include <QFile>

namespace gilsim::studio {

LessonRerun::LessonRerun(QObject* parent) : QObject(parent) { qRegisterMetaType<std::shared_ptr<const trace::Trace>>(); }

LessonRerun::~LessonRerun() = default;

bool LessonRerun::writeScenario(const nlohmann::json& scenario, QString* error)
{
  dir_ = std::make_unique<QTemporaryDir>();
  QFile file(dir_->filePath("scenario.json"));
  const std::string text = scenario.dump(2);
  if (!dir_->isValid() || !file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size())) {
    *error = QString("cannot write the scenario to a temporary folder (%1)").arg(dir_->errorString());
    return false;
  }
  return true;
}

bool LessonRerun::start(const nlohmann::json& scenario, int server, double from_s, double until_s, QString* error)
{
  cancel();
  const QString binary = findGilsimBinary(error);
  if (binary.isEmpty() || !writeScenario(scenario, error))
    return false;
  const int generation = ++generation_;
  process_             = std::make_unique<ServerProcess>(server, 1);
  connect(process_.get(), &ServerProcess::succeeded, this, [this, generation] { readTrace(generation); });
  connect(process_.get(), &ServerProcess::failed, this, [this, generation](const QString& message) {
    if (generation != generation_)
      return;
    running_ = false;
    emit failed(message);
  });
  process_->start(binary, {"run", dir_->filePath("scenario.json"), "--server", QString::number(server), "--json",
                           "--trace-file", tracePath(), "--trace-from", QString::number(from_s, 'g', 17), "--trace-until",
                           QString::number(until_s, 'g', 17)});
  running_ = true;
  return true;
}

void LessonRerun::cancel()
{
  ++generation_;
  running_ = false;
  if (process_)
    process_->kill();
}

void LessonRerun::readTrace(int generation)
{
  auto read = [path = tracePath()] { return loadTrace([&] { return trace::read(path.toStdString()); }); };
  runInBackground(this, read, [this, generation](const LoadedTrace& outcome) {
    if (generation != generation_)
      return;
    running_ = false;
    if (outcome.trace)
      emit traceLoaded(outcome.trace);
    else
      emit failed("the trace cannot be read: " + outcome.error);
  });
}

QString LessonRerun::tracePath() const { return dir_->filePath("rerun.gtrace"); }

} // namespace gilsim::studio
