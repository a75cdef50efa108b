// gilsim-studio: the desktop app that runs a scenario's server configurations
// in child gilsim processes and shows them side by side. `gilsim-studio
// [FILE|NAME]` opens a scenario; `--screenshot DIR [SCENARIO]` writes each view as a PNG.
#include "ui/main_window.hpp"
#include "ui/screenshot_session.hpp"
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

namespace {

constexpr double kMinFontPoints = 11; ///< readable on a projector

void enlargeFont(QApplication& app)
{
  QFont font = app.font();
  if (font.pointSizeF() < kMinFontPoints) {
    font.setPointSizeF(kMinFontPoints);
    app.setFont(font);
  }
}

} // namespace

int main(int argc, char** argv)
{
  QApplication app(argc, argv);
  QApplication::setOrganizationName("gilsim");
  QApplication::setApplicationName("gilsim-studio");
  enlargeFont(app);

  QCommandLineParser parser;
  parser.setApplicationDescription("Simulated Python web servers (Gunicorn worker classes, the GIL), side by side");
  parser.addHelpOption();
  QCommandLineOption screenshot("screenshot", "Run SCENARIO (default: default-io-bound), write one PNG per view into DIR, exit.",
                                "DIR");
  parser.addOption(screenshot);
  QCommandLineOption measure("screenshot-measure", "With --screenshot: also measure on gilsim-server (about 30 s more).");
  parser.addOption(measure);
  parser.addPositionalArgument("scenario", "A scenario file or the name of a built-in scenario (gilsim list).", "[FILE|NAME]");
  parser.process(app);
  const QString scenario = parser.positionalArguments().value(0);

  gilsim::studio::MainWindow window;
  if (parser.isSet(screenshot)) {
    gilsim::studio::ScreenshotSession session(&window, parser.value(screenshot),
                                              scenario.isEmpty() ? QString("default-io-bound") : scenario);
    session.setMeasure(parser.isSet(measure));
    QObject::connect(&session, &gilsim::studio::ScreenshotSession::done, &app, [](int code, const QString& message) {
      std::fprintf(code ? stderr : stdout, "gilsim-studio: %s\n", message.toLocal8Bit().constData());
      QCoreApplication::exit(code);
    });
    QTimer::singleShot(0, &session, &gilsim::studio::ScreenshotSession::start);
    return app.exec();
  }
  window.show();
  if (!scenario.isEmpty())
    window.openScenario(scenario);
  return app.exec();
}
