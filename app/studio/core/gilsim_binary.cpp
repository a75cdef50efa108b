// Where the studio finds the `gilsim` program (see gilsim_binary.hpp).
#include "core/gilsim_binary.hpp"
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace gilsim::studio {

namespace {

bool isExecutableFile(const QString& path)
{
  QFileInfo info(path);
  return info.isFile() && info.isExecutable();
}

QStringList candidatePaths()
{
  const QString here = QCoreApplication::applicationDirPath();
  return {QDir::cleanPath(here + "/../" GILSIM_CLI_NAME), QDir::cleanPath(here + "/" GILSIM_CLI_NAME)};
}

} // namespace

QString findGilsimBinary(QString* error)
{
  const QString fromEnvironment = qEnvironmentVariable("GILSIM_BIN");
  if (!fromEnvironment.isEmpty()) {
    if (isExecutableFile(fromEnvironment))
      return fromEnvironment;
    *error = QString("GILSIM_BIN=%1: no executable file there").arg(fromEnvironment);
    return {};
  }
  const QStringList candidates = candidatePaths();
  for (const QString& path : candidates)
    if (isExecutableFile(path))
      return path;
  *error = QString("cannot find the gilsim program (looked for %1); build it (cmake --build build --target gilsim) "
                   "or set GILSIM_BIN to its path")
               .arg(candidates.join(" and "));
  return {};
}

} // namespace gilsim::studio
