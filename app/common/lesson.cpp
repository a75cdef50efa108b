// The lesson loader, the judge that computes a lesson's answer from a run's
// figures, and the lesson format's schema; see lesson.hpp.
#include "lesson.hpp"
#include "parameters.hpp"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace gilsim {

using json  = nlohmann::json;
using ojson = nlohmann::ordered_json;

const std::vector<LessonField>& lesson_fields()
{
  static const std::vector<LessonField> table = {
      {"title", "string", {}, {}, true, "Shown above the question."},
      {"scenario", "scenario", {}, {}, true,
       "A built-in scenario's name (gilsim list), or a scenario written inline (scenarios/schema.json)."},
      {"set", "strings", {}, {}, false,
       "PATH=VALUE assignments applied to the scenario first, as gilsim run --set (a shorter run, a changed knob)."},
      {"sketch", "text", {}, "", false, "An ASCII picture of what the scenario sets up (a string, or an array of lines)."},
      {"question", "text", {}, {}, true, "Asked before anything runs."},
      {"answer", "object", {}, {}, true, "How the answer is computed from the run's figures; it is never written in the file."},
      {"answer.kind", "choice", {"rank", "number", "bands", "select"}, {}, true,
       "rank: the configuration with the highest (or lowest) figure; number: the figure itself, guessed; bands: "
       "which range the figure falls in; select: every configuration whose figure is above a threshold."},
      {"answer.metric", "string", {}, {}, true,
       "A figure of a result of gilsim run --json: throughput_rps, latency_ms.p99, errors.timeout, worker_kills, ..."},
      {"answer.best", "choice", {"highest", "lowest"}, "highest", false, "rank: which end wins."},
      {"answer.of", "string", {}, {}, false, "number, bands: the label of the server whose figure it is."},
      {"answer.vs", "string", {}, {}, false, "number, bands: another server's label: the figure is the ratio of:vs."},
      {"answer.above", "number", {}, 0, false, "select: the configurations whose figure is above this are the answer."},
      {"answer.margin", "number", {}, 0.1, false,
       "How decisive the answer must be (a share): rank: the winner beats the runner-up by it; bands: the figure lies "
       "that far inside its band; select: no figure is that close to `above`."},
      {"answer.tolerance", "number", {}, 0.2, false, "number: a guess within this share of the figure counts as right."},
      {"answer.choices", "array", {}, {}, false,
       "rank, select: the configurations offered (default: every server); bands: the ranges (required)."},
      {"answer.choices[].text", "string", {}, {}, false, "What the student reads; default: the server's label."},
      {"answer.choices[].server", "string", {}, {}, false, "rank, select: the label of a server."},
      {"answer.choices[].min", "number", {}, {}, false, "bands: the smallest figure of the band (default: none)."},
      {"answer.choices[].max", "number", {}, {}, false, "bands: the band holds figures below this (default: none)."},
      {"answer.explained", "any", {}, {}, true,
       "The answer the explanation was written for: a choice's text (rank, bands), an array of them (select), or "
       "[low, high] (number). Never shown: the test suite fails when the run computes another."},
      {"explanation", "text", {}, {}, true,
       "Why, in plain words; {METRIC of LABEL} and {METRIC of LABEL vs LABEL} show the run's figures."},
      {"timeline", "object", {}, {}, true, "Where the timeline opens after the reveal."},
      {"timeline.server", "string", {}, {}, false, "The configuration to look at first (default: the first server)."},
      {"timeline.from_s", "number", {}, {}, true, "Start of the window, simulated seconds (traced from there)."},
      {"timeline.until_s", "number", {}, {}, true, "End of the window, simulated seconds."},
      {"timeline.lanes", "strings", {}, {}, false,
       "Lanes to highlight: \"worker 1\", \"worker 1 / thread 2\", \"worker 1 / GIL\", \"machine\"."},
      {"next", "string", {}, {}, false, "The id of the lesson that follows (its file name without .json)."},
      {"teacher", "object", {}, {}, false, "For the instructor's guide and the presenter's notes."},
      {"teacher.shows", "text", {}, {}, false, "What the lesson shows."},
      {"teacher.ask", "strings", {}, {}, false, "Questions to ask the class."},
      {"teacher.misconceptions", "strings", {}, {}, false, "The misconceptions it targets."},
      {"teacher.minutes", "integer", {}, {}, false, "How long it takes in class."},
  };
  return table;
}

namespace {

std::string describe(const json& v)
{
  if (v.is_number_float() && std::abs(v.get<double>()) < 1e15 && v.get<double>() == std::floor(v.get<double>()))
    return std::to_string(static_cast<long long>(v.get<double>())); // 99, not 99.0
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

/// "; did you mean "x"?" when `got` looks like a misspelling of one of `options`, else "".
std::string did_you_mean(const std::string& got, const std::vector<std::string>& options)
{
  std::string meant = closest_name(got, options);
  return meant.empty() ? "" : "; did you mean \"" + meant + "\"?";
}

std::string quoted_list(const std::vector<std::string>& names)
{
  std::string s;
  for (const auto& n : names)
    s += (s.empty() ? "\"" : ", \"") + n + "\"";
  return s;
}

/// Reads one object of a lesson, tracking its JSON path; unknown keys are refused by done().
class LessonReader {
public:
  LessonReader(const json& j, std::string path, const std::string& source) : j_(j), path_(std::move(path)), source_(source)
  {
    if (!j_.is_object())
      fail(path_, "expected an object", j_);
  }
  /// `hint` follows what was got: "; did you mean ...?"
  [[noreturn]] void fail(const std::string& path, const std::string& expected, const json& got, const std::string& hint = "") const
  {
    throw InputError(source_ + ": " + (path.empty() ? "(top level)" : path) + ": " + expected + ", got " + describe(got) + hint);
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const LessonField& field(const std::string& key) const
  {
    std::string pattern = path_pattern(at(key));
    for (const auto& f : lesson_fields())
      if (f.path == pattern)
        return f;
    throw std::logic_error("the lesson loader reads " + pattern + ", which lesson_fields() does not declare");
  }
  const json* get(const std::string& key)
  {
    const LessonField& f = field(key);
    auto it              = j_.find(key);
    if (it == j_.end() && f.required)
      fail(at(key), "expected " + expected_word(f) + " (required)", json());
    return it == j_.end() ? nullptr : &*it;
  }
  std::string string(const std::string& key, const std::string& def = "")
  {
    const json* v = get(key);
    if (v && (!v->is_string() || (field(key).required && v->get<std::string>().empty())))
      fail(at(key), "expected a non-empty string", *v);
    return v ? v->get<std::string>() : def;
  }
  /// A string, or an array of lines joined by newlines.
  std::string text(const std::string& key)
  {
    const json* v = get(key);
    if (!v)
      return "";
    if (v->is_string())
      return v->get<std::string>();
    std::string out;
    for (std::size_t i = 0; v->is_array() && i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        fail(at(key) + "[" + std::to_string(i) + "]", "expected a line of text (a string)", (*v)[i]);
      out += (i ? "\n" : "") + (*v)[i].get<std::string>();
    }
    if (!v->is_array())
      fail(at(key), "expected a string or an array of lines", *v);
    return out;
  }
  std::vector<std::string> strings(const std::string& key)
  {
    const json* v = get(key);
    std::vector<std::string> out;
    if (v && !v->is_array())
      fail(at(key), "expected an array of strings", *v);
    for (std::size_t i = 0; v && i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        fail(at(key) + "[" + std::to_string(i) + "]", "expected a string", (*v)[i]);
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }
  double number(const std::string& key, double def, double min = -1e300, bool exclusive = false)
  {
    const json* v = get(key);
    if (!v)
      return def;
    std::string expected = min > -1e300 ? std::string("expected a number ") + (exclusive ? "> " : ">= ") + format(min)
                                        : "expected a number";
    if (!v->is_number() || v->get<double>() < min || (exclusive && v->get<double>() == min))
      fail(at(key), expected, *v);
    return v->get<double>();
  }
  int integer(const std::string& key)
  {
    const json* v = get(key);
    if (v && (!v->is_number_integer() || v->get<long long>() < 1 || v->get<long long>() > 1000))
      fail(at(key), "expected a positive integer", *v);
    return v ? v->get<int>() : 0;
  }
  std::string choice(const std::string& key)
  {
    const LessonField& f = field(key);
    const json* v        = get(key);
    if (!v)
      return f.default_value.is_string() ? f.default_value.get<std::string>() : "";
    if (!v->is_string() || std::find(f.choices.begin(), f.choices.end(), v->get<std::string>()) == f.choices.end())
      fail(at(key), "expected one of " + quoted_list(f.choices), *v, did_you_mean(v->is_string() ? v->get<std::string>() : "", f.choices));
    return v->get<std::string>();
  }
  void done() const
  {
    std::vector<std::string> known;
    std::string prefix = path_pattern(path_).empty() ? "" : path_pattern(path_) + ".";
    for (const auto& f : lesson_fields())
      if (f.path.rfind(prefix, 0) == 0 && f.path.find('.', prefix.size()) == std::string::npos)
        known.push_back(f.path.substr(prefix.size()));
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (std::find(known.begin(), known.end(), it.key()) != known.end())
        continue;
      std::string meant = closest_name(it.key(), known);
      std::string list;
      for (const auto& k : known)
        list += (list.empty() ? "" : ", ") + k;
      throw InputError(source_ + ": " + at(it.key()) + ": unknown key" + (meant.empty() ? "" : ", did you mean \"" + meant + "\"?") +
                       " (expected one of: " + list + ")");
    }
  }
  static std::string format(double x)
  {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }

private:
  static std::string expected_word(const LessonField& f)
  {
    if (f.type == "text")
      return "a string or an array of lines";
    if (f.type == "scenario")
      return "a built-in scenario's name or a scenario object";
    if (f.type == "choice")
      return "one of " + quoted_list(f.choices);
    if (f.type == "any")
      return "the answer the explanation was written for";
    return "a" + std::string(f.type == "object" || f.type == "integer" ? "n " : " ") + f.type;
  }
  const json& j_;
  std::string path_;
  const std::string& source_;
};

/// The message of an error the scenario loader raised on the lesson's scenario, its path under `scenario.`.
InputError scenario_error(const InputError& e, const std::string& source, const std::string& prefix)
{
  std::string m = e.what(), lead = source + ": ";
  if (m.rfind(lead, 0) == 0)
    return InputError(lead + prefix + m.substr(lead.size()));
  return InputError(lead + prefix + m);
}

void read_scenario(LessonReader& r, Lesson& l)
{
  const json& s = *r.get("scenario");
  if (s.is_string()) {
    const auto& all = builtin_scenarios();
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& b) { return b.first == s.get<std::string>(); });
    if (it == all.end()) {
      std::vector<std::string> names;
      for (const auto& b : all)
        names.push_back(b.first);
      r.fail("scenario", "expected the name of a built-in scenario (gilsim list)", s, did_you_mean(s.get<std::string>(), names));
    }
    l.scenario_name = it->first;
    l.scenario      = parse_json(it->second, "built-in:" + it->first);
  } else if (s.is_object()) {
    l.scenario = s;
  } else {
    r.fail("scenario", "expected a built-in scenario's name or a scenario object", s);
  }
  std::vector<std::string> sets = r.strings("set");
  for (std::size_t i = 0; i < sets.size(); ++i) {
    try {
      apply_set(l.scenario, sets[i], l.source);
    } catch (const InputError& e) {
      throw scenario_error(e, l.source, "set[" + std::to_string(i) + "]: ");
    }
  }
  try {
    l.loaded = load_scenario(l.scenario, l.source);
  } catch (const InputError& e) {
    throw scenario_error(e, l.source, l.scenario_name.empty() ? "scenario." : "scenario \"" + l.scenario_name + "\": ");
  }
}

std::vector<std::string> server_labels(const Lesson& l)
{
  std::vector<std::string> labels;
  for (const auto& s : l.loaded.servers)
    labels.push_back(s.label);
  return labels;
}

/// A server's label at `path`, or "" when absent and not required.
std::string read_label(LessonReader& r, const std::string& key, const Lesson& l, bool required)
{
  std::string v = r.string(key);
  std::vector<std::string> labels = server_labels(l);
  if (v.empty() && !required)
    return v;
  if (std::find(labels.begin(), labels.end(), v) == labels.end())
    r.fail(r.at(key), "expected the label of a server (" + quoted_list(labels) + ")", v.empty() ? json() : json(v),
           did_you_mean(v, labels));
  return v;
}

Lesson::Kind kind_of(const std::string& k)
{
  if (k == "number")
    return Lesson::Kind::number;
  if (k == "bands")
    return Lesson::Kind::bands;
  if (k == "select")
    return Lesson::Kind::select;
  return Lesson::Kind::rank;
}

LessonChoice read_choice(const json& c, const std::string& path, const std::string& source, Lesson& l)
{
  LessonReader r(c, path, source);
  LessonChoice out;
  bool bands = l.kind == Lesson::Kind::bands;
  out.text   = r.string("text");
  if (bands) {
    if (c.contains("server"))
      r.fail(r.at("server"), "expected no server in a band (the figure is answer.metric of answer.of)", c["server"]);
    out.min = r.number("min", out.min);
    out.max = r.number("max", out.max);
    if (out.max <= out.min)
      r.fail(r.at("max"), "expected a number > min (" + LessonReader::format(out.min) + ")", c["max"]);
    if (out.text.empty())
      r.fail(r.at("text"), "expected the band's text (required in a band)", json());
  } else {
    if (c.contains("min") || c.contains("max"))
      r.fail(r.at(c.contains("min") ? "min" : "max"), "expected no range but in a band (answer.kind \"bands\")",
             c.contains("min") ? c["min"] : c["max"]);
    out.server = read_label(r, "server", l, true);
    if (out.text.empty())
      out.text = out.server;
  }
  r.done();
  return out;
}

void read_choices(LessonReader& r, Lesson& l)
{
  const json* c = r.get("choices");
  if (!c && l.kind == Lesson::Kind::bands)
    r.fail(r.at("choices"), "expected the bands, an array of {text, min, max} (required with kind \"bands\")", json());
  if (c && (!c->is_array() || c->size() < 2))
    r.fail(r.at("choices"), "expected an array of at least 2 choices", *c);
  if (c && l.kind == Lesson::Kind::number)
    r.fail(r.at("choices"), "expected no choices with kind \"number\" (the student types a number)", *c);
  for (std::size_t i = 0; c && i < c->size(); ++i)
    l.choices.push_back(read_choice((*c)[i], r.at("choices[" + std::to_string(i) + "]"), l.source, l));
  if (!c && l.kind != Lesson::Kind::number)
    for (const auto& label : server_labels(l))
      l.choices.push_back({label, label});
}

void check_bands(const LessonReader& r, const Lesson& l)
{
  for (std::size_t i = 1; i < l.choices.size(); ++i)
    if (l.choices[i].min < l.choices[i - 1].max)
      r.fail(r.at("choices[" + std::to_string(i) + "].min"),
             "expected bands in order, not overlapping (>= the band before's max " +
                 LessonReader::format(l.choices[i - 1].max) + ")",
             l.choices[i].min);
}

/// `explained` must name what the answer kind can compute.
void check_explained(const LessonReader& r, const Lesson& l)
{
  const json& e = l.explained;
  std::vector<std::string> texts;
  for (const auto& c : l.choices)
    texts.push_back(c.text);
  auto is_choice = [&](const json& v) {
    return v.is_string() && std::find(texts.begin(), texts.end(), v.get<std::string>()) != texts.end();
  };
  std::string where = r.at("explained");
  if (l.kind == Lesson::Kind::number) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_number() || !e[1].is_number() || e[1].get<double>() < e[0].get<double>())
      r.fail(where, "expected [low, high]: the range of the figure the explanation was written for", e);
  } else if (l.kind == Lesson::Kind::select) {
    if (!e.is_array() || !std::all_of(e.begin(), e.end(), is_choice))
      r.fail(where, "expected an array of the choices' texts (" + quoted_list(texts) + ")", e);
  } else if (!is_choice(e)) {
    r.fail(where, "expected one of the choices' texts (" + quoted_list(texts) + ")", e);
  }
}

void read_answer(LessonReader& top, Lesson& l)
{
  const json& a = *top.get("answer");
  LessonReader r(a, "answer", l.source);
  l.kind   = kind_of(r.choice("kind"));
  l.metric = r.string("metric");
  l.highest = r.choice("best") != "lowest";
  bool needs_of = l.kind == Lesson::Kind::number || l.kind == Lesson::Kind::bands;
  if (!needs_of && (a.contains("of") || a.contains("vs")))
    r.fail(r.at(a.contains("of") ? "of" : "vs"), "expected no of/vs with kind \"" + a.value("kind", "") + "\" (it compares every choice)",
           a.contains("of") ? a["of"] : a["vs"]);
  l.of        = read_label(r, "of", l, needs_of);
  l.vs        = read_label(r, "vs", l, false);
  l.above     = r.number("above", 0);
  l.margin    = r.number("margin", 0.1, 0);
  l.tolerance = r.number("tolerance", 0.2, 0, true);
  read_choices(r, l);
  if (l.kind == Lesson::Kind::bands)
    check_bands(r, l);
  l.explained = *r.get("explained");
  check_explained(r, l);
  r.done();
}

/// One {METRIC of LABEL [vs LABEL]} of an explanation.
struct Placeholder {
  std::size_t begin = 0, end = 0; ///< of the braces, end one past '}'
  std::string metric, of, vs;
};

/// The placeholders of `text`; `problem` says what is wrong with the first malformed one.
std::vector<Placeholder> placeholders(const std::string& text, std::string* problem)
{
  std::vector<Placeholder> out;
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    std::size_t close = text.find('}', open);
    std::string body  = close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
    std::size_t of    = body.find(" of ");
    if (of == std::string::npos) {
      *problem = "expected {METRIC of LABEL} or {METRIC of LABEL vs LABEL}, got \"{" + body + "\"";
      return out;
    }
    Placeholder p{open, close + 1, body.substr(0, of), body.substr(of + 4), ""};
    if (std::size_t vs = p.of.rfind(" vs "); vs != std::string::npos) {
      p.vs = p.of.substr(vs + 4);
      p.of = p.of.substr(0, vs);
    }
    out.push_back(p);
  }
  return out;
}

void check_placeholders(const LessonReader& r, const Lesson& l)
{
  std::string problem;
  std::vector<std::string> labels = server_labels(l);
  for (const Placeholder& p : placeholders(l.explanation, &problem))
    for (const std::string& label : {p.of, p.vs})
      if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end())
        problem = "{" + p.metric + " of ...}: expected the label of a server (" + quoted_list(labels) + "), got \"" + label + "\"" +
                  did_you_mean(label, labels);
  if (!problem.empty())
    throw InputError(l.source + ": " + r.at("explanation") + ": " + problem);
}

std::string find_lane_problem(const std::string& lane)
{
  if (lane == "machine" || lane == "arbiter")
    return "";
  if (lane.rfind("worker ", 0) != 0)
    return "expected \"machine\", \"arbiter\" or a lane of a worker: \"worker N\", \"worker N / thread M\", \"worker N / GIL\"";
  return "";
}

void read_timeline(LessonReader& top, Lesson& l)
{
  LessonReader r(*top.get("timeline"), "timeline", l.source);
  l.timeline.server = read_label(r, "server", l, false);
  if (l.timeline.server.empty())
    l.timeline.server = l.loaded.servers.front().label;
  l.timeline.from_s  = r.number("from_s", 0, 0);
  l.timeline.until_s = r.number("until_s", 0, 0);
  const double duration_s = l.loaded.base.duration_s;
  if (l.timeline.until_s <= l.timeline.from_s || l.timeline.until_s > duration_s)
    r.fail(r.at("until_s"), "expected a number > from_s (" + LessonReader::format(l.timeline.from_s) + ") and <= the run's duration_s (" +
                                LessonReader::format(duration_s) + ")",
           l.timeline.until_s);
  l.timeline.lanes = r.strings("lanes");
  for (std::size_t i = 0; i < l.timeline.lanes.size(); ++i)
    if (std::string p = find_lane_problem(l.timeline.lanes[i]); !p.empty())
      r.fail(r.at("lanes[" + std::to_string(i) + "]"), p, l.timeline.lanes[i]);
  r.done();
}

void read_notes(LessonReader& top, Lesson& l)
{
  const json* t = top.get("teacher");
  if (!t)
    return;
  LessonReader r(*t, "teacher", l.source);
  l.notes.shows          = r.text("shows");
  l.notes.ask            = r.strings("ask");
  l.notes.misconceptions = r.strings("misconceptions");
  l.notes.minutes        = r.integer("minutes");
  r.done();
}

std::string stem_of(const std::string& path)
{
  std::size_t slash = path.rfind('/');
  std::string name  = slash == std::string::npos ? path : path.substr(slash + 1);
  std::size_t dot   = name.rfind(".json");
  return dot == std::string::npos ? name : name.substr(0, dot);
}

const json& result_of(const json& results, const std::string& label, const std::string& source)
{
  for (const auto& r : results)
    if (r.value("label", "") == label)
      return r;
  throw InputError(source + ": no result for \"" + label + "\"");
}

/// metric(of), or metric(of) / metric(vs).
double figure(const json& results, const std::string& metric, const std::string& of, const std::string& vs,
              const std::string& where)
{
  double v = metric_of(result_of(results, of, where), metric, where);
  if (vs.empty())
    return v;
  double d = metric_of(result_of(results, vs, where), metric, where);
  return d != 0 ? v / d : (v == 0 ? 1 : std::numeric_limits<double>::infinity());
}

std::string figure_words(const std::string& metric, const std::string& of, const std::string& vs)
{
  return metric + " of \"" + of + "\"" + (vs.empty() ? "" : " / " + metric + " of \"" + vs + "\"");
}

std::string percent(double share)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", share * 100);
  return buf;
}

/// Whether `a` exceeds `b` by at least `margin` of b (b <= 0: a > b is enough when a > 0).
bool beats(double a, double b, double margin) { return b > 0 ? a >= b * (1 + margin) : a > b && a > 0; }

void judge_rank(const Lesson& l, const json& results, LessonVerdict& v)
{
  std::vector<std::pair<double, int>> order;
  for (std::size_t i = 0; i < l.choices.size(); ++i) {
    double x = figure(results, l.metric, l.choices[i].server, "", l.source);
    order.push_back({x, int(i)});
    v.figures.push_back({figure_words(l.metric, l.choices[i].server, ""), x, format_figure(l.metric, x)});
  }
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) { return l.highest ? a.first > b.first : a.first < b.first; });
  v.answer      = {order[0].second};
  v.answer_text = l.choices[std::size_t(order[0].second)].text;
  double w = order[0].first, r = order[1].first;
  v.decisive = l.highest ? beats(w, r, l.margin) : beats(r, w, l.margin);
  if (!v.decisive)
    v.not_decisive = "\"" + v.answer_text + "\" (" + format_figure(l.metric, w) + ") " + (l.highest ? "beats" : "undercuts") +
                     " \"" + l.choices[std::size_t(order[1].second)].text + "\" (" + format_figure(l.metric, r) +
                     ") by less than the margin " + percent(l.margin);
}

void judge_bands(const Lesson& l, LessonVerdict& v)
{
  for (std::size_t i = 0; i < l.choices.size(); ++i) {
    const LessonChoice& c = l.choices[i];
    if (v.value < c.min || v.value >= c.max)
      continue;
    v.answer      = {int(i)};
    v.answer_text = c.text;
    bool inside   = (c.min <= -1e300 || v.value >= c.min + l.margin * std::abs(c.min)) &&
                  (c.max >= 1e300 || v.value <= c.max - l.margin * std::abs(c.max));
    if (!inside) {
      v.decisive     = false;
      v.not_decisive = "the figure " + v.figures[0].shown + " lies within " + percent(l.margin) + " of an edge of \"" + c.text + "\"";
    }
    return;
  }
  v.decisive     = false;
  v.not_decisive = "the figure " + v.figures[0].shown + " is in no band";
}

void judge_select(const Lesson& l, const json& results, LessonVerdict& v)
{
  std::string chosen;
  for (std::size_t i = 0; i < l.choices.size(); ++i) {
    double x = figure(results, l.metric, l.choices[i].server, "", l.source);
    v.figures.push_back({figure_words(l.metric, l.choices[i].server, ""), x, format_figure(l.metric, x)});
    if (x > l.above) {
      v.answer.push_back(int(i));
      chosen += (chosen.empty() ? "" : ", ") + l.choices[i].text;
    }
    if (std::abs(x - l.above) <= l.margin * std::abs(l.above)) {
      v.decisive     = false;
      v.not_decisive = "\"" + l.choices[i].text + "\" (" + format_figure(l.metric, x) + ") is within " + percent(l.margin) +
                       " of the threshold " + format_figure(l.metric, l.above);
    }
  }
  v.answer_text = chosen.empty() ? "none of them" : chosen;
}

bool matches_explained(const Lesson& l, const LessonVerdict& v)
{
  const json& e = l.explained;
  if (l.kind == Lesson::Kind::number)
    return v.value >= e[0].get<double>() && v.value <= e[1].get<double>();
  std::set<std::string> expected, got;
  if (e.is_array())
    for (const auto& t : e)
      expected.insert(t.get<std::string>());
  else
    expected.insert(e.get<std::string>());
  for (int i : v.answer)
    got.insert(l.choices[std::size_t(i)].text);
  return expected == got;
}

std::string fill_explanation(const Lesson& l, const json& results)
{
  std::string problem, out;
  std::size_t at = 0;
  for (const Placeholder& p : placeholders(l.explanation, &problem)) {
    double x = figure(results, p.metric, p.of, p.vs, l.source + ": explanation");
    out += l.explanation.substr(at, p.begin - at) + format_figure(p.metric, x, !p.vs.empty());
    at = p.end;
  }
  return out + l.explanation.substr(at);
}

} // namespace

LessonVerdict judge_lesson(const Lesson& l, const json& results)
{
  LessonVerdict v;
  if (l.kind == Lesson::Kind::rank) {
    judge_rank(l, results, v);
  } else if (l.kind == Lesson::Kind::select) {
    judge_select(l, results, v);
  } else {
    v.value = figure(results, l.metric, l.of, l.vs, l.source);
    v.figures.push_back({figure_words(l.metric, l.of, l.vs), v.value, format_figure(l.metric, v.value, !l.vs.empty())});
    if (l.kind == Lesson::Kind::bands)
      judge_bands(l, v);
    else
      v.answer_text = v.figures[0].shown;
    if (l.kind == Lesson::Kind::number && !std::isfinite(v.value)) {
      v.decisive     = false;
      v.not_decisive = "the figure is not a finite number";
    }
  }
  v.as_explained = matches_explained(l, v);
  v.explanation  = fill_explanation(l, results);
  return v;
}

bool prediction_right(const Lesson& l, const LessonVerdict& v, const LessonPrediction& p)
{
  if (l.kind == Lesson::Kind::number)
    return std::isfinite(p.number) && std::abs(p.number - v.value) <= l.tolerance * std::abs(v.value);
  std::vector<int> a = p.choices, b = v.answer;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b && (l.kind == Lesson::Kind::select || !a.empty());
}

std::string format_figure(const std::string& metric, double value, bool ratio)
{
  auto ends_with = [&](const std::string& tail) {
    return metric.size() >= tail.size() && metric.compare(metric.size() - tail.size(), tail.size(), tail) == 0;
  };
  char buf[64];
  if (ratio)
    std::snprintf(buf, sizeof buf, "%.2f \u00d7", value);
  else if (ends_with("_rps"))
    std::snprintf(buf, sizeof buf, value < 10 ? "%.1f req/s" : "%.0f req/s", value);
  else if (metric.rfind("latency_ms", 0) == 0 || ends_with("_ms"))
    std::snprintf(buf, sizeof buf, value < 10 ? "%.2f ms" : "%.0f ms", value);
  else if (ends_with("_mb"))
    std::snprintf(buf, sizeof buf, "%.0f MB", value);
  else if (ends_with("fraction") || ends_with("utilization"))
    std::snprintf(buf, sizeof buf, "%.0f %%", value * 100);
  else
    std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

Lesson load_lesson(const json& doc, const std::string& source, const std::string& id)
{
  Lesson l;
  l.id     = id;
  l.source = source;
  LessonReader top(doc, "", source);
  l.title    = top.string("title");
  l.sketch   = top.text("sketch");
  l.question = top.text("question");
  read_scenario(top, l);
  read_answer(top, l);
  l.explanation = top.text("explanation");
  check_placeholders(top, l);
  read_timeline(top, l);
  l.next = top.string("next");
  read_notes(top, l);
  top.done();
  return l;
}

Lesson load_lesson_file(const std::string& file_or_id)
{
  for (const auto& [id, text] : builtin_lessons())
    if (id == file_or_id)
      return load_lesson(parse_json(text, "built-in lesson:" + id), "built-in lesson:" + id, id);
  return load_lesson(read_json_file(file_or_id), file_or_id, stem_of(file_or_id));
}

void check_course(const std::vector<Lesson>& lessons)
{
  std::map<std::string, const Lesson*> by_id;
  std::set<std::string> named;
  for (const auto& l : lessons)
    by_id[l.id] = &l;
  for (const auto& l : lessons) {
    if (l.next.empty())
      continue;
    if (!by_id.count(l.next)) {
      std::vector<std::string> ids;
      for (const auto& [id, _] : by_id)
        ids.push_back(id);
      std::string meant = closest_name(l.next, ids);
      throw InputError(l.source + ": next: expected the id of a lesson (a file name without .json), got \"" + l.next + "\"" +
                       (meant.empty() ? "" : "; did you mean \"" + meant + "\"?"));
    }
    if (!named.insert(l.next).second)
      throw InputError(l.source + ": next: \"" + l.next + "\" already follows another lesson; one lesson leads to each");
  }
  std::vector<const Lesson*> firsts;
  for (const auto& l : lessons)
    if (!named.count(l.id))
      firsts.push_back(&l);
  if (lessons.size() > 0 && firsts.size() != 1)
    throw InputError("lessons: expected one first lesson (one no `next` names), got " + std::to_string(firsts.size()) +
                     (firsts.empty() ? " (the lessons make a loop)" : " (" + firsts[0]->id + ", " + firsts[1]->id + ", ...)"));
  std::size_t visited = 0;
  for (const Lesson* l = firsts.empty() ? nullptr : firsts[0]; l; l = l->next.empty() ? nullptr : by_id[l->next])
    if (++visited > lessons.size())
      break;
  if (visited != lessons.size())
    throw InputError("lessons: expected one chain of `next` from " + firsts[0]->id + " through every lesson; it visits " +
                     std::to_string(std::min(visited, lessons.size())) + " of " + std::to_string(lessons.size()) +
                     " (a loop apart from it)");
}

std::vector<Lesson> builtin_lesson_course()
{
  std::vector<Lesson> all;
  for (const auto& [id, text] : builtin_lessons())
    all.push_back(load_lesson(parse_json(text, "built-in lesson:" + id), "built-in lesson:" + id, id));
  check_course(all);
  std::set<std::string> named;
  for (const auto& l : all)
    named.insert(l.next);
  std::vector<Lesson> ordered;
  auto first = std::find_if(all.begin(), all.end(), [&](const Lesson& l) { return !named.count(l.id); });
  for (std::string id = first == all.end() ? "" : first->id; !id.empty() && ordered.size() < all.size();) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Lesson& l) { return l.id == id; });
    ordered.push_back(*it);
    id = it->next;
  }
  return ordered;
}

namespace {

ojson field_schema(const LessonField& f)
{
  const ojson line = {{"type", "string"}};
  ojson s;
  if (f.type == "text")
    s = {{"oneOf", {line, {{"type", "array"}, {"items", line}}}}};
  else if (f.type == "strings")
    s = {{"type", "array"}, {"items", line}};
  else if (f.type == "scenario")
    s = {{"oneOf", {line, {{"$ref", "../schema.json"}}}}};
  else if (f.type == "choice")
    s = {{"enum", f.choices}};
  else if (f.type == "array")
    s = {{"type", "array"}, {"minItems", 2}, {"items", {{"type", "object"}, {"additionalProperties", false}}}};
  else if (f.type == "object")
    s = {{"type", "object"}, {"additionalProperties", false}};
  else if (f.type != "any")
    s = {{"type", f.type}};
  if (!f.default_value.is_null())
    s["default"] = ojson::parse(f.default_value.dump());
  s["description"] = f.help;
  return s;
}

/// The object schema holding the fields of `parent` ("" for the document, "answer.choices[]" for a choice).
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

} // namespace

ojson lesson_schema()
{
  ojson root = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                {"$id", "https://gilsim.example/lesson.schema.json"},
                {"title", "gilsim lesson"},
                {"description", "A scenario plus its teaching: the question asked before the run, how the answer is "
                                "computed from the run's figures, the explanation and where the timeline opens. "
                                "Generated from lesson_fields() in app/common/lesson.cpp (test_lessons checks it)."},
                {"type", "object"},
                {"additionalProperties", false}};
  for (const auto& f : lesson_fields()) {
    std::size_t dot = f.path.rfind('.');
    std::string key = dot == std::string::npos ? f.path : f.path.substr(dot + 1);
    ojson& parent   = holder(root, dot == std::string::npos ? "" : f.path.substr(0, dot));
    parent["properties"][key] = field_schema(f);
    if (f.required)
      parent["required"].push_back(key);
  }
  return root;
}

std::string lesson_schema_text() { return lesson_schema().dump(2) + "\n"; }

std::string lesson_fields_markdown()
{
  std::string s = "| field | type | default | what |\n|---|---|---|---|\n";
  for (const auto& f : lesson_fields()) {
    std::string type = f.type == "choice" ? quoted_list(f.choices) : f.type;
    std::string def  = f.required ? "required" : f.default_value.is_null() ? "" : "`" + f.default_value.dump() + "`";
    s += "| `" + f.path + "` | " + type + " | " + def + " | " + f.help + " |\n";
  }
  return s;
}

} // namespace gilsim
