#include "sweep.hpp"
#include "scenario.hpp"
#include <regex>
#include <sstream>

namespace gilsim {

std::vector<Axis> parse_axes(const std::vector<std::string>& vary)
{
  std::vector<Axis> axes;
  for (const auto& v : vary) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= v.size())
      throw InputError("--vary " + v + ": expected PATH=v1,v2,... e.g. servers[0].workers=1,2,4,8");
    Axis a{v.substr(0, eq), {}};
    std::stringstream ss(v.substr(eq + 1));
    for (std::string item; std::getline(ss, item, ',');)
      a.values.push_back(item);
    axes.push_back(a);
  }
  return axes;
}

std::vector<std::vector<std::string>> grid(const std::vector<Axis>& axes)
{
  std::vector<std::vector<std::string>> points = {{}};
  for (const auto& a : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& p : points)
      for (const auto& v : a.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    points.swap(next);
  }
  return points;
}

std::vector<std::string> point_sets(const std::vector<Axis>& axes, const std::vector<std::string>& p)
{
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < axes.size(); ++i)
    sets.push_back(axes[i].path + "=" + p[i]);
  return sets;
}

namespace {

/// `label` with the number `before` replaced by `now` where it stands before one of `units`
/// ("16t", "16 threads"), as a word of its own or joined by an 'x' ("2wx16t").
std::string renumber(const std::string& label, int before, int now, const std::string& units)
{
  if (before == now)
    return label;
  std::regex number("(^|[^0-9.])" + std::to_string(before) + "(\\s*(?:" + units + "))(?=$|[^A-Za-z0-9]|x[0-9])");
  return std::regex_replace(label, number, "$01" + std::to_string(now) + "$2");
}

std::string rename_class(const std::string& label, WorkerClass before, WorkerClass now)
{
  if (before == now)
    return label;
  std::regex word(std::string("(^|[^A-Za-z0-9_])") + to_string(before) + "(?=$|[^A-Za-z0-9_])");
  return std::regex_replace(label, word, std::string("$01") + to_string(now));
}

} // namespace

std::string relabel(const std::string& label, const ServerConfig& before, const ServerConfig& now)
{
  std::string l = rename_class(label, before.worker_class, now.worker_class);
  l             = renumber(l, before.workers, now.workers, "w|workers?|processes");
  return renumber(l, before.threads, now.threads, "t|threads?");
}

} // namespace gilsim
