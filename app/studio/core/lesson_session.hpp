// One lesson being taught: first only the question (no run, no figure); on
// commit the scenario runs in child gilsim processes (RunController), traced
// on the lesson's window; when every result and trace is in, the verdict —
// the answer computed from the figures — is revealed. Nothing of the result
// can be read before the commit.
#pragma once
#include "app/common/lesson.hpp"
#include "core/run_controller.hpp"
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

namespace gilsim::studio {

/// The index of the server the lesson's timeline shows (its `timeline.server`; default the first).
int timelineServer(const Lesson& lesson);

class LessonSession : public QObject {
  Q_OBJECT
public:
  enum class Stage { asking, running, revealed, failed };

  explicit LessonSession(QObject* parent = nullptr);

  /// Starts a lesson: its question, nothing run (a run still going is cancelled).
  void setLesson(const Lesson& lesson);
  const Lesson& lesson() const { return lesson_; }
  bool hasLesson() const { return !lesson_.id.empty(); }
  Stage stage() const { return stage_; }

  /// The student commits (in presenter mode the class answers aloud: an empty prediction);
  /// the run starts. False, with `error`, if it cannot start or was committed already.
  bool commit(const LessonPrediction& prediction, QString* error);
  const LessonPrediction& prediction() const { return prediction_; }
  /// The answer and its figures; null until revealed.
  const LessonVerdict* verdict() const { return stage_ == Stage::revealed ? &verdict_ : nullptr; }
  /// Whether the committed prediction was right (false for an empty one).
  bool predictionRight() const;
  /// The trace of the lesson's timeline server; null until revealed.
  std::shared_ptr<const trace::Trace> trace() const { return stage_ == Stage::revealed ? trace_ : nullptr; }
  QString failure() const { return failure_; }
  RunController* runs() { return &runs_; }

signals:
  void stageChanged(Stage stage);
  void progress(double fraction);
  void revealed();
  void failed(QString message);

private:
  void connectRuns();
  void settle();
  void fail(const QString& message);

  Lesson lesson_;
  RunController runs_;
  Stage stage_ = Stage::asking;
  LessonPrediction prediction_;
  nlohmann::json results_;
  std::vector<double> progress_;
  std::shared_ptr<const trace::Trace> trace_;
  int pending_ = 0;
  bool traceIn_ = false;
  LessonVerdict verdict_;
  QString failure_;
};

} // namespace gilsim::studio
