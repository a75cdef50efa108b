// What the scenario form shows, read from the parameter table (parameters.hpp):
// which fields each part of a scenario offers, a field's default as a
// placeholder, its range and help as a tooltip, typed text as a JSON value.
#pragma once
#include "app/common/parameters.hpp"
#include <QString>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

/// The parts of a scenario the form lays out, each a prefix of the table's paths.
namespace form_part {
inline const std::string scenario      = "";
inline const std::string load          = "load.";
inline const std::string proxy         = "proxy.";
inline const std::string step          = "app.endpoints[].steps[].";
inline const std::string configuration = "servers[].";
} // namespace form_part

/// The essential leaf fields directly under `part` (or nested in it for a
/// configuration's interpreter), in the table's order; the scenario part
/// also has the run's name and length.
std::vector<const Parameter*> formFields(const std::string& part);
/// The object that, present, switches a feature on ("proxy").
const Parameter& proxySwitch();
/// A step's kinds: its one-of durations (cpu_ms, io_ms, blocking_io_ms, db_ms).
std::vector<const Parameter*> stepKinds();

/// The key of a field under its parent ("servers[].threads" -> "threads").
std::string fieldKey(const Parameter& p);
/// The key relative to a part ("servers[].interpreter.gil" in a configuration -> "interpreter.gil").
std::string keyIn(const Parameter& p, const std::string& part);

/// "64 count", "the scenario's interpreter.gil": what the field takes when left empty;
/// `sibling` is the value of the field the default varies with.
QString defaultText(const Parameter& p, const nlohmann::json& sibling = nullptr);
/// "≥ 1 and ≤ 4096", "> 0": the accepted range; empty when open.
QString rangeText(const Parameter& p);
/// Help, unit, range, default and its source, as a tooltip.
QString fieldToolTip(const Parameter& p);
/// What a person typed, as the JSON value it stands for: empty -> null (the default),
/// JSON if it parses as a number, boolean or string literal, else the text as a string.
nlohmann::json valueOfText(const QString& text);
/// The text a field shows for a value (null: empty).
QString textOfValue(const nlohmann::json& value);

/// The loader's message for `base` with `value` at `path` (null: the field left out), "" if that
/// loads: check_field() of scenario.hpp, which names the JSON path.
QString checkValue(const nlohmann::json& base, const std::string& path, const nlohmann::json& value,
                   const std::string& source);
/// The loader's `message` is about the field at `path` or inside it.
bool namesPath(const QString& message, const std::string& path);

/// The distributions a duration can be written as ("constant", "exponential", ...).
std::vector<std::string> durationKinds();
/// The fields of a duration of kind `kind` (those whose help names it: "exponential, lognormal: the mean").
std::vector<const Parameter*> durationFieldsOf(const std::string& kind);
/// The kind of a written duration: "constant" for a number.
std::string durationKindOf(const nlohmann::json& duration);

} // namespace gilsim::studio
