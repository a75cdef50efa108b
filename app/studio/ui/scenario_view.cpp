// The Scenario view (see scenario_view.hpp).
#include "ui/scenario_view.hpp"
#include "core/configuration_colors.hpp"
#include "core/scenario_summary.hpp"
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace gilsim::studio {

namespace {

QLabel* wrappedLabel(QWidget* parent)
{
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

QString jsonText(const nlohmann::json& document, const char* key)
{
  return document.is_object() && document.contains(key) && document[key].is_string()
             ? QString::fromStdString(document[key].get<std::string>())
             : QString();
}

} // namespace

ScenarioView::ScenarioView(QWidget* parent) : QWidget(parent)
{
  auto* info       = new QWidget;
  auto* infoLayout = new QVBoxLayout(info);
  title_           = wrappedLabel(info);
  QFont big        = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  big.setBold(true);
  title_->setFont(big);
  source_      = wrappedLabel(info);
  source_->setStyleSheet("color: #555;");
  description_ = wrappedLabel(info);
  lesson_      = wrappedLabel(info);
  lesson_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  lesson_->setStyleSheet("background: #eef4fa; border-left: 4px solid #0072b2; padding: 6px;");
  error_ = wrappedLabel(info);
  error_->setStyleSheet("background: #fde8e8; color: #8b0000; border: 1px solid #d55e00; padding: 6px;");
  auto* setupBox = new QGroupBox("Setup", info);
  setup_         = new QFormLayout(setupBox);
  setup_->setRowWrapPolicy(QFormLayout::WrapLongRows);
  auto* serversBox    = new QGroupBox("Server configurations (all face the same load)", info);
  configurations_     = new QTableWidget(0, 3, serversBox);
  configurations_->setHorizontalHeaderLabels({"configuration", "class", "processes, threads, limits"});
  configurations_->horizontalHeader()->setStretchLastSection(true);
  configurations_->verticalHeader()->hide();
  configurations_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  (new QVBoxLayout(serversBox))->addWidget(configurations_);
  for (QWidget* w : {static_cast<QWidget*>(title_), static_cast<QWidget*>(source_), static_cast<QWidget*>(description_),
                     static_cast<QWidget*>(lesson_), static_cast<QWidget*>(error_), static_cast<QWidget*>(setupBox)})
    infoLayout->addWidget(w);
  infoLayout->addWidget(serversBox, 1);

  json_ = new QPlainTextEdit;
  json_->setReadOnly(true);
  json_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  json_->setLineWrapMode(QPlainTextEdit::NoWrap);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName("scenarioSplitter");
  splitter->addWidget(info);
  splitter->addWidget(json_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  (new QVBoxLayout(this))->addWidget(splitter);
}

void ScenarioView::setDocument(const ScenarioDocument& document)
{
  title_->setText(document.title());
  source_->setText(document.source() + (document.isDirty() ? "  (changed)" : ""));
  json_->setPlainText(QString::fromStdString(document.json().dump(2)));
  clearSetup();
  try {
    showScenario(document.load());
    error_->hide();
  } catch (const std::exception& e) {
    error_->setText(QString::fromUtf8(e.what()));
    error_->show();
    description_->clear();
    lesson_->hide();
    configurations_->setRowCount(0);
    return;
  }
  const QString lesson = jsonText(document.json(), "lesson");
  lesson_->setText(lesson);
  lesson_->setVisible(!lesson.isEmpty());
}

void ScenarioView::showScenario(const Scenario& scenario)
{
  description_->setText(QString::fromStdString(scenario.description));
  for (const auto& [what, how] : describeSetup(scenario)) {
    auto* value = wrappedLabel(nullptr);
    value->setText(how);
    setup_->addRow(what + ":", value);
  }
  showConfigurations(scenario);
}

void ScenarioView::showConfigurations(const Scenario& scenario)
{
  configurations_->setRowCount(static_cast<int>(scenario.servers.size()));
  for (int row = 0; row < configurations_->rowCount(); ++row) {
    const ServerConfig& server = scenario.servers[static_cast<std::size_t>(row)];
    auto* label                = new QTableWidgetItem(QString::fromStdString(server.label));
    label->setData(Qt::DecorationRole, configurationColor(row));
    configurations_->setItem(row, 0, label);
    configurations_->setItem(row, 1, new QTableWidgetItem(to_string(server.worker_class)));
    configurations_->setItem(row, 2, new QTableWidgetItem(describeServer(server)));
  }
  configurations_->resizeColumnsToContents();
  configurations_->horizontalHeader()->setStretchLastSection(true);
}

void ScenarioView::clearSetup()
{
  while (setup_->rowCount() > 0)
    setup_->removeRow(0);
}

} // namespace gilsim::studio
