// Help ▸ Keyboard shortcuts (see shortcuts_dialog.hpp).
#include "ui/shortcuts_dialog.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/presenter_window.hpp"
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace gilsim::studio {

std::vector<Shortcut> studioShortcuts()
{
  return {
      {"Ctrl+N", "A new scenario (from the default I/O-bound one), to build in the Build view"},
      {"Ctrl+O", "Open a scenario file"},
      {"Ctrl+Shift+S", "Save the scenario's JSON as…"},
      {"F5, Ctrl+R", "Run every configuration of the scenario"},
      {"Esc", "Cancel the run (while one is going)"},
      {"Ctrl+1 … Ctrl+5", "Show the Scenario, Compare, Charts, Build, Sweep view"},
      {"Ctrl+6", "Show the Lessons view"},
      {"F11", "Presenter mode: the lessons full screen, keyboard only (keys below)"},
      {"Ctrl+G", "Go to a time (outside the traced window: run again, traced around it)"},
      {"Space", "Replay: play / pause; in Lessons: play the events"},
      {",  .", "Replay: step back / forward one switch interval; in Lessons: one event"},
      {"Ctrl+Q", "Quit"},
  };
}

namespace {

void addSection(QTableWidget* table, const QString& title, const std::vector<Shortcut>& shortcuts)
{
  int row = table->rowCount();
  table->setRowCount(row + 1 + static_cast<int>(shortcuts.size()));
  auto* heading = new QTableWidgetItem(title);
  QFont bold    = heading->font();
  bold.setBold(true);
  heading->setFont(bold);
  table->setItem(row++, 0, heading);
  for (const auto& [keys, what] : shortcuts) {
    table->setItem(row, 0, new QTableWidgetItem(keys));
    table->setItem(row++, 1, new QTableWidgetItem(what));
  }
}

} // namespace

ShortcutsDialog::ShortcutsDialog(QWidget* parent) : QDialog(parent)
{
  setWindowTitle("Keyboard shortcuts");
  auto* table = new QTableWidget(0, 2);
  table->setHorizontalHeaderLabels({"keys", "what"});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  addSection(table, "Studio", studioShortcuts());
  std::vector<Shortcut> presenter;
  for (const auto& [keys, what] : PresenterWindow::keys())
    presenter.push_back({keys, what});
  addSection(table, "Presenter mode (F11)", presenter);
  std::vector<Shortcut> timeline;
  for (const auto& [keys, what] : TimelineView::shortcuts())
    timeline.push_back({keys, what});
  addSection(table, "Timeline (click a timeline first)", timeline);
  table->resizeColumnsToContents();
  table->horizontalHeader()->setStretchLastSection(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(table);
  layout->addWidget(buttons);
  resize(1000, 860);
}

} // namespace gilsim::studio
