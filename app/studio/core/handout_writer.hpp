// A lesson as a handout: one self-contained HTML page (the pictures inline as
// data: URLs) with the question first and the answer on a later page, the same
// as a PDF (A4, Qt's own QTextDocument and QPdfWriter: the question on page 1,
// the answer from page 2), and the timeline's frames as numbered PNG files.
#pragma once
#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QTextDocument>
#include <memory>
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
/// The handout for print: question, sketch and choices; a page break before the answer, figures,
/// explanation and frames (the frames as the document's image resources).
std::unique_ptr<QTextDocument> handoutDocument(const Handout& handout);
/// Writes handoutDocument() as DIR/ID.pdf (A4); its path, or empty with `error` set.
QString writeHandoutPdf(const QString& dir, const Handout& handout, QString* error);
/// Writes DIR/ID.html, DIR/ID.pdf and DIR/ID-frame-NN.png; the HTML's path, or empty with `error` set.
QString writeHandout(const QString& dir, const Handout& handout, QString* error);

} // namespace gilsim::studio
