// Lesson files (scenarios/lessons/*.json): a scenario plus its teaching — the
// question asked before the run, how the answer is computed from the run's
// figures (never typed in), the explanation, and where the timeline opens.
// Errors name the file, the JSON path and what was expected, as the scenario loader's do.
#pragma once
#include "scenario.hpp"
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace gilsim {

/// One field of the lesson format, for the loader's messages, the schema and the docs.
struct LessonField {
  std::string path;     ///< "answer.choices[].server"
  std::string type;     ///< "string", "text" (a string or an array of lines), "number", "integer", "object",
                        ///< "array", "strings", "scenario" (a built-in's name or an inline scenario), "choice"
  std::vector<std::string> choices; ///< choice: the strings accepted
  nlohmann::json default_value;     ///< null: none
  bool required = false;
  std::string help;
};
/// Every field of a lesson file, containers before their fields.
const std::vector<LessonField>& lesson_fields();

struct LessonChoice {
  std::string text;     ///< what the student reads
  std::string server;   ///< rank, select: the configuration it names
  double min = -1e300, max = 1e300; ///< bands: the figure's range [min, max)
};

/// Where the timeline opens, and the lanes that matter.
struct LessonTimeline {
  std::string server;   ///< the configuration whose timeline is shown first
  double from_s = 0, until_s = 0;
  std::vector<std::string> lanes; ///< "worker 1", "worker 1 / thread 2", "worker 1 / GIL"
};

/// What the instructor's guide and the presenter's notes say.
struct LessonNotes {
  std::string shows;
  std::vector<std::string> ask, misconceptions;
  int minutes = 0;
};

struct Lesson {
  enum class Kind { rank, number, bands, select };
  std::string id;       ///< the file's name without .json: "01-processes-vs-threads"
  std::string source;   ///< the file, or "built-in lesson:ID"
  std::string title, sketch, question, explanation, next;
  nlohmann::json scenario; ///< the scenario document, its `set` assignments applied
  std::string scenario_name; ///< a built-in's name, "" when inline
  Scenario loaded;      ///< the scenario as the loader reads it
  Kind kind = Kind::rank;
  std::string metric, of, vs;
  bool highest = true;  ///< rank: the highest figure wins
  double above = 0;     ///< select: configurations whose figure exceeds it
  double margin = 0.1, tolerance = 0.2;
  std::vector<LessonChoice> choices;
  nlohmann::json explained; ///< the answer the explanation was written for (checked by the test suite, never shown)
  LessonTimeline timeline;
  LessonNotes notes;
};

/// Reads one lesson document; `id` names it (its file name without .json).
Lesson load_lesson(const nlohmann::json& doc, const std::string& source, const std::string& id);
/// A lesson file's path, or the id of a built-in lesson.
Lesson load_lesson_file(const std::string& file_or_id);
/// The lesson files under scenarios/lessons/ (compiled in): id and text, by id.
const std::vector<std::pair<std::string, std::string>>& builtin_lessons();
/// Every built-in lesson, loaded, in the order their `next` fields give (first: the one no lesson names).
std::vector<Lesson> builtin_lesson_course();
/// Checks a set of lessons: every `next` names one of them, one chain from the first visits all. Throws InputError.
void check_course(const std::vector<Lesson>& lessons);

/// What a student answers: choice indices (rank, bands: one; select: any), or a number.
struct LessonPrediction {
  std::vector<int> choices;
  double number = std::numeric_limits<double>::quiet_NaN();
  bool empty() const { return choices.empty() && number != number; }
};

/// The figure that decides the answer, in words and number.
struct LessonFigure {
  std::string what;     ///< "throughput_rps of \"sync 2 processes\""
  double value = 0;
  std::string shown;    ///< "198 req/s"
};

/// The answer a run computes.
struct LessonVerdict {
  std::vector<int> answer;     ///< the right choices
  double value = std::numeric_limits<double>::quiet_NaN(); ///< number, bands: the figure (a ratio with `vs`)
  std::string answer_text;     ///< "sync 2 processes", "1.98 ×", "sync, gevent"
  std::vector<LessonFigure> figures;
  bool decisive = true;
  std::string not_decisive;    ///< why not: "the winner beats the runner-up by 2 %, less than the margin 10 %"
  bool as_explained = true;    ///< the answer is the one the explanation was written for
  std::string explanation;     ///< the explanation with its {figures} filled in
};

/// The answer `results` (the `gilsim run --json` results array) give; InputError if a figure is missing.
LessonVerdict judge_lesson(const Lesson& lesson, const nlohmann::json& results);
/// The student's prediction matches the verdict (a number: within the lesson's tolerance).
bool prediction_right(const Lesson& lesson, const LessonVerdict& verdict, const LessonPrediction& prediction);
/// A figure as people read it: "198 req/s", "85.6 ms", "62 %", "3 kills", "1.98 ×".
std::string format_figure(const std::string& metric, double value, bool ratio = false);

/// The lesson format as a JSON Schema (scenarios/lessons/schema.json), and as a Markdown table.
nlohmann::ordered_json lesson_schema();
std::string lesson_schema_text();
std::string lesson_fields_markdown();

} // namespace gilsim
