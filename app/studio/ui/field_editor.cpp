// The form's field editors (see field_editor.hpp).
#include "ui/field_editor.hpp"
#include "core/form_fields.hpp"
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <map>

namespace gilsim::studio {

using json = nlohmann::json;

namespace {

constexpr int kShortestChoice_chars = 10; ///< a list is this wide at least; longer choices show in full when open
const QString kRedFrame = "border: 2px solid #d55e00; border-radius: 3px; background: #fff4ee;";

QLabel* unitLabel(const Parameter& p)
{
  auto* label = new QLabel(p.unit == "count" ? QString() : QString::fromStdString(p.unit));
  label->setMinimumWidth(label->fontMetrics().horizontalAdvance("req/s"));
  return label;
}

QLineEdit* lineEdit(const Parameter& p, const json& value, const json& sibling = nullptr)
{
  auto* edit          = new QLineEdit(textOfValue(value));
  const QString given = defaultText(p, sibling);
  edit->setPlaceholderText(given.isEmpty() ? QString("required") : "default " + given);
  edit->setToolTip(fieldToolTip(p));
  return edit;
}

QWidget* rowOf(std::initializer_list<QWidget*> widgets)
{
  auto* row    = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : widgets)
    layout->addWidget(w, qobject_cast<QLabel*>(w) || qobject_cast<QComboBox*>(w) ? 0 : 1);
  return row;
}

/// A number or a string typed in a line.
class TextField : public FieldEditor {
public:
  TextField(const Parameter& p, std::string path, const json& value, QWidget* parent)
      : FieldEditor(p, std::move(path), parent), edit_(lineEdit(p, value))
  {
    setRow(rowOf({edit_, unitLabel(p)}));
    edit_->setCursorPosition(0);
    connect(edit_, &QLineEdit::textEdited, this, [this] { notifyEdited(); });
  }
  json value() const override { return valueOfText(edit_->text()); }
  QWidget* input() const override { return edit_; }

protected:
  void showFrame(bool red) override { edit_->setStyleSheet(red ? "QLineEdit {" + kRedFrame + "}" : QString()); }

private:
  QLineEdit* edit_;
};

/// One of a list: a choice's strings, or true / false; first, the default (the field left out).
class ChoiceField : public FieldEditor {
public:
  ChoiceField(const Parameter& p, std::string path, const json& value, QWidget* parent)
      : FieldEditor(p, std::move(path), parent), box_(new QComboBox)
  {
    const QString given = defaultText(p);
    if (!given.isEmpty())
      box_->addItem(QString("default (%1)").arg(given), QString());
    for (const json& option : options(p))
      box_->addItem(textOfValue(option), QString::fromStdString(option.dump()));
    select(value);
    box_->setToolTip(fieldToolTip(p));
    box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box_->setMinimumContentsLength(kShortestChoice_chars);
    setRow(rowOf({box_}));
    connect(box_, qOverload<int>(&QComboBox::activated), this, [this] { notifyEdited(); });
  }
  json value() const override
  {
    const QString data = box_->currentData().toString();
    return data.isEmpty() ? json() : json::parse(data.toStdString());
  }
  QWidget* input() const override { return box_; }

protected:
  void showFrame(bool red) override { box_->setStyleSheet(red ? "QComboBox {" + kRedFrame + "}" : QString()); }

private:
  static std::vector<json> options(const Parameter& p)
  {
    if (p.type == Parameter::Type::boolean)
      return {true, false};
    return {p.choices.begin(), p.choices.end()};
  }
  /// Shows `value`; one the list lacks (a file's wrong value) is added, to be flagged, never replaced.
  void select(const json& value)
  {
    if (value.is_null())
      return box_->setCurrentIndex(0);
    const int at = box_->findData(QString::fromStdString(value.dump()));
    if (at < 0)
      box_->addItem(textOfValue(value), QString::fromStdString(value.dump()));
    box_->setCurrentIndex(at < 0 ? box_->count() - 1 : at);
  }
  QComboBox* box_;
};

/// A duration in ms: constant (a number) or a distribution with its own fields.
class DurationField : public FieldEditor {
public:
  DurationField(const Parameter& p, std::string path, const json& value, QWidget* parent)
      : FieldEditor(p, std::move(path), parent), kind_(new QComboBox), fields_(new QWidget)
  {
    for (const std::string& kind : durationKinds())
      kind_->addItem(QString::fromStdString(kind));
    kind_->setToolTip(fieldToolTip(p));
    kind_->setCurrentText(QString::fromStdString(durationKindOf(value)));
    remember(value);
    absentDefault_ = value.is_null() ? defaultText(p) : QString();
    new QHBoxLayout(fields_);
    fields_->layout()->setContentsMargins(0, 0, 0, 0);
    showFieldsOfKind();
    setRow(rowOf({kind_, fields_}));
    connect(kind_, qOverload<int>(&QComboBox::activated), this, [this] {
      carryFirstValue();
      showFieldsOfKind();
      notifyEdited();
    });
  }
  json value() const override
  {
    const std::string kind = kind_->currentText().toStdString();
    if (kind == durationKinds().front())
      return edits_.empty() ? json() : valueOfText(edits_.front()->text());
    json out = {{"dist", kind}};
    for (std::size_t i = 0; i < edits_.size(); ++i)
      if (json v = itemValue(i); !v.is_null())
        out[fieldKey(*shown_[i])] = v;
    return out;
  }
  QWidget* input() const override { return kind_; }

protected:
  void showFrame(bool red) override
  {
    for (QLineEdit* edit : edits_)
      edit->setStyleSheet(red ? "QLineEdit {" + kRedFrame + "}" : QString());
  }

private:
  json itemValue(std::size_t i) const
  {
    const QString text = edits_[i]->text().trimmed();
    const bool list    = shown_[i]->type == Parameter::Type::array && !text.isEmpty() && !text.startsWith('[');
    return valueOfText(list ? "[" + text + "]" : text);
  }
  /// Keeps what each distribution field holds, so switching kinds loses nothing typed.
  void remember(const json& value)
  {
    if (!value.is_object())
      texts_["value"] = textOfValue(value);
    else
      for (auto it = value.begin(); it != value.end(); ++it)
        if (it.key() != "dist")
          texts_[it.key()] = it->is_array() ? QString::fromStdString(it->dump()).mid(1).chopped(1) : textOfValue(*it);
  }
  void carryFirstValue()
  {
    const QString first = edits_.empty() ? QString() : edits_.front()->text();
    for (std::size_t i = 0; i < edits_.size(); ++i)
      texts_[fieldKey(*shown_[i])] = edits_[i]->text();
    const auto next = durationFieldsOf(kind_->currentText().toStdString());
    if (!next.empty() && texts_[fieldKey(*next.front())].isEmpty())
      texts_[fieldKey(*next.front())] = first;
  }
  void showFieldsOfKind()
  {
    while (QLayoutItem* item = fields_->layout()->takeAt(0)) {
      delete item->widget();
      delete item;
    }
    edits_.clear();
    shown_ = durationFieldsOf(kind_->currentText().toStdString());
    for (const Parameter* f : shown_) {
      QLineEdit* edit = lineEdit(*f, nullptr);
      edit->setText(texts_[fieldKey(*f)]);
      if (edits_.empty() && !absentDefault_.isEmpty())
        edit->setPlaceholderText("default " + absentDefault_);
      connect(edit, &QLineEdit::textEdited, this, [this] { notifyEdited(); });
      edits_.push_back(edit);
      auto* name = new QLabel(QString::fromStdString(fieldKey(*f)));
      name->setToolTip(fieldToolTip(*f));
      fields_->layout()->addWidget(rowOf({name, edit, unitLabel(*f)}));
    }
    showFrame(!error().isEmpty());
  }
  QComboBox* kind_;
  QWidget* fields_;
  std::vector<const Parameter*> shown_;
  std::vector<QLineEdit*> edits_;
  std::map<std::string, QString> texts_;
  QString absentDefault_; ///< the duration's own default, shown while it is left out
};

} // namespace

FieldEditor* FieldEditor::create(const Parameter& p, std::string path, const json& value, QWidget* parent)
{
  switch (p.type) {
  case Parameter::Type::boolean:
  case Parameter::Type::choice:
    return new ChoiceField(p, std::move(path), value, parent);
  case Parameter::Type::duration:
    return new DurationField(p, std::move(path), value, parent);
  default:
    return new TextField(p, std::move(path), value, parent);
  }
}

FieldEditor::FieldEditor(const Parameter& p, std::string path, QWidget* parent)
    : QWidget(parent), parameter_(p), path_(std::move(path)), message_(new QLabel)
{
  message_->setWordWrap(true);
  message_->setObjectName("fieldError");
  message_->setStyleSheet("color: #a03000;");
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->hide();
}

void FieldEditor::setRow(QWidget* row)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(row);
  layout->addWidget(message_);
}

void FieldEditor::setError(const QString& message)
{
  if (message == error_)
    return;
  error_ = message;
  message_->setText(message);
  message_->setVisible(!message.isEmpty());
  showFrame(!message.isEmpty());
}

} // namespace gilsim::studio
