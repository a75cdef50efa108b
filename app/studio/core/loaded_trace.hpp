// A trace read off the GUI thread: the trace, or the reader's message saying
// why it could not be read (never an exception across threads).
#pragma once
#include "engine/trace_file.hpp"
#include <QString>
#include <memory>

namespace gilsim::studio {

struct LoadedTrace {
  std::shared_ptr<const trace::Trace> trace;
  QString error;
};

/// Runs `read` (trace::read of a file, trace::read_dir of a folder) and catches its error.
template <class Read>
LoadedTrace loadTrace(Read read)
{
  try {
    return {std::make_shared<const trace::Trace>(read()), {}};
  } catch (const std::exception& e) {
    return {nullptr, QString::fromUtf8(e.what())};
  }
}

} // namespace gilsim::studio
