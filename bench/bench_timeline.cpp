// The timeline's speed and memory on 10 million intervals over 200 lanes
// (synthetic, seeded): model build, bytes per interval, and the time to paint
// a 1920×1080 frame at every zoom and while panning, against a naive pass.
#include "timeline/synthetic_trace.hpp"
#include "timeline/timeline_palette.hpp"
#include "timeline/timeline_renderer.hpp"
#include "timeline/timeline_view.hpp"
#include <QApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

namespace {

constexpr double kIntervals = 10e6;
constexpr int kWidth = 1920, kHeight = 1080, kRuns = 7;

double secondsOf(const std::function<void()>& f)
{
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double medianOf(int runs, const std::function<void()>& f)
{
  std::vector<double> t;
  for (int r = 0; r < runs; ++r)
    t.push_back(secondsOf(f));
  return median(t);
}

uint64_t intervalsOf(const gilsim::trace::Trace& t)
{
  uint64_t n = 0;
  for (const auto& s : t.states)
    n += s.size();
  return n;
}

std::size_t stateColumnBytes(const gilsim::trace::Trace& t)
{
  std::size_t bytes = 0;
  for (const auto& s : t.states)
    bytes += s.start.capacity() * sizeof(double) + s.state.capacity() + s.request.capacity() * sizeof(uint32_t);
  return bytes;
}

/// 40 processes of a main loop and 4 threads: 200 lanes, as long as 10 M intervals need.
std::shared_ptr<gilsim::trace::Trace> benchTrace()
{
  SyntheticTraceOptions o;
  o.processes  = 40;
  o.duration_s = 1;
  o.seed       = 2026;
  double per_s = static_cast<double>(intervalsOf(*makeSyntheticTrace(o)));
  o.duration_s = kIntervals / per_s;
  return makeSyntheticTrace(o);
}

/// The naive frame: every visible interval adds its time to the pixels it covers, then each pixel's dominant state.
void naiveFrame(QImage& image, const TimelineModel& model, const TimelineLayout& layout, double t0, double t1)
{
  int width = image.width();
  double dt = (t1 - t0) / width;
  std::vector<std::array<double, 6>> time_s(static_cast<std::size_t>(width));
  std::vector<QRgb> line(static_cast<std::size_t>(width));
  image.fill(TimelinePalette::background());
  for (int shown = 0; shown < layout.count(); ++shown) {
    const TimelineRow& r = model.rows()[static_cast<std::size_t>(layout.row(shown))];
    if (!model.hasStates(r.lane) || layout.top(shown) >= image.height())
      continue;
    const auto& s = model.trace().states[static_cast<std::size_t>(r.lane)];
    std::fill(time_s.begin(), time_s.end(), std::array<double, 6>{});
    auto first = std::upper_bound(s.start.begin(), s.start.end(), t0) - s.start.begin();
    for (auto i = static_cast<std::size_t>(std::max<long>(0, first - 1)); i < s.size() && s.start[i] < t1; ++i) {
      double b = std::max(s.start[i], t0), e = std::min(model.intervalEnd(r.lane, static_cast<long>(i)), t1);
      for (int x = static_cast<int>((b - t0) / dt); x < width && t0 + x * dt < e; ++x)
        time_s[static_cast<std::size_t>(x)][static_cast<std::size_t>(s.state[i])] +=
            std::min(e, t0 + (x + 1) * dt) - std::max(b, t0 + x * dt);
    }
    for (int x = 0; x < width; ++x) {
      const auto& t = time_s[static_cast<std::size_t>(x)];
      auto best = std::max_element(t.begin(), t.end()) - t.begin();
      line[static_cast<std::size_t>(x)] = t[static_cast<std::size_t>(best)] > 0 ? TimelinePalette::state(static_cast<uint8_t>(best)) : TimelinePalette::background();
    }
    for (int y = layout.top(shown) + 1; y < std::min(layout.top(shown) + layout.height(shown) - 1, image.height()); ++y)
      std::copy(line.begin(), line.end(), reinterpret_cast<QRgb*>(image.scanLine(y)));
  }
}

struct Zoom {
  const char* name;
  double factor;
};

} // namespace

int main(int argc, char** argv)
{
  QApplication app(argc, argv);
  std::printf("generating the synthetic trace...\n");
  auto trace = benchTrace();
  uint64_t n = intervalsOf(*trace);
  std::shared_ptr<const TimelineModel> model;
  double build_s = medianOf(3, [&] { model = std::make_shared<TimelineModel>(trace); });
  double per     = 1 / static_cast<double>(n);
  double trace_b = static_cast<double>(TimelineModel::traceBytes(*trace)) * per;
  double states_b = static_cast<double>(stateColumnBytes(*trace)) * per;
  double model_b = static_cast<double>(model->memoryBytes()) * per;

  TimelineLayout layout;
  layout.setModel(model.get());
  layout.setCompact(true);
  layout.setScale(0.8);
  QImage image(kWidth, kHeight, QImage::Format_RGB32);
  TimelineRenderer renderer;
  TimeAxis axis;
  TimelineView view(&axis);
  view.setModel(model);
  view.resize(kWidth, kHeight);
  view.show();
  QImage widget_image(kWidth, kHeight, QImage::Format_RGB32);

  std::printf("\n%llu intervals over %zu lanes (%zu rows shown of %d px), %.1f s simulated\n",
              static_cast<unsigned long long>(n), model->stateLanes().size(), static_cast<std::size_t>(layout.count()),
              layout.totalHeight(), trace->until_s - trace->from_s);
  std::printf("model build (levels of detail included): %.2f s (median of 3)\n", build_s);
  std::printf("memory per interval: state columns %.1f + model (levels of detail, prefix sums) %.1f = %.1f bytes;\n"
              "  the trace's lock holds and counters add %.1f more\n\n",
              states_b, model_b, states_b + model_b, trace_b - states_b);
  std::printf("%-22s %14s %14s %10s %14s\n", "frame 1920x1080", "all rows, ms", "naive, ms", "ratio", "widget, ms");
  double mid = (trace->from_s + trace->until_s) / 2, full = trace->until_s - trace->from_s;
  for (Zoom z : {Zoom{"zoomed out", 1}, Zoom{"1/10", 10}, Zoom{"1/1000", 1e3}, Zoom{"1/1e6", 1e6}}) {
    double w = full / z.factor, t0 = mid - w / 2, t1 = mid + w / 2;
    TimelineFrame frame;
    frame.t0_s = t0, frame.t1_s = t1;
    double ours  = medianOf(kRuns, [&] { renderer.paint(image, *model, layout, frame); });
    double naive = medianOf(z.factor < 100 ? 3 : kRuns, [&] { naiveFrame(image, *model, layout, t0, t1); });
    axis.setVisibleRange(t0, t1);
    double widget = medianOf(kRuns, [&] { view.render(&widget_image); });
    std::printf("%-22s %14.1f %14.1f %9.1fx %14.1f\n", z.name, ours * 1e3, naive * 1e3, naive / ours, widget * 1e3);
  }
  std::vector<double> pans, widget_pans;
  axis.setVisibleRange(trace->from_s, trace->from_s + full / 10);
  TimelineFrame frame;
  for (int k = 0; k < 40; ++k) {
    axis.pan(axis.visibleWidth() * 0.05);
    frame.t0_s = axis.visibleStart(), frame.t1_s = axis.visibleEnd();
    pans.push_back(secondsOf([&] { renderer.paint(image, *model, layout, frame); }));
    widget_pans.push_back(secondsOf([&] { view.render(&widget_image); }));
  }
  std::printf("%-22s %14.1f %14s %10s %14.1f\n", "panning at 1/10", median(pans) * 1e3, "", "", median(widget_pans) * 1e3);
  std::printf("\n'all rows': the 200 lanes, 40 GIL strips and the machine, all on screen (compact rows);\n"
              "'widget': TimelineView::render at normal row heights (labels, ruler, cursor included).\n");
  return 0;
}
