// Small scenarios re-run by themselves when a knob changes: 600 ms after the
// last of a burst of edits, if the run is predicted short (the last run's time
// scaled by the cost, or a small cost before any run); on or off, remembered.
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

class RunController;

class AutoRerun : public QObject {
  Q_OBJECT
public:
  static constexpr int kDebounceMs = 600;
  /// Before any run: re-run when duration_s × configurations × clients is at most this
  /// (default-io-bound: 60 s × 3 × 64 = 11 520, about 1 s of work on two cores).
  static constexpr double kSmallCost = 20000;
  /// After a run: re-run when the last run's time, scaled by the cost, predicts at most this.
  static constexpr double kShortRun_s = 2;

  /// The document that runs: the one open when a run starts or an edit is made.
  using Document = std::function<const nlohmann::json&()>;

  /// Times the runs of `runs` (each of `document`) to predict the next one's length.
  AutoRerun(RunController* runs, Document document, QObject* parent = nullptr);
  bool isEnabled() const { return enabled_; }
  void setEnabled(bool on);
  /// The document was edited: schedules runDue() if it is small, else says why not.
  void documentChanged();
  /// duration_s × configurations × clients (closed: connections; open: arrivals in 100 ms); 0 if unreadable.
  static double cost(const nlohmann::json& document);
  /// The run predicted for a document of `cost`, in seconds; negative before any run.
  double predicted_s(double cost) const;

signals:
  /// Run the edited document now (cancelling a run in progress).
  void runDue();
  /// A change that does not re-run by itself: why (press F5).
  void skipped(QString why);

private:
  void onStarted();
  void onAllDone();

  Document document_;
  QTimer debounce_;
  QElapsedTimer clock_;
  double runningCost_ = 0, lastCost_ = 0, last_s_ = -1;
  bool enabled_ = true;
};

} // namespace gilsim::studio
