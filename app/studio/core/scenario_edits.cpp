// Structural edits of a scenario document (see scenario_edits.hpp).
#include "core/scenario_edits.hpp"
#include <utility>

namespace gilsim::studio::edits {

using json = nlohmann::json;

namespace {

json& stepsOf(json& document, std::size_t endpoint)
{
  json& steps = document["app"]["endpoints"].at(endpoint)["steps"];
  if (!steps.is_array())
    steps = json::array();
  return steps;
}

} // namespace

void duplicateConfiguration(json& document, std::size_t k)
{
  json& servers = document.at("servers");
  json copy     = servers.at(k);
  if (copy.is_object() && copy.contains("label") && copy["label"].is_string())
    copy["label"] = copy["label"].get<std::string>() + " (copy)";
  servers.insert(servers.begin() + std::ptrdiff_t(k + 1), std::move(copy));
}

void removeConfiguration(json& document, std::size_t k) { document.at("servers").erase(k); }

void addStep(json& document, std::size_t endpoint, const std::string& firstKind)
{
  json& steps = stepsOf(document, endpoint);
  steps.push_back(steps.empty() ? json{{firstKind, nullptr}} : steps.back());
}

void removeStep(json& document, std::size_t endpoint, std::size_t step) { stepsOf(document, endpoint).erase(step); }

void moveStep(json& document, std::size_t endpoint, std::size_t step, int by)
{
  json& steps          = stepsOf(document, endpoint);
  const auto neighbour = std::ptrdiff_t(step) + by;
  if (neighbour < 0 || neighbour >= std::ptrdiff_t(steps.size()))
    return;
  std::swap(steps.at(step), steps.at(std::size_t(neighbour)));
}

void setStepKind(json& document, std::size_t endpoint, std::size_t step, const std::string& from, const std::string& to)
{
  json& s = stepsOf(document, endpoint).at(step);
  if (from == to || !s.is_object())
    return;
  json duration = s.contains(from) ? s[from] : json();
  s.erase(from);
  s[to] = std::move(duration);
}

void setProxy(json& document, bool on, const json& settings)
{
  if (on)
    document["proxy"] = settings.is_object() ? settings : json::object();
  else
    document.erase("proxy");
}

} // namespace gilsim::studio::edits
