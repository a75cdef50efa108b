// One field of the scenario form, made from its row of the parameter table:
// a text box (numbers, strings), a list (choices, booleans) or a duration
// (constant or a distribution); the default as placeholder, help as tooltip,
// and the loader's message under it, in a red frame, while its value is refused.
#pragma once
#include "app/common/parameters.hpp"
#include <QWidget>
#include <nlohmann/json.hpp>
#include <string>

class QLabel;

namespace gilsim::studio {

class FieldEditor : public QWidget {
  Q_OBJECT
public:
  /// The editor of `p` at the concrete `path` ("servers[1].threads"), showing `value`.
  static FieldEditor* create(const Parameter& p, std::string path, const nlohmann::json& value, QWidget* parent = nullptr);

  const Parameter& parameter() const { return parameter_; }
  const std::string& path() const { return path_; }
  /// What the field holds as JSON; null: empty (the default applies).
  virtual nlohmann::json value() const = 0;
  /// The widget a person types in or picks from (the first, for a distribution).
  virtual QWidget* input() const = 0;
  /// Shows the loader's message at the field (red frame); empty clears it.
  void setError(const QString& message);
  QString error() const { return error_; }

signals:
  /// A person changed the value (read it with value()).
  void edited();

protected:
  FieldEditor(const Parameter& p, std::string path, QWidget* parent);
  /// Lays out `row` (the inputs) above the message line.
  void setRow(QWidget* row);
  void notifyEdited() { emit edited(); }
  virtual void showFrame(bool red) = 0;

private:
  const Parameter& parameter_;
  std::string path_;
  QString error_;
  QLabel* message_;
};

} // namespace gilsim::studio
