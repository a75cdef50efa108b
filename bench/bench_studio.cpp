// gilsim-studio's first result: open the default scenario (default-io-bound),
// run its configurations in child gilsim processes, read their traces, build the
// timelines and paint the Compare view, offscreen; median of 5, target ≤ 1 s.
#include "core/run_controller.hpp"
#include "ui/compare_view.hpp"
#include "ui/main_window.hpp"
#include "ui/timeline_stack.hpp"
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <sys/resource.h>
#include <cstdio>
#include <vector>

using namespace gilsim::studio;

namespace {

constexpr int kRepeats = 5;
constexpr int kRunTimeoutMs = 120000;
const char* const kScenario = "default-io-bound";

/// Milliseconds from the start to each step of one open + run + paint.
struct Milestones {
  double opened = 0, firstProgress = 0, lastResult = 0, lastTrace = 0, settled = 0, painted = 0;
  double childrenMs = 0;  ///< each child's launch to result, summed: the simulations' own time
  double childrenCpuMs = 0, studioCpuMs = 0; ///< CPU time (user + system): independent of the machine's load
};

double cpuMs(int who)
{
  rusage usage{};
  getrusage(who, &usage);
  auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

Milestones openRunPaint()
{
  Milestones m;
  const double children0 = cpuMs(RUSAGE_CHILDREN), studio0 = cpuMs(RUSAGE_SELF);
  QElapsedTimer clock;
  clock.start();
  auto now = [&] { return double(clock.nsecsElapsed()) / 1e6; };
  MainWindow window;
  window.resize(1600, 1000);
  window.show();
  window.openScenario(kScenario);
  m.opened = now();
  std::vector<double> launched;
  QObject::connect(window.runs(), &RunController::started, [&](int servers) { launched.assign(std::size_t(servers), now()); });
  QObject::connect(window.runs(), &RunController::progress, [&](int, double) {
    if (m.firstProgress == 0)
      m.firstProgress = now();
  });
  QObject::connect(window.runs(), &RunController::finished, [&](int k, const nlohmann::json&, const QString&) {
    m.lastResult = now();
    m.childrenMs += m.lastResult - launched.at(std::size_t(k));
  });
  QObject::connect(window.runs(), &RunController::traceLoaded, [&] { m.lastTrace = now(); });
  QEventLoop loop;
  QObject::connect(&window, &MainWindow::runSettled, &loop, &QEventLoop::quit);
  QTimer::singleShot(kRunTimeoutMs, &loop, [&] { loop.exit(1); });
  window.run();
  if (loop.exec() != 0 || !window.errorText().isEmpty()) {
    std::fprintf(stderr, "bench_studio: the run failed: %s\n", qPrintable(window.errorText()));
    std::exit(1);
  }
  m.settled = now();
  window.views()->setCurrentIndex(MainWindow::compareView);
  window.grab();
  m.painted       = now();
  m.childrenCpuMs = cpuMs(RUSAGE_CHILDREN) - children0;
  m.studioCpuMs   = cpuMs(RUSAGE_SELF) - studio0;
  return m;
}

double median(std::vector<double> xs)
{
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

void report(const std::vector<Milestones>& runs)
{
  auto med = [&](double Milestones::*field) {
    std::vector<double> xs;
    for (const Milestones& m : runs)
      xs.push_back(m.*field);
    return median(xs);
  };
  std::printf("open + run + first paint of %s, offscreen, median of %d:\n", kScenario, kRepeats);
  std::printf("  %-34s %8.0f ms\n", "open the scenario", med(&Milestones::opened));
  std::printf("  %-34s %8.0f ms\n", "until a child reports progress", med(&Milestones::firstProgress));
  std::printf("  %-34s %8.0f ms\n", "until the last result", med(&Milestones::lastResult));
  std::printf("  %-34s %8.0f ms\n", "until the last trace is read", med(&Milestones::lastTrace));
  std::printf("  %-34s %8.0f ms\n", "until every timeline model is built", med(&Milestones::settled));
  std::printf("  %-34s %8.0f ms   (target <= 1000)\n", "until the Compare view is painted", med(&Milestones::painted));
  std::printf("  %-34s %8.0f ms   (the children's launch to result, summed)\n", "simulations", med(&Milestones::childrenMs));
  std::printf("  %-34s %8.0f ms\n", "CPU of the children (gilsim)", med(&Milestones::childrenCpuMs));
  std::printf("  %-34s %8.0f ms   (its threads: trace read, models, paint)\n", "CPU of the studio", med(&Milestones::studioCpuMs));
  std::printf("each: ");
  for (const Milestones& m : runs)
    std::printf("%.0f ", m.painted);
  std::printf("ms\n");
}

} // namespace

int main(int argc, char** argv)
{
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  if (qEnvironmentVariableIsEmpty("GILSIM_BIN"))
    qputenv("GILSIM_BIN", GILSIM_BIN);
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  std::vector<Milestones> runs;
  for (int i = 0; i < kRepeats; ++i)
    runs.push_back(openRunPaint());
  report(runs);
  return 0;
}
