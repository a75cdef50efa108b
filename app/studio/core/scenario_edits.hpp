// The form's structural edits of a scenario document: server configurations
// added, duplicated, removed; an endpoint's steps added, removed, moved or
// changed in kind; the proxy switched on or off. Plain JSON in, JSON out.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace gilsim::studio::edits {

/// A copy of configuration `k` after it, labelled "<label> (copy)" if it had a label.
void duplicateConfiguration(nlohmann::json& document, std::size_t k);
void removeConfiguration(nlohmann::json& document, std::size_t k);

/// A copy of the endpoint's last step at its end (a step of the first kind, no duration, if it has none).
void addStep(nlohmann::json& document, std::size_t endpoint, const std::string& firstKind);
void removeStep(nlohmann::json& document, std::size_t endpoint, std::size_t step);
/// Swaps a step with its neighbour `by` places away (-1: up, +1: down); nothing at the ends.
void moveStep(nlohmann::json& document, std::size_t endpoint, std::size_t step, int by);
/// The step's duration moved from the key `from` ("io_ms") to the key `to` ("cpu_ms").
void setStepKind(nlohmann::json& document, std::size_t endpoint, std::size_t step, const std::string& from,
                 const std::string& to);

/// `proxy` present (with `settings`, an object) or left out.
void setProxy(nlohmann::json& document, bool on, const nlohmann::json& settings);

} // namespace gilsim::studio::edits
