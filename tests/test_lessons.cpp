// Lessons (scenarios/lessons/): the loader's errors name the file, the JSON path and
// what was expected; every lesson loads, runs, and the answer its run computes is
// decisive and the one its explanation was written for; the committed schema matches.
#include "lesson.hpp"
#include "report.hpp"
#include "runner.hpp"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace gilsim;
using json = nlohmann::json;

namespace {

json results_of(const Lesson& l)
{
  const Scenario& sc = l.loaded;
  std::vector<RunConfig> runs;
  for (std::size_t s = 0; s < sc.servers.size(); ++s)
    for (int r = 0; r < sc.replications; ++r)
      runs.push_back(sc.run(s, r));
  auto res      = run_all(runs, 2);
  json results  = json::array();
  for (std::size_t s = 0; s < sc.servers.size(); ++s)
    results.push_back(summary_to_json(summarize({res.begin() + static_cast<long>(s * sc.replications),
                                                 res.begin() + static_cast<long>((s + 1) * sc.replications)})));
  return results;
}

/// A small valid lesson; tests break one field at a time.
json valid()
{
  return json::parse(R"({
    "title": "t", "scenario": "claim-05-sync-with-threads-is-gthread", "question": "q?",
    "answer": { "kind": "rank", "metric": "throughput_rps", "explained": "gthread --threads 4" },
    "explanation": "{throughput_rps of sync --threads 4} against {throughput_rps of sync --threads 4 vs gthread --threads 4}",
    "timeline": { "from_s": 5, "until_s": 5.1 }
  })");
}

std::string error_of(const json& doc)
{
  try {
    load_lesson(doc, "my.json", "my");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

std::string read(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

TEST_CASE("a valid lesson loads with its defaults")
{
  Lesson l = load_lesson(valid(), "my.json", "my");
  CHECK(l.choices.size() == 2);
  CHECK(l.choices[1].text == "gthread --threads 4");
  CHECK(l.timeline.server == "sync --threads 4");
  CHECK(l.margin == 0.1);
}

TEST_CASE("the lesson loader names the file, the JSON path and what was expected")
{
  auto with = [](const std::string& path, const json& v) {
    json d = valid();
    d[json::json_pointer(path)] = v;
    return error_of(d);
  };
  CHECK(with("/answer/kind", "rnak") == "my.json: answer.kind: expected one of \"rank\", \"number\", \"bands\", \"select\", got \"rnak\"; did you mean \"rank\"?");
  CHECK(with("/answer/choices", json::array({{{"server", "gthraed --threads 4"}}, {{"server", "sync --threads 4"}}})) ==
        "my.json: answer.choices[0].server: expected the label of a server (\"sync --threads 4\", \"gthread --threads 4\"), "
        "got \"gthraed --threads 4\"; did you mean \"gthread --threads 4\"?");
  CHECK(with("/scenario", "claim-05-sync-with-threads") ==
        "my.json: scenario: expected the name of a built-in scenario (gilsim list), got \"claim-05-sync-with-threads\"; "
        "did you mean \"claim-05-sync-with-threads-is-gthread\"?");
  CHECK(with("/timeline/until_s", 99) == "my.json: timeline.until_s: expected a number > from_s (5) and <= the run's duration_s (20), got 99");
  CHECK(with("/answer/explained", "sync") ==
        "my.json: answer.explained: expected one of the choices' texts (\"sync --threads 4\", \"gthread --threads 4\"), got \"sync\"");
  CHECK(with("/timeline/lanes", json::array({"thread 2"})).find("my.json: timeline.lanes[0]: expected \"machine\"") == 0);
  CHECK(with("/explanation", "{throughput_rps of sync 4}").find("my.json: explanation: {throughput_rps of ...}: expected the label of a server") == 0);
  CHECK(with("/answer/choices", json::array({{{"text", "a"}}})) == "my.json: answer.choices: expected an array of at least 2 choices, got [{\"text\":\"a\"}]");
}

TEST_CASE("a lesson's unknown keys, missing fields and wrong scenario are refused")
{
  json d = valid();
  d["answer"]["metirc"] = "x";
  CHECK(error_of(d).find("my.json: answer.metirc: unknown key, did you mean \"metric\"? (expected one of: kind, metric,") == 0);
  d = valid();
  d.erase("question");
  CHECK(error_of(d) == "my.json: question: expected a string or an array of lines (required), got null");
  d = valid();
  d["set"] = json::array({"servers[0].threads=-2"});
  CHECK(error_of(d) == "my.json: scenario \"claim-05-sync-with-threads-is-gthread\": servers[0].threads: expected a positive integer, got -2");
  d = valid();
  d["scenario"] = json::parse(R"({"app": {"endpoints": [{"steps": [{"cpu_ms": 1}]}]}, "servers": [{"workers": 0}]})");
  CHECK(error_of(d) == "my.json: scenario.servers[0].workers: expected a positive integer, got 0");
  d = valid();
  d["answer"] = json::parse(R"({"kind": "bands", "metric": "throughput_rps", "of": "sync --threads 4",
                                "choices": [{"text": "a", "max": 2}, {"text": "b", "min": 1}], "explained": "a"})");
  CHECK(error_of(d) == "my.json: answer.choices[1].min: expected bands in order, not overlapping (>= the band before's max 2), got 1");
}

TEST_CASE("a course's next fields make one chain")
{
  Lesson a = load_lesson(valid(), "a.json", "a"), b = a, c = a;
  b.id = "b", b.source = "b.json", c.id = "c", c.source = "c.json";
  a.next = "b", b.next = "c";
  CHECK_NOTHROW(check_course({a, b, c}));
  b.next = "lesson-nine";
  CHECK_THROWS_WITH(check_course({a, b, c}), "b.json: next: expected the id of a lesson (a file name without .json), got \"lesson-nine\"");
  b.next = "a";
  CHECK_THROWS_WITH(check_course({a, b, c}),
                    "lessons: expected one chain of `next` from c through every lesson; it visits 1 of 3 (a loop apart from it)");
  b.next = "c", c.next = "a";
  CHECK_THROWS_WITH(check_course({a, b, c}), "lessons: expected one first lesson (one no `next` names), got 0 (the lessons make a loop)");
}

TEST_CASE("a rank that is too close to call is not decisive")
{
  Lesson l     = load_lesson(valid(), "my.json", "my");
  json results = json::parse(R"([{"label": "sync --threads 4", "throughput_rps": 100}, {"label": "gthread --threads 4", "throughput_rps": 105}])");
  LessonVerdict v = judge_lesson(l, results);
  CHECK(v.answer == std::vector<int>{1});
  CHECK_FALSE(v.decisive);
  CHECK(v.not_decisive == "\"gthread --threads 4\" (105 req/s) beats \"sync --threads 4\" (100 req/s) by less than the margin 10 %");
  CHECK(v.explanation == "100 req/s against 0.95 \u00d7");
  CHECK(prediction_right(l, v, {{1}, {}}));
  CHECK_FALSE(prediction_right(l, v, {{0}, {}}));
}

TEST_CASE("every built-in lesson loads, its course is one chain, and its schema is the committed one")
{
  std::vector<Lesson> course = builtin_lesson_course();
  CHECK(course.size() == builtin_lessons().size());
  CHECK(course.size() >= 19);
  if (std::getenv("GILSIM_WRITE_LESSON_SCHEMA")) { // to update them after changing lesson_fields()
    std::ofstream(GILSIM_LESSON_SCHEMA) << lesson_schema_text();
    std::ofstream("lesson_fields.md") << lesson_fields_markdown();
  }
  CHECK(read(GILSIM_LESSON_SCHEMA) == lesson_schema_text());
  INFO("docs/instructors.md holds lesson_fields_markdown() (GILSIM_WRITE_LESSON_SCHEMA=1 writes it to lesson_fields.md)");
  CHECK(read(GILSIM_INSTRUCTORS_DOC).find(lesson_fields_markdown()) != std::string::npos);
}

TEST_CASE("every built-in lesson's run computes a decisive answer, the one its explanation gives")
{
  for (const Lesson& l : builtin_lesson_course()) {
    INFO(l.id);
    LessonVerdict v = judge_lesson(l, results_of(l));
    std::string figures;
    for (const auto& f : v.figures)
      figures += f.what + " = " + f.shown + "; ";
    INFO("answer: " << v.answer_text << " from " << figures);
    CHECK(v.decisive);
    if (!v.decisive)
      WARN(v.not_decisive);
    CHECK(v.as_explained);
    if (l.kind != Lesson::Kind::number && l.kind != Lesson::Kind::select)
      CHECK(v.answer.size() == 1);
    CHECK(v.explanation.find('{') == std::string::npos);
  }
}
