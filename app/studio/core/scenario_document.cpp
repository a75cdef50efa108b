// The scenario open in the studio (see scenario_document.hpp).
#include "core/scenario_document.hpp"
#include "core/json_path.hpp"
#include <QFile>
#include <QFileInfo>
#include <stdexcept>

namespace gilsim::studio {

namespace {
const QString kBuiltinPrefix = "built-in:";
}

ScenarioDocument ScenarioDocument::open(const QString& fileOrName)
{
  std::string source;
  nlohmann::json document = load_document(fileOrName.toStdString(), source);
  return ScenarioDocument(std::move(document), QString::fromStdString(source));
}

ScenarioDocument::ScenarioDocument(nlohmann::json document, QString source)
    : document_(std::move(document)), source_(std::move(source))
{
}

QString ScenarioDocument::filePath() const { return source_.startsWith(kBuiltinPrefix) ? QString() : source_; }

QString ScenarioDocument::title() const
{
  if (document_.is_object() && document_.contains("name") && document_["name"].is_string())
    return QString::fromStdString(document_["name"].get<std::string>());
  return source_.startsWith(kBuiltinPrefix) ? source_.mid(kBuiltinPrefix.size()) : QFileInfo(source_).fileName();
}

void ScenarioDocument::set(const QString& assignment)
{
  apply_set(document_, assignment.toStdString(), source_.toStdString());
  dirty_ = true;
}

void ScenarioDocument::setField(const std::string& path, const nlohmann::json& value)
{
  if (value.is_null())
    eraseAt(document_, path);
  else
    setAt(document_, path, value);
  dirty_ = true;
}

void ScenarioDocument::setJson(nlohmann::json document)
{
  document_ = std::move(document);
  dirty_    = true;
}

void ScenarioDocument::saveAs(const QString& path)
{
  QFile file(path);
  const QByteArray text = QByteArray::fromStdString(document_.dump(2) + "\n");
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
    throw std::runtime_error(QString("%1: cannot write (%2)").arg(path, file.errorString()).toStdString());
  source_ = path;
  dirty_  = false;
}

Scenario ScenarioDocument::load() const { return load_scenario(document_, source_.toStdString()); }

QString ScenarioDocument::validationError() const
{
  try {
    load();
    return {};
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
}

} // namespace gilsim::studio
