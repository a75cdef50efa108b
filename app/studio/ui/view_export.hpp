// A view written as a picture: PNG (grabbed pixels) or SVG (painted through
// QSvgGenerator, so charts and text stay vectors).
#pragma once
#include <QString>
#include <QWidget>

namespace gilsim::studio {

/// Throws std::runtime_error naming the file if it cannot be written.
void exportPng(QWidget* view, const QString& path);
void exportSvg(QWidget* view, const QString& path, const QString& title);

} // namespace gilsim::studio
