// One lesson's predict-then-reveal (see lesson_session.hpp).
#include "core/lesson_session.hpp"
#include <algorithm>
#include <numeric>

namespace gilsim::studio {

LessonSession::LessonSession(QObject* parent) : QObject(parent) { connectRuns(); }

void LessonSession::setLesson(const Lesson& lesson)
{
  runs_.cancel();
  lesson_     = lesson;
  prediction_ = {};
  results_    = nlohmann::json::array();
  trace_      = nullptr;
  verdict_    = {};
  failure_.clear();
  stage_ = Stage::asking;
  emit stageChanged(stage_);
}

int timelineServer(const Lesson& lesson)
{
  const auto& servers = lesson.loaded.servers;
  for (std::size_t k = 0; k < servers.size(); ++k)
    if (servers[k].label == lesson.timeline.server)
      return int(k);
  return 0;
}

bool LessonSession::commit(const LessonPrediction& prediction, QString* error)
{
  if (!hasLesson() || stage_ != Stage::asking) {
    *error = hasLesson() ? "the answer is already committed" : "no lesson is open";
    return false;
  }
  prediction_ = prediction;
  const std::size_t servers = lesson_.loaded.servers.size();
  results_  = nlohmann::json::array();
  for (std::size_t k = 0; k < servers; ++k)
    results_.push_back(nullptr);
  progress_.assign(servers, 0.0);
  pending_  = int(servers);
  traceIn_  = false;
  runs_.setTraceWindow(lesson_.timeline.from_s, lesson_.timeline.until_s);
  if (!runs_.start(lesson_.scenario, error))
    return false;
  stage_ = Stage::running;
  emit stageChanged(stage_);
  return true;
}

bool LessonSession::predictionRight() const
{
  return stage_ == Stage::revealed && !prediction_.empty() && prediction_right(lesson_, verdict_, prediction_);
}

void LessonSession::connectRuns()
{
  connect(&runs_, &RunController::progress, this, [this](int k, double f) {
    progress_.at(std::size_t(k)) = f;
    emit progress(std::accumulate(progress_.begin(), progress_.end(), 0.0) / double(progress_.size()));
  });
  connect(&runs_, &RunController::finished, this, [this](int k, const nlohmann::json& result, const QString&) {
    results_[std::size_t(k)] = result;
    --pending_;
    settle();
  });
  connect(&runs_, &RunController::failed, this, [this](int k, const QString& message) {
    runs_.cancel();
    fail(QString("%1 failed: %2").arg(QString::fromStdString(lesson_.loaded.servers[std::size_t(k)].label), message));
  });
  connect(&runs_, &RunController::traceLoaded, this, [this](int k, std::shared_ptr<const trace::Trace> trace) {
    if (k != timelineServer(lesson_))
      return;
    trace_   = std::move(trace);
    traceIn_ = true;
    settle();
  });
  connect(&runs_, &RunController::traceFailed, this, [this](int k, const QString& message) {
    if (k == timelineServer(lesson_))
      fail("the timeline cannot be shown: " + message);
  });
}

void LessonSession::settle()
{
  if (stage_ != Stage::running || pending_ > 0 || !traceIn_)
    return;
  try {
    verdict_ = judge_lesson(lesson_, results_);
  } catch (const std::exception& e) {
    return fail(QString::fromUtf8(e.what()));
  }
  stage_ = Stage::revealed;
  emit stageChanged(stage_);
  emit revealed();
}

void LessonSession::fail(const QString& message)
{
  if (stage_ != Stage::running)
    return;
  failure_ = message;
  stage_   = Stage::failed;
  emit stageChanged(stage_);
  emit failed(message);
}

} // namespace gilsim::studio
