// A loaded scenario in a few readable lines for the Scenario view: the machine,
// the interpreter, the application's endpoints, the load, the run, and each
// server configuration in Gunicorn's words ("2 workers × 16 threads"), and the
// figures the scenario promises.
#pragma once
#include "app/common/scenario.hpp"
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace gilsim::studio {

/// (what, how) pairs: ("machine", "2 cores"), ("load", "64 connections, closed loop, keep-alive"), ...
std::vector<std::pair<QString, QString>> describeSetup(const Scenario& scenario);
/// Each server configuration's label, in the scenario's order.
QStringList configurationLabels(const Scenario& scenario);
/// "2 workers × 16 threads, timeout 30 s"
QString describeServer(const ServerConfig& server);
/// "throughput_rps of gevent 2w / sync 5w ≥ 5: why"
QString describeExpectation(const Expectation& expectation);
/// "exponential, mean 50 ms"
QString describeDuration(const Distribution& duration_s);

} // namespace gilsim::studio
