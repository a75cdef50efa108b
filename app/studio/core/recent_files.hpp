// The scenarios opened lately, newest first, remembered across sessions in
// QSettings; built-in names are remembered like files.
#pragma once
#include <QStringList>

namespace gilsim::studio {

QStringList recentFiles();
/// Puts `fileOrName` first, dropping older duplicates and anything past the tenth.
void addRecentFile(const QString& fileOrName);

} // namespace gilsim::studio
