// Writing a lesson's handout (see handout_writer.hpp).
#include "core/handout_writer.hpp"
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFont>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QUrl>

namespace gilsim::studio {

namespace {

QString esc(const QString& s) { return s.toHtmlEscaped(); }

QByteArray png(const QImage& image)
{
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return bytes;
}

QString list(const QStringList& items, const char* tag)
{
  QString s = QString("<%1>").arg(tag);
  for (const QString& item : items)
    s += "<li>" + esc(item) + "</li>";
  return s + QString("</%1>").arg(tag);
}

QString framesHtml(const Handout& h)
{
  QString s;
  for (std::size_t i = 0; i < h.frames.size(); ++i)
    s += QString("<figure><img alt=\"frame %1\" src=\"data:image/png;base64,%2\"><figcaption>frame %1 of %3</figcaption></figure>\n")
             .arg(i + 1)
             .arg(QString::fromLatin1(png(h.frames[i]).toBase64()))
             .arg(h.frames.size());
  return s;
}

const char* kStyle = "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
                     "pre{background:#f4f4f4;padding:1em;overflow-x:auto}"
                     ".answer{break-before:page;page-break-before:always}"
                     "img{max-width:100%;border:1px solid #999}figure{margin:1em 0}";

constexpr int kPdfResolution_dpi = 300;
constexpr int kPdfFrameWidth_px  = 600; ///< at 96 dpi: 6.25 in, inside A4 less QTextDocument::print's 2.2 cm margins
constexpr double kPdfFont_pt     = 11;

QUrl frameUrl(std::size_t i) { return QUrl(QString("frame-%1.png").arg(i + 1)); }

/// The print layout, in the subset of HTML QTextDocument reads; the frames are resources.
QString printHtml(const Handout& h)
{
  QString s = "<h1>" + esc(h.title) + "</h1><pre>" + esc(h.sketch) + "</pre><p><b>" + esc(h.question) + "</b></p>" +
              (h.choices.isEmpty() ? QString() : list(h.choices, "ol")) +
              "<p><i>Write your answer down before you turn the page.</i></p>";
  s += "<h2 style=\"page-break-before: always\">The answer: " + esc(h.answer) + "</h2>" + list(h.figures, "ul") + "<p>" +
       esc(h.explanation) + "</p><h3>The timeline: " + esc(h.window) + "</h3>";
  for (std::size_t i = 0; i < h.frames.size(); ++i)
    s += QString("<p><img src=\"%1\" width=\"%2\"><br>frame %3 of %4</p>")
             .arg(frameUrl(i).toString())
             .arg(kPdfFrameWidth_px)
             .arg(i + 1)
             .arg(h.frames.size());
  return s;
}

bool writeFrames(const QString& dir, const Handout& h, QString* error)
{
  for (std::size_t i = 0; i < h.frames.size(); ++i) {
    const QString frame = QDir(dir).filePath(QString("%1-frame-%2.png").arg(h.id).arg(i + 1, 2, 10, QChar('0')));
    if (!h.frames[i].save(frame, "PNG")) {
      *error = frame + ": cannot write the PNG";
      return false;
    }
  }
  return true;
}

QString writeHtml(const QString& dir, const Handout& h, QString* error)
{
  const QString path = QDir(dir).filePath(h.id + ".html");
  QFile file(path);
  const QByteArray html = handoutHtml(h).toUtf8();
  if (!file.open(QIODevice::WriteOnly) || file.write(html) != html.size()) {
    *error = path + ": cannot write the page";
    return {};
  }
  return path;
}

} // namespace

std::unique_ptr<QTextDocument> handoutDocument(const Handout& h)
{
  auto doc = std::make_unique<QTextDocument>();
  QFont font = doc->defaultFont();
  font.setPointSizeF(kPdfFont_pt);
  doc->setDefaultFont(font);
  doc->setDefaultStyleSheet("pre { background-color: #f4f4f4; font-size: 8pt; } h1 { font-size: 18pt; }");
  for (std::size_t i = 0; i < h.frames.size(); ++i)
    doc->addResource(QTextDocument::ImageResource, frameUrl(i), QVariant(h.frames[i]));
  doc->setHtml(printHtml(h));
  doc->setMetaInformation(QTextDocument::DocumentTitle, h.title);
  return doc;
}

QString writeHandoutPdf(const QString& dir, const Handout& h, QString* error)
{
  const QString path = QDir(dir).filePath(h.id + ".pdf");
  QPdfWriter pdf(path);
  pdf.setTitle(h.title);
  pdf.setCreator("gilsim-studio");
  pdf.setResolution(kPdfResolution_dpi);
  pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF())); // print() sets its own
  handoutDocument(h)->print(&pdf);
  if (QFile(path).size() == 0) {
    *error = path + ": cannot write the PDF";
    return {};
  }
  return path;
}

QString handoutHtml(const Handout& h)
{
  QString page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(h.title) + "</title><style>" +
                 QString::fromLatin1(kStyle) + "</style></head><body>\n";
  page += "<section class=\"question\"><h1>" + esc(h.title) + "</h1><pre>" + esc(h.sketch) + "</pre><p><strong>" +
          esc(h.question) + "</strong></p>" + (h.choices.isEmpty() ? QString() : list(h.choices, "ol")) +
          "<p>Write your answer down before you turn the page.</p></section>\n";
  page += "<section class=\"answer\"><h2>The answer: " + esc(h.answer) + "</h2>" + list(h.figures, "ul") + "<p>" +
          esc(h.explanation) + "</p><h3>The timeline: " + esc(h.window) + "</h3>\n" + framesHtml(h) + "</section>\n";
  return page + "</body></html>\n";
}

QString writeHandout(const QString& dir, const Handout& h, QString* error)
{
  if (!QDir().mkpath(dir)) {
    *error = dir + ": cannot create the folder";
    return {};
  }
  if (!writeFrames(dir, h, error) || writeHandoutPdf(dir, h, error).isEmpty())
    return {};
  return writeHtml(dir, h, error);
}

} // namespace gilsim::studio
