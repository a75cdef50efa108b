// The timeline's colours, colour-blind safe: states in the Okabe–Ito palette,
// lock holders in Paul Tol's muted one; the workers' birth and death marks;
// and the legend that names them.
#pragma once
#include "engine/trace_format.hpp"
#include <QColor>
#include <QWidget>

struct TimelinePalette {
  static QRgb state(uint8_t state);          ///< DominantLevels::kNoData: the background
  static QRgb holder(uint8_t lock_sample);   ///< TimelineModel::sampleLock's value
  static QRgb holderColour(int colour);      ///< a thread's colour in its process's GIL strip
  static QRgb background() { return qRgb(255, 255, 255); }
  static QRgb lockFree() { return qRgb(238, 238, 238); }
  static QRgb busyCores() { return qRgb(0, 114, 178); }
  static QRgb idleCores() { return qRgb(222, 235, 247); }
  static QColor dropRequest() { return QColor(213, 94, 0); }
  static QColor cursor() { return QColor(204, 0, 0); }
  static QColor selection() { return QColor(0, 114, 178, 50); }
  /// Fades a colour towards white: what is not the selected request.
  static QRgb dimmed(QRgb c);
  static QColor workerEvent(gilsim::trace_format::WorkerEvent e);
  /// A worker's birth (a triangle pointing up) or death (pointing down) at x, over a row [top, top + height).
  static void paintWorkerMark(QPainter& p, double x, double top, double height, gilsim::trace_format::WorkerEvent e);
};

/// A row of swatches naming each state, the lock's holders and its drop requests.
class TimelineLegend : public QWidget {
public:
  explicit TimelineLegend(QWidget* parent = nullptr);
  void setPresenterScale(double scale);
  QSize sizeHint() const override;
  /// Paints the legend into `area`, wrapping lines; returns the height it used.
  static int paint(QPainter& p, const QRect& area, const QFont& font);

protected:
  void paintEvent(QPaintEvent*) override;
  int heightForWidth(int width) const override;
  bool hasHeightForWidth() const override { return true; }
};
