// A trace file's window in Chrome's trace event format (ui.perfetto.dev,
// chrome://tracing): a process per worker with a track per thread, greenlet
// or task, a "GIL" track per process (who holds it, drop requests, forced
// switches), the counters, requests as async spans, workers born and died.
#pragma once
#include "../../engine/trace_file.hpp"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gilsim {

struct LabelledTrace {
  std::string label;  ///< the server configuration's label
  const trace::Trace* trace;
};

nlohmann::json chrome_trace(const std::vector<LabelledTrace>& traces);

} // namespace gilsim
