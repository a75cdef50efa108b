// Times as people read them on a timeline: durations with their unit (s, ms,
// µs, ns), tick steps of 1, 2 or 5 times a power of ten, tick labels.
#pragma once
#include <QString>
#include <vector>

/// "85.6 ms", "3.10 µs", "1.25 s", "0 s".
QString formatDuration(double seconds);
/// The smallest step of 1, 2 or 5 × 10^k that is at least `min_step_s`.
double niceStep(double min_step_s);
/// The multiples of `step_s` within [from, to].
std::vector<double> tickTimes(double from_s, double to_s, double step_s);
/// A tick's label at `t_s`: in the unit that reads `magnitude_s` best (the largest time on the ruler),
/// with as many decimals as `step_s` needs: "10.20035 s", "750 ms".
QString formatTick(double t_s, double step_s, double magnitude_s);
