// A line edit that moves a TimeAxis to a typed time: "5.012" (seconds),
// "5012 ms", "5.01 s", "250us", "80 ns". Text it cannot read, or a time outside
// the trace, turns its frame red and says why in its tooltip.
#pragma once
#include <QLineEdit>
#include <optional>

class TimeAxis;

class GoToTimeEdit : public QLineEdit {
  Q_OBJECT
public:
  explicit GoToTimeEdit(TimeAxis* axis, QWidget* parent = nullptr);

  /// The time `text` names in seconds; nullopt (and why, in `error`) if it names none.
  static std::optional<double> parseTime(const QString& text, QString* error = nullptr);
  /// Why the last Enter went nowhere; empty after a good one or an edit.
  QString errorText() const { return error_; }

signals:
  /// Enter moved the axis to t (centred, cursor on it).
  void wentTo(double t_s);
  /// Enter named a time outside the trace, with something connected to trace
  /// it (a run is deterministic: the studio runs again with a window there).
  void outsideTrace(double t_s);

private:
  void go();
  void showError(const QString& error);
  void clearError();
  TimeAxis* axis_;
  QString error_;
};
