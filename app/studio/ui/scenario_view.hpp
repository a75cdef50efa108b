// The Scenario view: what the open scenario sets up — its name, description
// and lesson, the machine, load and endpoints, one line per server
// configuration — the loader's message if it is invalid, and the JSON itself.
#pragma once
#include "core/scenario_document.hpp"
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QFormLayout;

namespace gilsim::studio {

class ScenarioView : public QWidget {
  Q_OBJECT
public:
  explicit ScenarioView(QWidget* parent = nullptr);
  void setDocument(const ScenarioDocument& document);

private:
  void showScenario(const Scenario& scenario);
  void showConfigurations(const Scenario& scenario);
  void clearSetup();

  QLabel* title_;
  QLabel* source_;
  QLabel* description_;
  QLabel* lesson_;
  QLabel* error_;
  QFormLayout* setup_;
  QTableWidget* configurations_;
  QPlainTextEdit* json_;
};

} // namespace gilsim::studio
