// The scenario open in the studio: its JSON document, where it came from
// (a file or a built-in name), whether it changed since it was opened or saved,
// and its validation by the CLI's own loader (whose messages name the JSON path).
#pragma once
#include "app/common/scenario.hpp"
#include <QString>
#include <nlohmann/json.hpp>

namespace gilsim::studio {

class ScenarioDocument {
public:
  /// Reads a file or a built-in scenario by name; throws gilsim::InputError with the loader's message.
  static ScenarioDocument open(const QString& fileOrName);

  ScenarioDocument() = default;
  ScenarioDocument(nlohmann::json document, QString source);

  const nlohmann::json& json() const { return document_; }
  /// The file name, or "built-in:NAME".
  QString source() const { return source_; }
  /// The file's path; empty for a built-in scenario.
  QString filePath() const;
  /// The scenario's "name", else its source.
  QString title() const;
  bool isEmpty() const { return document_.is_null(); }
  bool isDirty() const { return dirty_; }

  /// Applies `PATH=VALUE` (e.g. `duration_s=3`), as `gilsim run --set` does; throws InputError.
  void set(const QString& assignment);
  /// Writes `value` at `path` ("servers[0].threads", objects on the way created); null erases
  /// the field, which then takes its default. Never throws: an invalid value stays, for load() to name.
  void setField(const std::string& path, const nlohmann::json& value);
  /// Replaces the whole document: a step or a configuration added, removed or moved.
  void setJson(nlohmann::json document);
  /// Writes the JSON (indented) to `path`, which becomes the source; throws std::runtime_error.
  void saveAs(const QString& path);

  /// The loaded scenario; throws gilsim::InputError naming the source, the JSON path and the expectation.
  Scenario load() const;
  /// The loader's message; empty when the document is a valid scenario.
  QString validationError() const;

private:
  nlohmann::json document_;
  QString source_;
  bool dirty_ = false;
};

} // namespace gilsim::studio
