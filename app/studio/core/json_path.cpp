// Field paths in a scenario document (see json_path.hpp).
#include "core/json_path.hpp"

namespace gilsim::studio {

using json = nlohmann::json;

json::json_pointer jsonPointer(const std::string& path)
{
  std::string pointer = "/";
  for (char c : path) {
    if (c == '.' || c == '[')
      pointer += '/';
    else if (c != ']')
      pointer += c;
  }
  return json::json_pointer(pointer);
}

json valueAt(const json& document, const std::string& path)
{
  const json::json_pointer pointer = jsonPointer(path);
  return document.contains(pointer) ? document.at(pointer) : json();
}

void setAt(json& document, const std::string& path, json value) { document[jsonPointer(path)] = std::move(value); }

void eraseAt(json& document, const std::string& path)
{
  const json::json_pointer pointer = jsonPointer(path);
  if (!document.contains(pointer))
    return;
  json& parent = document.at(pointer.parent_pointer());
  if (parent.is_object())
    parent.erase(pointer.back());
  else
    parent.erase(std::stoul(pointer.back()));
}

} // namespace gilsim::studio
