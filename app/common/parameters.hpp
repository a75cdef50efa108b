// The scenario format declared once: every field's JSON path, type, unit,
// default, range and help. The loader reads its defaults and ranges here;
// scenarios/schema.json, docs/scenarios.md's field table and the studio's form are made from it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gilsim {

/// A range's min or max at -kUnbounded or kUnbounded is open.
constexpr double kUnbounded = 1e300;
/// The largest value an integer field accepts when it states no maximum.
constexpr int kMaxInteger = 1 << 30;

/// A default that depends on a sibling field: `value` when that field is `when`.
struct DefaultWhen {
  std::string when;
  nlohmann::json value;
};

/// One field of a scenario file. The defaults are the config structs' own
/// (models/config.hpp) in the field's unit, or the real system's where no
/// struct holds one (PgBouncer's pool, a lognormal's sigma).
struct Parameter {
  enum class Type { integer, number, boolean, string, choice, duration, object, array };
  std::string path;                       ///< "servers[].threads": `[]` stands for any index
  Type type = Type::number;
  std::string unit;                       ///< as people write it: "ms", "s", "MB", "count"; "" when none fits
  nlohmann::json default_value;           ///< what the field takes when absent; null: none
  std::string default_rule;               ///< when the default follows from other fields: "min(5, duration_s / 10)"
  std::string varies_with;                ///< the sibling field the default depends on: "worker_class", "type"
  std::vector<DefaultWhen> defaults_when; ///< the default for each value of `varies_with` listed
  double min = -kUnbounded, max = kUnbounded; ///< a number's range; an array of numbers: each item's
  bool min_exclusive = false;             ///< min itself is refused
  std::vector<std::string> choices;       ///< choice: the strings accepted
  bool required = false;                  ///< must be present (an array: and non-empty)
  bool one_of = false;                    ///< exactly one of the fields so marked in its object is given
  bool essential = false;                 ///< one of the knobs that matter: a form shows it first
  std::string help;                       ///< one line: what it is
  std::string source;                     ///< where the default comes from: "Gunicorn config.py", "CPython", ...

  /// The default when the field `varies_with` names is `sibling` (default_value if not listed).
  const nlohmann::json& default_for(const std::string& sibling) const;
  /// A concrete number range: min (exclusive or not) and max are not unbounded.
  bool has_min() const { return min > -kUnbounded; }
  bool has_max() const { return max < kUnbounded; }
};

/// Every field of a scenario file, containers before their fields, in the
/// order the schema and the docs list them. A `duration` field is
/// milliseconds: a number, or an object made of duration_fields().
const std::vector<Parameter>& parameters();
/// The fields of a duration written as a distribution ({"dist": "exponential", "mean": 50}),
/// their paths relative to the duration's own.
const std::vector<Parameter>& duration_fields();

/// "servers[2].pool.pool_size" -> "servers[].pool.pool_size".
std::string path_pattern(const std::string& path);
/// The field at `path` (concrete, "servers[2].threads", or a pattern); nullptr if none.
const Parameter* find_parameter(const std::string& path);

// To check one value as the loader does, the studio applies it to the whole
// document and loads that: check_field() in scenario.hpp returns the loader's
// own message (file, JSON path, what was expected), which may name another
// field the value makes inconsistent (warmup_s against duration_s).

} // namespace gilsim
