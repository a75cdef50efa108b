// A view written as PNG or SVG (see view_export.hpp).
#include "ui/view_export.hpp"
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QFile>
#include <stdexcept>

namespace gilsim::studio {

void exportPng(QWidget* view, const QString& path)
{
  if (!view->grab().save(path, "PNG"))
    throw std::runtime_error(QString("%1: cannot write the PNG").arg(path).toStdString());
}

void exportSvg(QWidget* view, const QString& path, const QString& title)
{
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(view->size());
  svg.setViewBox(view->rect());
  svg.setTitle(title);
  svg.setDescription("gilsim-studio");
  QPainter painter;
  if (!painter.begin(&svg))
    throw std::runtime_error(QString("%1: cannot write the SVG").arg(path).toStdString());
  view->render(&painter);
  painter.end();
  if (!QFile::exists(path))
    throw std::runtime_error(QString("%1: cannot write the SVG").arg(path).toStdString());
}

} // namespace gilsim::studio
