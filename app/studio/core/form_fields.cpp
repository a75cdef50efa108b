// The form's fields, read from the parameter table (see form_fields.hpp).
#include "core/form_fields.hpp"
#include "core/json_path.hpp"
#include "app/common/scenario.hpp"
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>

namespace gilsim::studio {

using json = nlohmann::json;

namespace {

/// Not knobs of the simulated system, but a scenario needs them to be read and run.
const std::vector<std::string> kRunFields = {"name", "duration_s"};
const std::vector<std::string> kPartsInsideScenario = {form_part::load, form_part::proxy, "app.", "servers[]."};

bool startsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

bool isLeaf(const Parameter& p) { return p.type != Parameter::Type::object && p.type != Parameter::Type::array; }

bool inPart(const Parameter& p, const std::string& part)
{
  if (!part.empty())
    return startsWith(p.path, part);
  return std::none_of(kPartsInsideScenario.begin(), kPartsInsideScenario.end(),
                      [&](const std::string& other) { return startsWith(p.path, other); });
}

QString number(double x) { return QString::number(x, 'g', 8); }

QString plainText(const json& v)
{
  if (v.is_string())
    return QString::fromStdString(v.get<std::string>());
  if (v.is_number())
    return number(v.get<double>());
  return v.is_null() ? QString() : QString::fromStdString(v.dump());
}

/// The distributions a duration field's help opens with: "exponential, lognormal: the mean" -> both.
QStringList kindsNamedBy(const Parameter& p)
{
  const QString named = QString::fromStdString(p.help).section(':', 0, 0);
  QStringList kinds;
  for (const QString& word : named.split(QRegularExpression("[,/]")))
    kinds << word.trimmed();
  return kinds;
}

} // namespace

std::vector<const Parameter*> formFields(const std::string& part)
{
  std::vector<const Parameter*> fields;
  if (part.empty())
    for (const std::string& path : kRunFields)
      fields.push_back(find_parameter(path));
  for (const Parameter& p : parameters())
    if (p.essential && isLeaf(p) && !p.one_of && inPart(p, part))
      fields.push_back(&p);
  return fields;
}

const Parameter& proxySwitch() { return *find_parameter("proxy"); }

std::vector<const Parameter*> stepKinds()
{
  std::vector<const Parameter*> kinds;
  for (const Parameter& p : parameters())
    if (p.one_of && startsWith(p.path, form_part::step))
      kinds.push_back(&p);
  return kinds;
}

std::string fieldKey(const Parameter& p) { return p.path.substr(p.path.rfind('.') + 1); }

std::string keyIn(const Parameter& p, const std::string& part) { return p.path.substr(part.size()); }

QString defaultText(const Parameter& p, const json& sibling)
{
  if (!p.default_rule.empty())
    return QString::fromStdString(p.default_rule);
  const json& value = p.varies_with.empty() || !sibling.is_string() ? p.default_value
                                                                     : p.default_for(sibling.get<std::string>());
  return plainText(value);
}

QString rangeText(const Parameter& p)
{
  QStringList bounds;
  if (p.has_min())
    bounds << QString(p.min_exclusive ? "> %1" : "≥ %1").arg(number(p.min));
  if (p.has_max())
    bounds << QString("≤ %1").arg(number(p.max));
  return bounds.join(" and ");
}

QString fieldToolTip(const Parameter& p)
{
  QStringList lines = {QString("<b>%1</b>%2").arg(QString::fromStdString(p.path),
                                                  p.unit.empty() ? QString() : " (" + QString::fromStdString(p.unit) + ")"),
                       QString::fromStdString(p.help).toHtmlEscaped()};
  if (!p.choices.empty())
    lines << "One of: " + QString::fromStdString(json(p.choices).dump()).toHtmlEscaped();
  if (!rangeText(p).isEmpty())
    lines << "Range: " + rangeText(p);
  const QString def = defaultText(p);
  lines << (def.isEmpty() ? QString("No default: required") : "Default: " + def.toHtmlEscaped());
  if (!p.source.empty())
    lines << "Source: " + QString::fromStdString(p.source).toHtmlEscaped();
  return lines.join("<br>");
}

json valueOfText(const QString& text)
{
  const std::string trimmed = text.trimmed().toStdString();
  if (trimmed.empty())
    return nullptr;
  json value = json::parse(trimmed, nullptr, false);
  return value.is_discarded() || value.is_object() ? json(trimmed) : value;
}

QString textOfValue(const json& value) { return plainText(value); }

QString checkValue(const json& base, const std::string& path, const json& value, const std::string& source)
{
  if (!value.is_null())
    return QString::fromStdString(check_field(base, path, value, source));
  json without = base;
  eraseAt(without, path);
  try {
    load_scenario(without, source);
    return {};
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
}

bool namesPath(const QString& message, const std::string& path)
{
  const QString at = ": " + QString::fromStdString(path);
  for (const char* after : {":", ".", "["})
    if (message.contains(at + after))
      return true;
  return false;
}

std::vector<std::string> durationKinds()
{
  for (const Parameter& p : duration_fields())
    if (p.type == Parameter::Type::choice)
      return p.choices;
  return {};
}

std::vector<const Parameter*> durationFieldsOf(const std::string& kind)
{
  std::vector<const Parameter*> fields;
  for (const Parameter& p : duration_fields())
    if (p.type != Parameter::Type::choice && kindsNamedBy(p).contains(QString::fromStdString(kind)))
      fields.push_back(&p);
  return fields;
}

std::string durationKindOf(const json& duration)
{
  if (duration.is_object() && duration.contains("dist") && duration["dist"].is_string())
    return duration["dist"].get<std::string>();
  return durationKinds().front();
}

} // namespace gilsim::studio
