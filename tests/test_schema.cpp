// scenarios/schema.json and docs/scenarios.md's field tables are generated from
// the parameter table; every shipped scenario satisfies the schema, which accepts
// and refuses what the loader does. A small validator for the subset of JSON Schema used.
#include "parameter_docs.hpp"
#include "parameters.hpp"
#include "scenario.hpp"
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using json = nlohmann::json;

namespace {

class Validator {
public:
  explicit Validator(json schema) : root_(std::move(schema)) {}
  /// Returns the first violation ("" if valid).
  std::string check(const json& v) const { return check(root_, v, "(top level)"); }

private:
  const json& resolve(const json& s) const
  {
    if (!s.contains("$ref"))
      return s;
    std::string ref = s["$ref"];
    return root_["$defs"][ref.substr(std::string("#/$defs/").size())];
  }
  std::string check(const json& schema, const json& v, const std::string& at) const
  {
    const json& s = resolve(schema);
    if (s.contains("oneOf")) {
      int ok = 0;
      for (const auto& alt : s["oneOf"])
        ok += check(alt, v, at).empty();
      if (ok != 1)
        return at + ": matches " + std::to_string(ok) + " of oneOf";
    }
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
      return at + ": not in enum";
    if (s.contains("type")) {
      std::string t = s["type"];
      bool ok = (t == "object" && v.is_object()) || (t == "array" && v.is_array()) || (t == "string" && v.is_string()) ||
                (t == "boolean" && v.is_boolean()) || (t == "integer" && v.is_number_integer()) ||
                (t == "number" && v.is_number());
      if (!ok)
        return at + ": expected " + t;
    }
    if (v.is_number()) {
      double x = v.get<double>();
      if (s.contains("minimum") && x < s["minimum"].get<double>())
        return at + ": below minimum";
      if (s.contains("maximum") && x > s["maximum"].get<double>())
        return at + ": above maximum";
      if (s.contains("exclusiveMinimum") && x <= s["exclusiveMinimum"].get<double>())
        return at + ": not above exclusiveMinimum";
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>())
        return at + ": too few items";
      if (s.contains("items"))
        for (std::size_t i = 0; i < v.size(); ++i)
          if (auto e = check(s["items"], v[i], at + "[" + std::to_string(i) + "]"); !e.empty())
            return e;
    }
    if (v.is_object()) {
      if (s.contains("minProperties") && v.size() < s["minProperties"].get<std::size_t>())
        return at + ": too few properties";
      for (const auto& r : s.value("required", json::array()))
        if (!v.contains(r.get<std::string>()))
          return at + ": missing " + r.get<std::string>();
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (s.contains("properties") && s["properties"].contains(it.key())) {
          if (auto e = check(s["properties"][it.key()], it.value(), at + "." + it.key()); !e.empty())
            return e;
        } else if (s.value("additionalProperties", true) == false) {
          return at + ": unknown key " + it.key();
        }
      }
    }
    return "";
  }
  json root_;
};

Validator load_schema()
{
  std::ifstream in(GILSIM_SCHEMA);
  REQUIRE(in);
  return Validator(json::parse(in));
}

std::string read_text(const std::string& path)
{
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The project's file at `relative`, found next to scenarios/schema.json.
std::string project_file(const std::string& relative)
{
  std::string schema = GILSIM_SCHEMA;
  return schema.substr(0, schema.rfind("scenarios/")) + relative;
}

/// "servers[].pool.type" -> "/servers/0/pool/type".
json::json_pointer first_instance(const std::string& pattern)
{
  std::string pointer = "/" + pattern;
  for (std::size_t at; (at = pointer.find("[]")) != std::string::npos;)
    pointer.replace(at, 2, "/0");
  for (auto& c : pointer)
    c = c == '.' ? '/' : c;
  return json::json_pointer(pointer);
}

/// "servers[].pool.type" -> "servers[0].pool.type".
std::string first_instance_path(std::string pattern)
{
  for (std::size_t at; (at = pattern.find("[]")) != std::string::npos;)
    pattern.replace(at, 2, "[0]");
  return pattern;
}

/// Values of a field that both the schema and the loader take (first) and refuse (the others).
std::vector<json> probe_values(const gilsim::Parameter& p)
{
  using Type = gilsim::Parameter::Type;
  switch (p.type) {
    case Type::boolean: return {p.default_value, "x"};
    case Type::string: return {"s", 5};
    case Type::choice: return {p.choices.back(), "nope"};
    case Type::duration: return {1, -1, "x", json{{"dist", "gaussian"}}};
    case Type::object:
    case Type::array: return {};
    case Type::integer:
    case Type::number: break;
  }
  json accepted = !p.default_value.is_null() ? p.default_value : json(p.has_min() ? p.min + p.min_exclusive : 1.0);
  std::vector<json> values = {accepted, "x"};
  if (p.type == Type::integer) {
    values[0] = accepted.get<long long>();
    values.push_back(1.5);
  }
  if (p.has_min())
    values.push_back(p.min_exclusive ? p.min : p.min - 1);
  if (p.has_max())
    values.push_back(p.max + 1);
  return values;
}

} // namespace

TEST_CASE("every shipped scenario satisfies the JSON Schema")
{
  Validator v = load_schema();
  for (const auto& [name, text] : gilsim::builtin_scenarios()) {
    INFO(name);
    CHECK(v.check(json::parse(text)) == "");
  }
}

TEST_CASE("the JSON Schema rejects what the loader rejects")
{
  Validator v   = load_schema();
  json good     = json::parse(R"({"app": {"endpoints": [{"steps": [{"cpu_ms": 1}]}]}, "servers": [{"workers": 2}]})");
  REQUIRE(v.check(good) == "");
  REQUIRE_NOTHROW(gilsim::load_scenario(good, "good.json"));
  std::vector<std::pair<std::string, json>> bad = {
      {"/servers/0/workers", -2},
      {"/servers/0/wrokers", 2},
      {"/servers/0/worker_class", "fastapi"},
      {"/app/endpoints/0/steps/0/dist", "x"},
      {"/app/endpoints/0/steps/0/cpu_ms", json{{"dist", "gaussian"}}},
      {"/load", json{{"connections", "many"}}},
      {"/machine", json{{"cores", 0}}},
      {"/database", json{{"pool", {{"type", "pgpool"}}}}},
      {"/lode", json::object()},
  };
  for (const auto& [pointer, value] : bad) {
    json doc                        = good;
    doc[json::json_pointer(pointer)] = value;
    INFO(pointer << " = " << value.dump());
    CHECK(v.check(doc) != "");
    CHECK_THROWS_AS(gilsim::load_scenario(doc, "bad.json"), gilsim::InputError);
  }
}

TEST_CASE("scenarios/schema.json is what gilsim schema prints from the parameter table")
{
  CHECK(read_text(GILSIM_SCHEMA) == gilsim::scenario_schema_text());
}

TEST_CASE("docs/scenarios.md's field tables are what gilsim schema --markdown prints")
{
  const std::string begin = "<!-- generated by `gilsim schema --markdown` -->\n", end = "<!-- end of the generated tables -->";
  std::string doc         = read_text(project_file("docs/scenarios.md"));
  std::size_t from = doc.find(begin), until = doc.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(until != std::string::npos);
  CHECK(doc.substr(from + begin.size(), until - from - begin.size()) == gilsim::parameters_markdown());
}

TEST_CASE("the JSON Schema and the loader take and refuse the same values of every declared field")
{
  Validator v = load_schema();
  json good   = json::parse(R"({"app": {"endpoints": [{"steps": [{"cpu_ms": 1}]}]}, "servers": [{"label": "s"}],
                               "expect": [{"metric": "throughput_rps", "of": "s"}]})");
  for (const auto& p : gilsim::parameters()) {
    std::vector<json> values = probe_values(p);
    for (std::size_t i = 0; i < values.size(); ++i) {
      json doc = good;
      if (p.one_of)
        doc[first_instance(p.path).parent_pointer()] = json::object();
      if (p.path == "load.rate_rps")
        doc["load"]["type"] = "open";
      std::string message = gilsim::check_field(doc, first_instance_path(p.path), values[i], "probe.json");
      doc[first_instance(p.path)] = values[i];
      INFO(p.path << " = " << values[i].dump() << ": " << message);
      CHECK((v.check(doc) == "") == (i == 0));
      CHECK(message.empty() == (i == 0));
    }
  }
}

TEST_CASE("check_field gives the loader's message for one value")
{
  json doc = json::parse(R"({"app": {"endpoints": [{"steps": [{"cpu_ms": 1}]}]}, "servers": [{"workers": 2}]})");
  CHECK(gilsim::check_field(doc, "servers[0].threads", 8, "form.json") == "");
  CHECK(gilsim::check_field(doc, "servers[0].threads", -2, "form.json") ==
        "form.json: servers[0].threads: expected a positive integer, got -2");
  CHECK(gilsim::check_field(doc, "warmup_s", 90, "form.json").find("warmup_s: expected a number < duration_s") !=
        std::string::npos);
  REQUIRE(gilsim::find_parameter("servers[3].threads") != nullptr);
  CHECK(gilsim::find_parameter("servers[3].threads")->default_value == 1);
  CHECK(gilsim::find_parameter("servers[].overhead_ms")->default_for("uvicorn") == 0.15);
}
