// Reading a typed time (a number, then s, ms, us / µs or ns; seconds if none)
// and moving the axis there on Enter, or flagging the text at the field.
#include "timeline/go_to_time_edit.hpp"
#include "timeline/time_axis.hpp"
#include "timeline/time_format.hpp"
#include <QRegularExpression>
#include <QMetaMethod>
#include <QToolTip>
#include <cmath>

namespace {

constexpr const char* kExamples = "5.012, 5012 ms, 5.01 s or 250 us";

/// Seconds per unit, 0 for a unit it does not know.
double unitSeconds(const QString& unit)
{
  if (unit.isEmpty() || unit == QLatin1String("s") || unit == QLatin1String("sec"))
    return 1;
  if (unit == QLatin1String("ms"))
    return 1e-3;
  if (unit == QLatin1String("us") || unit == QStringLiteral("\u00b5s") || unit == QStringLiteral("\u03bcs"))
    return 1e-6;
  if (unit == QLatin1String("ns"))
    return 1e-9;
  return 0;
}

std::optional<double> fail(QString* error, const QString& why)
{
  if (error)
    *error = why;
  return std::nullopt;
}

} // namespace

GoToTimeEdit::GoToTimeEdit(TimeAxis* axis, QWidget* parent) : QLineEdit(parent), axis_(axis)
{
  setPlaceholderText(tr("Go to time (e.g. %1)").arg(QString::fromLatin1(kExamples)));
  setClearButtonEnabled(true);
  connect(this, &QLineEdit::returnPressed, this, &GoToTimeEdit::go);
  connect(this, &QLineEdit::textEdited, this, &GoToTimeEdit::clearError);
}

std::optional<double> GoToTimeEdit::parseTime(const QString& text, QString* error)
{
  static const QRegularExpression re(QStringLiteral(R"(^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S*)$)"));
  QString trimmed = text.trimmed();
  if (trimmed.isEmpty())
    return fail(error, tr("Type a time, e.g. %1").arg(QString::fromLatin1(kExamples)));
  if (trimmed.contains(QLatin1Char(',')))
    return fail(error, tr("\"%1\": write decimals with a point, e.g. 5.012").arg(trimmed));
  QRegularExpressionMatch m = re.match(trimmed);
  if (!m.hasMatch())
    return fail(error, tr("\"%1\" is not a time: write a number and a unit, e.g. %2").arg(trimmed, QString::fromLatin1(kExamples)));
  double per = unitSeconds(m.captured(2).toLower());
  if (per == 0)
    return fail(error, tr("\"%1\" is not a unit of time: use s, ms, us or ns").arg(m.captured(2)));
  bool ok  = false;
  double t = m.captured(1).toDouble(&ok) * per;
  if (!ok || !std::isfinite(t))
    return fail(error, tr("\"%1\" is too large a time").arg(trimmed));
  return t;
}

void GoToTimeEdit::go()
{
  QString error;
  std::optional<double> t = parseTime(text(), &error);
  if (!t)
    return showError(error);
  bool outside = *t < axis_->traceStart() || *t > axis_->traceEnd();
  if (outside && isSignalConnected(QMetaMethod::fromSignal(&GoToTimeEdit::outsideTrace))) {
    clearError();
    emit outsideTrace(*t);
    return;
  }
  if (outside)
    return showError(tr("%1 is outside the trace, which runs from %2 to %3")
                         .arg(formatDuration(*t), formatDuration(axis_->traceStart()), formatDuration(axis_->traceEnd())));
  clearError();
  axis_->setCursor(*t);
  axis_->goTo(*t);
  emit wentTo(*t);
}

void GoToTimeEdit::showError(const QString& error)
{
  error_ = error;
  setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #d55e00; border-radius: 2px; }"));
  setToolTip(error);
  if (isVisible())
    QToolTip::showText(mapToGlobal(QPoint(0, height())), error, this);
}

void GoToTimeEdit::clearError()
{
  if (error_.isEmpty())
    return;
  error_.clear();
  setStyleSheet(QString());
  setToolTip(QString());
  QToolTip::hideText();
}
