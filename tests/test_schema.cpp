// scenarios/schema.json documents the scenario format: every shipped scenario
// must satisfy it, and it must reject what the loader rejects. A small
// validator for the subset of JSON Schema the file uses.
#include "scenario.hpp"
#include <catch2/catch.hpp>
#include <fstream>

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
