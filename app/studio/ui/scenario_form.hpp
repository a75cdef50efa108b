// The Build view: a scenario built or edited with the knobs that matter (the
// parameter table's essential fields), one column per server configuration,
// each endpoint's steps; every edit goes into the ScenarioDocument, the JSON
// beside it follows live, a refused value is flagged at its field.
#pragma once
#include "app/common/parameters.hpp"
#include "core/scenario_document.hpp"
#include <QWidget>
#include <functional>
#include <vector>

class QAbstractItemModel;
class QGridLayout;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QScrollArea;

namespace gilsim::studio {

class FieldEditor;

class ScenarioForm : public QWidget {
  Q_OBJECT
public:
  /// `results`: the last run's table, shown under the JSON.
  explicit ScenarioForm(QAbstractItemModel* results, QWidget* parent = nullptr);
  /// Shows `document` (owned by the caller) and edits it from now on.
  void setDocument(ScenarioDocument* document);

  /// The field editing `path` ("servers[0].workers"); nullptr if the form does not show it.
  FieldEditor* field(const std::string& path) const;
  const std::vector<FieldEditor*>& fields() const { return fields_; }
  /// The message of the first field whose value the loader refuses; empty when none is.
  QString firstError() const;
  /// The loader's message the form shows above its fields (one no field owns); empty when none.
  QString bannerText() const;

  void duplicateConfiguration(int k);
  void removeConfiguration(int k);
  void addStep(int endpoint);
  void removeStep(int endpoint, int step);
  void moveStep(int endpoint, int step, int by);
  void setStepKind(int endpoint, int step, const std::string& from, const std::string& to);
  void setProxy(bool on);

signals:
  /// The document changed (a value or its structure).
  void edited();

private:
  void rebuild();
  QWidget* buildFields();
  QGroupBox* buildPart(const QString& title, const std::string& part);
  QGroupBox* buildProxy();
  QGroupBox* buildSteps(int endpoint);
  QWidget* buildStepRow(int endpoint, int step, int steps);
  QGroupBox* buildConfigurations();
  QWidget* buildConfigurationHeader(int k, int count);
  FieldEditor* addField(const Parameter& p, const std::string& path);
  void onFieldEdited(const std::string& path, const nlohmann::json& value);
  /// A structural edit, made to the document and to the last valid version alike.
  void editStructure(const std::function<void(nlohmann::json&)>& change);
  void revalidate();
  void showJson();

  ScenarioDocument* document_ = nullptr;
  nlohmann::json lastValid_, proxySettings_;
  std::vector<FieldEditor*> fields_;
  QScrollArea* scroll_;
  QLabel* banner_;
  QPlainTextEdit* json_;
};

} // namespace gilsim::studio
