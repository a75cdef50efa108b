// Renders parameters() and duration_fields() as the scenario format's JSON
// Schema and as Markdown tables: one row of the table, one property (or one row)
// with its type, range, default and help.
#include "parameter_docs.hpp"
#include "parameters.hpp"
#include <cmath>

namespace gilsim {

using ojson = nlohmann::ordered_json;
using Type  = Parameter::Type;

namespace {

/// A number as people write it: 5, not 5.0.
ojson tidy(const nlohmann::json& v)
{
  if (v.is_number_float() && std::abs(v.get<double>()) < 1e15 && v.get<double>() == std::floor(v.get<double>()))
    return static_cast<long long>(v.get<double>());
  return ojson::parse(v.dump());
}

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : tidy(v).dump(); }

/// "sync 0.25, gthread 0.35, ..." (and "otherwise X" when a value is not listed).
std::string defaults_listed(const Parameter& p)
{
  std::string s;
  for (const auto& d : p.defaults_when)
    s += (s.empty() ? "" : ", ") + d.when + " " + text(d.value);
  if (!p.default_value.is_null())
    s += ", otherwise " + text(p.default_value);
  return "by " + p.varies_with + ": " + s;
}

/// The default as a sentence's words, "" when the field has none.
std::string default_words(const Parameter& p)
{
  if (p.required)
    return "required";
  if (!p.default_rule.empty())
    return p.default_rule + (p.defaults_when.empty() ? "" : "; else " + defaults_listed(p));
  if (!p.defaults_when.empty())
    return defaults_listed(p);
  if (p.default_value.is_string())
    return "`" + (p.default_value.get<std::string>().empty() ? "\"\"" : p.default_value.get<std::string>()) + "`";
  return p.default_value.is_null() ? "" : text(p.default_value);
}

std::string description(const Parameter& p)
{
  std::string d = p.help;
  if (!p.default_rule.empty() || !p.defaults_when.empty())
    d += " Default: " + default_words(p) + ".";
  if (!p.source.empty())
    d += " Source: " + p.source + ".";
  return d;
}

ojson object_schema()
{
  return {{"type", "object"}, {"additionalProperties", false}};
}

ojson type_schema(const Parameter& p)
{
  switch (p.type) {
    case Type::integer: return {{"type", "integer"}};
    case Type::number: return {{"type", "number"}};
    case Type::boolean: return {{"type", "boolean"}};
    case Type::string: return {{"type", "string"}};
    case Type::choice: return {{"enum", p.choices}};
    case Type::duration: return {{"$ref", "#/$defs/duration"}};
    case Type::object: return object_schema();
    case Type::array: break;
  }
  ojson items = object_schema();
  if (p.has_min()) // an array of numbers states their range
    items = {{"type", "number"}, {"minimum", tidy(p.min)}};
  ojson s = {{"type", "array"}};
  if (p.required)
    s["minItems"] = 1;
  s["items"] = items;
  return s;
}

ojson field_schema(const Parameter& p)
{
  ojson s = type_schema(p);
  if (p.type != Type::array && p.has_min())
    s[p.min_exclusive ? "exclusiveMinimum" : "minimum"] = tidy(p.min);
  if (p.has_max())
    s["maximum"] = tidy(p.max);
  if (!p.default_value.is_null() && p.defaults_when.empty())
    s["default"] = tidy(p.default_value);
  if (std::string d = description(p); !d.empty())
    s["description"] = d;
  return s;
}

/// The object schema that holds the fields of `parent` ("" for the document, "servers[]" for a server).
ojson& holder(ojson& root, const std::string& parent)
{
  ojson* node = &root;
  std::size_t at = 0;
  while (at < parent.size()) {
    std::size_t dot = parent.find('.', at);
    std::string key = parent.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
    bool items      = key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0;
    node            = &(*node)["properties"][items ? key.substr(0, key.size() - 2) : key];
    if (items)
      node = &(*node)["items"];
    at = dot == std::string::npos ? parent.size() : dot + 1;
  }
  return *node;
}

/// Adds each row under its parent: a property, a required key, an alternative of "exactly one of".
void add_fields(ojson& root, const std::vector<Parameter>& rows)
{
  for (const auto& p : rows) {
    std::size_t dot = p.path.rfind('.');
    std::string key = dot == std::string::npos ? p.path : p.path.substr(dot + 1);
    ojson& parent   = holder(root, dot == std::string::npos ? "" : p.path.substr(0, dot));
    parent["properties"][key] = field_schema(p);
    if (p.required)
      parent["required"].push_back(key);
    if (p.one_of)
      parent["oneOf"].push_back({{"required", {key}}});
  }
}

ojson duration_schema()
{
  ojson dist = object_schema();
  add_fields(dist, duration_fields());
  ojson constant = {{"type", "number"}, {"minimum", 0}};
  return {{"description", "Milliseconds: a constant, or a distribution."}, {"oneOf", {constant, dist}}};
}

std::string range_words(const Parameter& p)
{
  std::string s;
  if (p.has_min())
    s = (p.min_exclusive ? "> " : "≥ ") + text(p.min);
  if (p.has_max())
    s += (s.empty() ? "≤ " : ", ≤ ") + text(p.max);
  return s;
}

std::string type_words(const Parameter& p)
{
  switch (p.type) {
    case Type::integer: return "integer";
    case Type::number: return "number";
    case Type::boolean: return "true/false";
    case Type::string: return "string";
    case Type::duration: return "duration";
    case Type::object: return "object";
    case Type::array: return "array";
    case Type::choice: break;
  }
  std::string s;
  for (const auto& c : p.choices)
    s += (s.empty() ? "`" : ", `") + c + "`";
  return s;
}

std::string markdown_table(const std::vector<Parameter>& rows)
{
  std::string s = "| field | type | unit | default | range | what |\n|---|---|---|---|---|---|\n";
  for (const auto& p : rows) {
    std::string field = "`" + p.path + "`";
    std::string what  = p.help + (p.source.empty() ? "" : " Source: " + p.source + ".");
    s += "| " + (p.essential ? "**" + field + "**" : field) + " | " + type_words(p) + " | " + p.unit + " | " +
         default_words(p) + " | " + range_words(p) + " | " + what + " |\n";
  }
  return s;
}

} // namespace

ojson scenario_schema()
{
  ojson root = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                {"$id", "https://gilsim.example/scenario.schema.json"},
                {"title", "gilsim scenario"},
                {"description", "One machine, application, database, load and duration, and a list of Gunicorn server "
                                "configurations that face the identical load. Every field has the real system's "
                                "default; durations in JSON are milliseconds unless the name says _s. Generated by "
                                "`gilsim schema` from app/common/parameters.cpp."},
                {"type", "object"},
                {"additionalProperties", false}};
  add_fields(root, parameters());
  root["$defs"]["duration"] = duration_schema();
  return root;
}

std::string scenario_schema_text() { return scenario_schema().dump(2) + "\n"; }

std::string parameters_markdown()
{
  return "Fields in **bold** are the knobs that matter most (the studio's form shows them first); `[]` stands for "
         "any index.\n\n" +
         markdown_table(parameters()) + "\nA duration is milliseconds: a number (a constant), or an object with " +
         "these fields:\n\n" + markdown_table(duration_fields());
}

} // namespace gilsim
