// The Build view (see scenario_form.hpp).
#include "ui/scenario_form.hpp"
#include "core/configuration_colors.hpp"
#include "core/form_fields.hpp"
#include "core/json_path.hpp"
#include "core/scenario_edits.hpp"
#include "ui/field_editor.hpp"
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace gilsim::studio {

using json = nlohmann::json;

namespace {

constexpr int kFormWidth_px = 1100, kJsonWidth_px = 480; ///< the form first: it holds a column per configuration
const QString kBannerStyle = "background: #fde8e8; color: #8b0000; border: 1px solid #d55e00; padding: 6px;";

QString indexed(const std::string& pattern, std::initializer_list<int> indices)
{
  QString path = QString::fromStdString(pattern);
  for (int i : indices)
    path.replace(path.indexOf("[]"), 2, QString("[%1]").arg(i));
  return path;
}

QLabel* fieldName(const Parameter& p, const std::string& part)
{
  auto* name = new QLabel(QString::fromStdString(keyIn(p, part)));
  name->setToolTip(fieldToolTip(p));
  return name;
}

QToolButton* toolButton(const QString& text, const QString& tip, bool enabled)
{
  auto* button = new QToolButton;
  button->setText(text);
  button->setToolTip(tip);
  button->setEnabled(enabled);
  return button;
}

QString endpointName(const json& endpoint, int e)
{
  const json name = endpoint.is_object() ? endpoint.value("name", json()) : json();
  return name.is_string() ? QString::fromStdString(name.get<std::string>()) : QString("endpoint %1").arg(e + 1);
}

/// The key of the step's kind it holds (cpu_ms, io_ms, ...), else the first kind.
std::string stepKindOf(const json& step)
{
  for (const Parameter* kind : stepKinds())
    if (step.is_object() && step.contains(fieldKey(*kind)))
      return fieldKey(*kind);
  return fieldKey(*stepKinds().front());
}

QWidget* hbox(std::initializer_list<QWidget*> widgets)
{
  auto* row    = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : widgets)
    layout->addWidget(w, qobject_cast<FieldEditor*>(w) ? 1 : 0);
  return row;
}

} // namespace

ScenarioForm::ScenarioForm(QAbstractItemModel* results, QWidget* parent) : QWidget(parent)
{
  banner_ = new QLabel;
  banner_->setObjectName("formBanner");
  banner_->setWordWrap(true);
  banner_->setStyleSheet(kBannerStyle);
  banner_->hide();
  scroll_ = new QScrollArea;
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  auto* left   = new QWidget;
  auto* layout = new QVBoxLayout(left);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(banner_);
  layout->addWidget(scroll_, 1);

  json_ = new QPlainTextEdit;
  json_->setReadOnly(true);
  json_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  json_->setLineWrapMode(QPlainTextEdit::NoWrap);
  auto* table = new QTableView;
  table->setModel(results);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(json_);
  right->addWidget(table);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 1);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->setObjectName("formSplitter");
  splitter->addWidget(left);
  splitter->addWidget(right);
  splitter->setStretchFactor(0, 1);
  splitter->setSizes({kFormWidth_px, kJsonWidth_px});
  (new QVBoxLayout(this))->addWidget(splitter);
}

void ScenarioForm::setDocument(ScenarioDocument* document)
{
  document_  = document;
  lastValid_ = document->json();
  rebuild();
  revalidate();
}

FieldEditor* ScenarioForm::field(const std::string& path) const
{
  for (FieldEditor* f : fields_)
    if (f->path() == path)
      return f;
  return nullptr;
}

QString ScenarioForm::firstError() const
{
  for (FieldEditor* f : fields_)
    if (!f->error().isEmpty())
      return f->error();
  return {};
}

QString ScenarioForm::bannerText() const { return banner_->isHidden() ? QString() : banner_->text(); }

void ScenarioForm::rebuild()
{
  fields_.clear();
  const int scrolled = scroll_->verticalScrollBar()->value();
  scroll_->setWidget(document_ && document_->json().is_object() ? buildFields() : new QLabel("No scenario open: File ▸ New scenario (Ctrl+N) or File ▸ Open."));
  scroll_->verticalScrollBar()->setValue(scrolled);
  showJson();
}

QWidget* ScenarioForm::buildFields()
{
  auto* content = new QWidget;
  auto* layout  = new QVBoxLayout(content);
  auto* top     = new QGridLayout;
  top->addWidget(buildPart("Scenario and machine", form_part::scenario), 0, 0);
  top->addWidget(buildProxy(), 1, 0);
  top->addWidget(buildPart("Load (the clients)", form_part::load), 0, 1, 2, 1);
  layout->addLayout(top);
  const json endpoints = valueAt(document_->json(), "app.endpoints");
  for (int e = 0; endpoints.is_array() && e < int(endpoints.size()); ++e)
    layout->addWidget(buildSteps(e));
  layout->addWidget(buildConfigurations());
  layout->addStretch(1);
  return content;
}

QGroupBox* ScenarioForm::buildPart(const QString& title, const std::string& part)
{
  auto* box  = new QGroupBox(title);
  auto* form = new QFormLayout(box);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  for (const Parameter* p : formFields(part))
    form->addRow(fieldName(*p, ""), addField(*p, p->path));
  return box;
}

QGroupBox* ScenarioForm::buildProxy()
{
  const Parameter& proxy = proxySwitch();
  const bool on          = document_->json().contains(proxy.path);
  auto* box              = new QGroupBox("Proxy (nginx)");
  auto* form             = new QFormLayout(box);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  auto* enabled          = new QCheckBox("a reverse proxy in front");
  enabled->setChecked(on);
  enabled->setToolTip(fieldToolTip(proxy));
  connect(enabled, &QCheckBox::toggled, this, &ScenarioForm::setProxy);
  form->addRow(enabled);
  for (const Parameter* p : formFields(form_part::proxy)) {
    FieldEditor* editor = addField(*p, p->path);
    editor->setEnabled(on);
    form->addRow(fieldName(*p, ""), editor);
  }
  return box;
}

QGroupBox* ScenarioForm::buildSteps(int endpoint)
{
  const json endpointJson = document_->json()["app"]["endpoints"][std::size_t(endpoint)];
  const json steps        = endpointJson.is_object() ? endpointJson.value("steps", json::array()) : json::array();
  auto* box    = new QGroupBox(QString("Endpoint “%1”: what each request does, in order").arg(endpointName(endpointJson, endpoint)));
  auto* layout = new QVBoxLayout(box);
  for (int s = 0; steps.is_array() && s < int(steps.size()); ++s)
    layout->addWidget(buildStepRow(endpoint, s, int(steps.size())));
  auto* add = new QPushButton("Add a step");
  add->setToolTip("A copy of the last step, at the end");
  connect(add, &QPushButton::clicked, this, [this, endpoint] { addStep(endpoint); });
  layout->addWidget(hbox({add}), 0, Qt::AlignLeft);
  return box;
}

QWidget* ScenarioForm::buildStepRow(int endpoint, int step, int steps)
{
  const std::string at   = indexed("app.endpoints[].steps[]", {endpoint, step}).toStdString();
  const std::string kind = stepKindOf(valueAt(document_->json(), at));
  auto* kinds            = new QComboBox;
  for (const Parameter* k : stepKinds()) {
    kinds->addItem(QString::fromStdString(fieldKey(*k)));
    kinds->setItemData(kinds->count() - 1, fieldToolTip(*k), Qt::ToolTipRole);
  }
  kinds->setCurrentText(QString::fromStdString(kind));
  connect(kinds, &QComboBox::textActivated, this,
          [this, endpoint, step, kind](const QString& to) { setStepKind(endpoint, step, kind, to.toStdString()); });
  FieldEditor* duration = addField(*find_parameter(at + "." + kind), at + "." + kind);
  QToolButton* up       = toolButton("▲", "Move this step up", step > 0);
  QToolButton* down     = toolButton("▼", "Move this step down", step + 1 < steps);
  QToolButton* remove   = toolButton("✕", "Remove this step", steps > 1);
  connect(up, &QToolButton::clicked, this, [this, endpoint, step] { moveStep(endpoint, step, -1); });
  connect(down, &QToolButton::clicked, this, [this, endpoint, step] { moveStep(endpoint, step, +1); });
  connect(remove, &QToolButton::clicked, this, [this, endpoint, step] { removeStep(endpoint, step); });
  return hbox({new QLabel(QString("%1.").arg(step + 1)), kinds, duration, up, down, remove});
}

QGroupBox* ScenarioForm::buildConfigurations()
{
  const json servers = valueAt(document_->json(), "servers");
  const int count    = servers.is_array() ? int(servers.size()) : 0;
  auto* box          = new QGroupBox("Server configurations (each faces the same load)");
  auto* grid         = new QGridLayout(box);
  const auto fields  = formFields(form_part::configuration);
  for (int row = 0; row < int(fields.size()); ++row)
    grid->addWidget(fieldName(*fields[std::size_t(row)], form_part::configuration), row + 1, 0);
  for (int k = 0; k < count; ++k) {
    grid->addWidget(buildConfigurationHeader(k, count), 0, k + 1);
    for (int row = 0; row < int(fields.size()); ++row) {
      const Parameter& p = *fields[std::size_t(row)];
      grid->addWidget(addField(p, indexed(p.path, {k}).toStdString()), row + 1, k + 1);
    }
    grid->setColumnStretch(k + 1, 1);
  }
  return box;
}

QWidget* ScenarioForm::buildConfigurationHeader(int k, int count)
{
  const Parameter& label = *find_parameter("servers[].label");
  auto* swatch           = new QLabel;
  swatch->setFixedSize(14, 14);
  swatch->setStyleSheet(QString("background: %1;").arg(configurationColor(k).name()));
  FieldEditor* name   = addField(label, indexed(label.path, {k}).toStdString());
  QToolButton* copy   = toolButton("Duplicate", "A copy of this configuration, after it", true);
  QToolButton* remove = toolButton("Remove", "Remove this configuration", count > 1);
  connect(copy, &QToolButton::clicked, this, [this, k] { duplicateConfiguration(k); });
  connect(remove, &QToolButton::clicked, this, [this, k] { removeConfiguration(k); });
  auto* header = new QWidget;
  auto* layout = new QVBoxLayout(header);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(hbox({swatch, name}));
  layout->addWidget(hbox({copy, remove}), 0, Qt::AlignLeft);
  return header;
}

FieldEditor* ScenarioForm::addField(const Parameter& p, const std::string& path)
{
  FieldEditor* editor = FieldEditor::create(p, path, valueAt(document_->json(), path));
  connect(editor, &FieldEditor::edited, this, [this, editor] { onFieldEdited(editor->path(), editor->value()); });
  fields_.push_back(editor);
  return editor;
}

void ScenarioForm::onFieldEdited(const std::string& path, const json& value)
{
  document_->setField(path, value);
  revalidate();
  showJson();
  emit edited();
}

void ScenarioForm::editStructure(const std::function<void(json&)>& change)
{
  json changed = document_->json();
  change(changed);
  change(lastValid_);
  document_->setJson(std::move(changed));
  rebuild();
  revalidate();
  emit edited();
}

void ScenarioForm::duplicateConfiguration(int k)
{
  editStructure([k](json& d) { edits::duplicateConfiguration(d, std::size_t(k)); });
}

void ScenarioForm::removeConfiguration(int k)
{
  editStructure([k](json& d) { edits::removeConfiguration(d, std::size_t(k)); });
}

void ScenarioForm::addStep(int endpoint)
{
  const std::string first = fieldKey(*stepKinds().front());
  editStructure([=](json& d) { edits::addStep(d, std::size_t(endpoint), first); });
}

void ScenarioForm::removeStep(int endpoint, int step)
{
  editStructure([=](json& d) { edits::removeStep(d, std::size_t(endpoint), std::size_t(step)); });
}

void ScenarioForm::moveStep(int endpoint, int step, int by)
{
  editStructure([=](json& d) { edits::moveStep(d, std::size_t(endpoint), std::size_t(step), by); });
}

void ScenarioForm::setStepKind(int endpoint, int step, const std::string& from, const std::string& to)
{
  editStructure([=](json& d) { edits::setStepKind(d, std::size_t(endpoint), std::size_t(step), from, to); });
}

void ScenarioForm::setProxy(bool on)
{
  const std::string key = proxySwitch().path;
  if (!on)
    proxySettings_ = valueAt(document_->json(), key);
  const json settings = proxySettings_;
  editStructure([=](json& d) { edits::setProxy(d, on, settings); });
}

void ScenarioForm::revalidate()
{
  if (document_->isEmpty())
    return banner_->hide();
  const std::string source = document_->source().toStdString();
  const QString problem    = document_->validationError();
  if (problem.isEmpty())
    lastValid_ = document_->json();
  const bool baseValid = problem.isEmpty() || ScenarioDocument(lastValid_, document_->source()).validationError().isEmpty();
  bool owned           = false;
  for (FieldEditor* f : fields_) {
    const json value = valueAt(document_->json(), f->path());
    QString message;
    if (!problem.isEmpty() && (!baseValid || value != valueAt(lastValid_, f->path())))
      message = checkValue(lastValid_, f->path(), value, source);
    if (!baseValid && !namesPath(message, f->path()))
      message.clear();
    f->setError(message);
    owned = owned || !message.isEmpty();
  }
  banner_->setText(problem);
  banner_->setVisible(!problem.isEmpty() && !owned);
}

void ScenarioForm::showJson()
{
  const int scrolled = json_->verticalScrollBar()->value();
  json_->setPlainText(document_ ? QString::fromStdString(document_->json().dump(2)) : QString());
  json_->verticalScrollBar()->setValue(scrolled);
}

} // namespace gilsim::studio
