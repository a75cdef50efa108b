// A scenario field's path as `--set` and the loader's messages write it
// ("servers[0].pool.pool_size"), read, written and erased in a JSON document:
// how the studio's form edits one field of the scenario it shows.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace gilsim::studio {

/// "servers[0].pool.pool_size" -> the JSON pointer "/servers/0/pool/pool_size".
nlohmann::json::json_pointer jsonPointer(const std::string& path);
/// The value at `path`; null when absent.
nlohmann::json valueAt(const nlohmann::json& document, const std::string& path);
/// Writes `value` at `path`, creating the objects on the way.
void setAt(nlohmann::json& document, const std::string& path, nlohmann::json value);
/// Removes the field at `path` (it takes its default); nothing if absent.
void eraseAt(nlohmann::json& document, const std::string& path);

} // namespace gilsim::studio
