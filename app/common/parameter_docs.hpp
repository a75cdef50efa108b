// The parameter table written out for readers: the JSON Schema committed as
// scenarios/schema.json and the field tables of docs/scenarios.md, both printed
// by `gilsim schema [--markdown]` and checked against the committed files by test_schema.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace gilsim {

/// The JSON Schema (draft 2020-12) of a scenario file, fields in the table's order.
nlohmann::ordered_json scenario_schema();
/// scenario_schema() as scenarios/schema.json holds it: indented by 2, a final newline.
std::string scenario_schema_text();
/// The Markdown tables of every field and of a distribution's fields, as docs/scenarios.md holds them.
std::string parameters_markdown();

} // namespace gilsim
