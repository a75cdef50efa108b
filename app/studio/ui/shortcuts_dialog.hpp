// Help ▸ Keyboard shortcuts: the studio's own keys, presenter mode's
// (PresenterWindow::keys()) and the timeline's (TimelineView::shortcuts()),
// in one two-column list.
#pragma once
#include <QDialog>
#include <QString>
#include <utility>
#include <vector>

namespace gilsim::studio {

using Shortcut = std::pair<QString, QString>; ///< keys, what they do

/// The window's shortcuts (menus and replay).
std::vector<Shortcut> studioShortcuts();

class ShortcutsDialog : public QDialog {
  Q_OBJECT
public:
  explicit ShortcutsDialog(QWidget* parent = nullptr);
};

} // namespace gilsim::studio
