// A loaded scenario in readable lines (see scenario_summary.hpp).
#include "core/scenario_summary.hpp"
#include <QStringList>

namespace gilsim::studio {

namespace {

QString ms(double seconds) { return QString::number(seconds * 1000, 'g', 3) + " ms"; }

QString describeStep(const Step& step)
{
  switch (step.kind) {
  case Step::Kind::cpu:
    return "CPU " + describeDuration(step.duration_s);
  case Step::Kind::io:
    return "I/O " + describeDuration(step.duration_s);
  case Step::Kind::blocking_io:
    return "blocking I/O " + describeDuration(step.duration_s);
  case Step::Kind::db:
    return QString("DB query %1%2").arg(describeDuration(step.duration_s), step.blocking_driver ? " (blocking driver)" : "");
  }
  return {};
}

QString describeEndpoint(const Endpoint& endpoint)
{
  QStringList steps;
  for (const Step& step : endpoint.steps)
    steps << describeStep(step);
  return QString("%1 (weight %2): %3").arg(QString::fromStdString(endpoint.name)).arg(endpoint.weight).arg(steps.join(" → "));
}

QString describeLoad(const LoadConfig& load)
{
  if (load.type == LoadConfig::Type::open)
    return QString("open loop, Poisson arrivals at %1 req/s").arg(load.rate_rps);
  QString text = QString("closed loop, %1 connections%2").arg(load.connections).arg(load.keepalive ? ", keep-alive" : ", a new connection per request");
  if (load.think_s.mean() > 0)
    text += ", think " + describeDuration(load.think_s);
  return text;
}

QString describeInterpreter(const InterpreterConfig& interpreter)
{
  return interpreter.gil ? "with the GIL, switch interval " + ms(interpreter.switch_interval_s) : "free-threaded (no GIL)";
}

} // namespace

QString describeDuration(const Distribution& d)
{
  switch (d.kind) {
  case Distribution::Kind::constant:
    return ms(d.a);
  case Distribution::Kind::exponential:
    return "exponential, mean " + ms(d.a);
  case Distribution::Kind::uniform:
    return QString("uniform %1–%2").arg(ms(d.a), ms(d.b));
  case Distribution::Kind::lognormal:
    return "lognormal, mean " + ms(d.a);
  case Distribution::Kind::empirical:
    return QString("one of %1 values, mean %2").arg(d.values.size()).arg(ms(d.mean()));
  }
  return {};
}

QString describeServer(const ServerConfig& s)
{
  QString text = QString("%1 worker%2").arg(s.workers).arg(s.workers == 1 ? "" : "s");
  if (s.worker_class == WorkerClass::gthread || s.threads > 1)
    text += QString(" × %1 thread%2").arg(s.threads).arg(s.threads == 1 ? "" : "s");
  const bool loop = s.worker_class == WorkerClass::gevent || s.worker_class == WorkerClass::eventlet ||
                    s.worker_class == WorkerClass::uvicorn || s.worker_class == WorkerClass::tornado;
  if (loop)
    text += QString(", %1 connections each").arg(s.worker_connections);
  text += QString(", timeout %1 s").arg(s.timeout_s);
  if (s.max_requests > 0)
    text += QString(", max_requests %1").arg(s.max_requests);
  if (!s.interpreter.gil)
    text += ", no GIL";
  return text;
}

QString describeExpectation(const Expectation& e)
{
  constexpr double kUnbounded = 1e299;
  QString what = QString::fromStdString(e.metric + " of " + e.of);
  if (!e.vs.empty())
    what += QString::fromStdString(" / " + e.vs);
  if (e.min > -kUnbounded && e.max < kUnbounded)
    what += QString(" within %1–%2").arg(e.min).arg(e.max);
  else if (e.min > -kUnbounded)
    what += QString(" ≥ %1").arg(e.min);
  else
    what += QString(" ≤ %1").arg(e.max);
  return e.why.empty() ? what : what + ": " + QString::fromStdString(e.why);
}

std::vector<std::pair<QString, QString>> describeSetup(const Scenario& sc)
{
  const RunConfig& run = sc.base;
  std::vector<std::pair<QString, QString>> lines = {
      {"machine", QString("%1 cores").arg(run.machine.cores)},
      {"interpreter", describeInterpreter(run.server.interpreter)},
  };
  for (const Endpoint& endpoint : run.app.endpoints)
    lines.push_back({"endpoint", describeEndpoint(endpoint)});
  lines.push_back({"load", describeLoad(run.load)});
  if (run.proxy.enabled)
    lines.push_back({"proxy", QString("nginx in front, read timeout %1 s").arg(run.proxy.read_timeout_s)});
  lines.push_back({"run", QString("%1 s simulated, %2 s warm-up, seed %3, %4 replication%5")
                              .arg(run.duration_s)
                              .arg(run.warmup_s)
                              .arg(run.seed)
                              .arg(sc.replications)
                              .arg(sc.replications == 1 ? "" : "s")});
  for (const Expectation& expectation : sc.expect)
    lines.push_back({"promise", describeExpectation(expectation)});
  return lines;
}

QStringList configurationLabels(const Scenario& scenario)
{
  QStringList labels;
  for (const ServerConfig& server : scenario.servers)
    labels << QString::fromStdString(server.label);
  return labels;
}

} // namespace gilsim::studio
