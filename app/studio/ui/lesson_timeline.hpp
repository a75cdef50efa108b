// A lesson's timeline after the reveal: the lesson's configuration on its
// window, the lanes that matter framed in orange, and step-through — one
// event at a time forward and back (or played at human speed), the event
// under the cursor spelled out in a sentence.
#pragma once
#include "app/common/lesson.hpp"
#include "core/lesson_steps.hpp"
#include "engine/trace_file.hpp"
#include <QTimer>
#include <QWidget>
#include <memory>

class QLabel;
class QToolButton;
class TimeAxis;
class TimelineLegend;
class TimelineView;

namespace gilsim::studio {

class LessonTimeline : public QWidget {
  Q_OBJECT
public:
  static constexpr int kPlayStepMs = 900; ///< one event per this many ms when playing

  explicit LessonTimeline(QWidget* parent = nullptr);
  /// Shows `trace` on the lesson's window; the model is built off the GUI thread, then ready() follows.
  void show(std::shared_ptr<const trace::Trace> trace, const Lesson& lesson);
  void clear();
  bool isReady() const { return model_ != nullptr; }
  /// Larger fonts and thicker rows (presenter mode: no legend, the sentences name the states).
  void setPresenterScale(double scale);

  TimelineView* view() const { return view_; }
  const LessonSteps& steps() const { return steps_; }
  /// The model rows framed as the lesson's lanes.
  const std::vector<int>& highlightedRows() const { return rows_; }
  QString sentence() const;
  bool isPlaying() const { return play_.isActive(); }
  /// The timeline at `count` cursor positions across the window (a handout's frames).
  std::vector<QImage> frames(int count);

public slots:
  void stepForward();
  void stepBackward();
  void togglePlay();

signals:
  void ready();
  void stepped(int index);

private:
  void showModel(std::shared_ptr<const TimelineModel> model, const Lesson& lesson);
  void showStep();
  /// The first framed lane of a worker comes into sight when it is below the middle.
  void scrollToFramedLanes();

  TimeAxis* axis_;
  TimelineLegend* legend_;
  TimelineView* view_;
  QWidget* overlay_;
  QLabel* sentence_;
  QToolButton *back_, *forward_, *playButton_;
  QTimer play_;
  std::shared_ptr<const TimelineModel> model_;
  std::vector<int> rows_;
  LessonSteps steps_;
  int generation_ = 0;
};

} // namespace gilsim::studio
