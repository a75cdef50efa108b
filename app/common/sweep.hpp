// A sweep's grid: the `--vary PATH=v1,v2,...` axes, their product in order (the last
// axis varies fastest), and the labels a point makes untrue ("gthread 2w x 16t" at
// threads=1 becomes "gthread 2w x 1t").
#pragma once
#include "../../models/config.hpp"
#include <string>
#include <vector>

namespace gilsim {

struct Axis {
  std::string path;                 ///< "servers[1].threads"
  std::vector<std::string> values;  ///< as written: "1", "4", "\"gevent\""
};

/// `--vary` arguments as axes; InputError on one that is not PATH=v1,v2,...
std::vector<Axis> parse_axes(const std::vector<std::string>& vary);
/// Every point of the grid: one value per axis, the first axis varying slowest.
std::vector<std::vector<std::string>> grid(const std::vector<Axis>& axes);
/// The `--set` assignments that make point `p`.
std::vector<std::string> point_sets(const std::vector<Axis>& axes, const std::vector<std::string>& p);

/// `label` with what it says of `before` — its class ("gthread"), workers ("2w") and
/// threads ("16t") — said of `now` instead; unchanged where it says none of them.
std::string relabel(const std::string& label, const ServerConfig& before, const ServerConfig& now);

} // namespace gilsim
