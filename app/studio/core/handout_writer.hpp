// A lesson as a handout: one self-contained HTML page (the pictures inline as
// data: URLs) with the question first and the answer on a later page, and the
// timeline's frames also written as numbered PNG files beside it.
#pragma once
#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>
#include <vector>

namespace gilsim::studio {

struct Handout {
  QString id, title, sketch, question;
  QStringList choices;
  QString answer, explanation, window;  ///< window: "gthread 1x4, 5.000 s to 5.050 s"
  QStringList figures;                  ///< "throughput_rps of \"sync 2w\" = 195 req/s"
  std::vector<QImage> frames;           ///< the timeline at successive cursor positions
};

/// The page: question, sketch and choices; a page break; answer, figures, explanation, frames.
QString handoutHtml(const Handout& handout);
/// Writes DIR/ID.html and DIR/ID-frame-NN.png; the HTML's path, or empty with `error` set.
QString writeHandout(const QString& dir, const Handout& handout, QString* error);

} // namespace gilsim::studio
