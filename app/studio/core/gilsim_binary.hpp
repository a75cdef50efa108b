// Where the studio finds the `gilsim` program it runs as a child process:
// $GILSIM_BIN, else next to the studio's own executable (build layout
// build/app/studio/gilsim-studio beside build/app/gilsim, or one bin/ folder).
#pragma once
#include <QString>

namespace gilsim::studio {

/// The gilsim executable's path; empty, with `error` saying where it looked, if there is none.
QString findGilsimBinary(QString* error);

} // namespace gilsim::studio
