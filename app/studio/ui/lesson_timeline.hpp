// A lesson's timeline after the reveal: the lesson's configuration on its
// window, the lanes that matter framed in orange, and step-through — one
// event at a time forward and back (or played at human speed), the event
// under the cursor spelled out in a sentence. A step past either end of the
// traced window runs the configuration again (same seed: the same run),
// traced on the window before (or after) it, and lands on the event next to
// the one the cursor was on.
#pragma once
#include "app/common/lesson.hpp"
#include "core/lesson_rerun.hpp"
#include "core/lesson_steps.hpp"
#include "engine/trace_file.hpp"
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <functional>
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
  /// A window traced again overlaps the one it follows by this share of its width (the event it started from is in both).
  static constexpr double kRerunOverlap = 0.1;

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
  /// A step past the traced window is running the configuration again.
  bool isRerunning() const { return rerun_.isRunning(); }
  /// The window the trace shown covers (the lesson's, or one traced again).
  double windowStart_s() const { return from_s_; }
  double windowEnd_s() const { return until_s_; }
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
  /// Where a step past the window lands once the run again is in: next to `anchor`, else the first event past `edge_s`.
  struct Landing {
    bool back = true;
    bool hasAnchor = false;
    LessonEvent anchor;
    double edge_s = 0;
    double from_s = 0, until_s = 0; ///< the window traced again
  };

  void buildModel(std::shared_ptr<const trace::Trace> trace, std::function<void(std::shared_ptr<const TimelineModel>)> then);
  /// Shows `model` on [from_s, until_s) with the lesson's lanes framed and its events; the lanes it has not.
  QStringList showModel(std::shared_ptr<const TimelineModel> model, double from_s, double until_s);
  /// A step past the window's start (back) or end: the window to trace again and where to land in it.
  Landing landingBeyond(bool back) const;
  void stepBeyond(bool back);
  void land(std::shared_ptr<const TimelineModel> model);
  void setStepping(bool enabled);
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
  Lesson lesson_;
  double from_s_ = 0, until_s_ = 0;
  LessonRerun rerun_;
  Landing landing_;
  int generation_ = 0;
};

} // namespace gilsim::studio
