// Which chart library for the studio: Qt Charts and QCustomPlot (both in
// Debian) drawing what the studio's Charts view draws — throughput and
// latency over time for three configurations (600 buckets of a 60 s run, and
// 36,000 for a one-hour run, or those cut to one point a pixel), the 101-point latency CDF — into a 1600x1000
// QImage, offscreen. Medians of several frames, built and drawn in one process.
//   QT_QPA_PLATFORM=offscreen build/bench/bench_charts [--frames N]
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <qcustomplot.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

namespace {

using Series = std::vector<QPointF>;

/// Three configurations' throughput over time: `points` buckets of noise around a level.
std::vector<Series> throughput(int points)
{
  std::mt19937_64 rng(1);
  std::normal_distribution<double> noise(0, 30);
  std::vector<Series> out;
  for (double level : {100.0, 550.0, 860.0}) {
    Series s;
    for (int i = 0; i < points; ++i)
      s.emplace_back(i * 0.1, level + noise(rng));
    out.push_back(s);
  }
  return out;
}

double median_ms(const std::function<void()>& frame, int frames)
{
  std::vector<double> ms;
  for (int k = 0; k < frames; ++k) {
    auto t0 = std::chrono::steady_clock::now();
    frame();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

QImage canvas()
{
  QImage img(1600, 1000, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::white);
  return img;
}

/// Qt Charts: build the chart, then render its view into an image (a frame = build + draw, as on a new run).
void qtcharts_frame(const std::vector<Series>& data)
{
  auto* chart = new QChart();
  for (const auto& s : data) {
    auto* line = new QLineSeries();
    line->replace(QList<QPointF>(s.begin(), s.end()));
    chart->addSeries(line);
  }
  chart->createDefaultAxes();
  QChartView view(chart);
  view.resize(1600, 1000);
  QImage img = canvas();
  QPainter p(&img);
  view.render(&p);
}

void qcustomplot_frame(const std::vector<Series>& data)
{
  QCustomPlot plot;
  plot.resize(1600, 1000);
  for (const auto& s : data) {
    QVector<double> x, y;
    for (const auto& pt : s) {
      x.push_back(pt.x());
      y.push_back(pt.y());
    }
    plot.addGraph()->setData(x, y, true);
  }
  plot.rescaleAxes();
  QImage img = canvas();
  QCPPainter p(&img);
  plot.toPainter(&p, 1600, 1000);
}

} // namespace

int main(int argc, char** argv)
{
  QApplication app(argc, argv);
  int frames = 9;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--frames") == 0)
      frames = std::max(1, std::atoi(argv[i + 1]));
  std::printf("%-34s %12s %14s\n", "chart (3 series, 1600x1000)", "Qt Charts ms", "QCustomPlot ms");
  for (auto [name, points] : {std::pair{"60 s run, 600 buckets", 600}, std::pair{"1 h run, 36,000 buckets", 36000},
                              std::pair{"1 h run, 1,600 points (one a pixel)", 1600},
                              std::pair{"latency CDF, 101 points", 101}}) {
    auto data = throughput(points);
    double a  = median_ms([&] { qtcharts_frame(data); }, frames);
    double b  = median_ms([&] { qcustomplot_frame(data); }, frames);
    std::printf("%-34s %12.1f %14.1f\n", name, a, b);
  }
}
