// One colour per server configuration, the same in the table, the charts and
// the timelines: the Okabe–Ito palette, told apart by colour-blind viewers.
#pragma once
#include <QColor>

namespace gilsim::studio {

/// The colour of configuration `index` (0-based); the palette repeats after eight.
QColor configurationColor(int index);

} // namespace gilsim::studio
