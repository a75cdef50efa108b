// The scenarios opened lately (see recent_files.hpp).
#include "core/recent_files.hpp"
#include <QSettings>

namespace gilsim::studio {

namespace {
const char* const kKey  = "recentFiles";
constexpr int kRemembered = 10;
} // namespace

QStringList recentFiles() { return QSettings().value(kKey).toStringList(); }

void addRecentFile(const QString& fileOrName)
{
  QStringList files = recentFiles();
  files.removeAll(fileOrName);
  files.prepend(fileOrName);
  while (files.size() > kRemembered)
    files.removeLast();
  QSettings().setValue(kKey, files);
}

} // namespace gilsim::studio
