// Progress through the lessons in QSettings (see lesson_progress.hpp).
#include "core/lesson_progress.hpp"
#include <QVariantList>
#include <cmath>

namespace gilsim::studio {

LessonProgress::LessonProgress() : settings_(std::make_unique<QSettings>()) {}

LessonProgress::LessonProgress(const QString& iniPath) : settings_(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {}

QString LessonProgress::key(const QString& lessonId, const char* what) { return QString("lessons/%1/%2").arg(lessonId, what); }

LessonProgress::Entry LessonProgress::entry(const QString& lessonId) const
{
  Entry e;
  e.committed = settings_->value(key(lessonId, "committed"), false).toBool();
  e.revealed  = settings_->value(key(lessonId, "revealed"), false).toBool();
  e.right     = settings_->value(key(lessonId, "right"), false).toBool();
  for (const QVariant& c : settings_->value(key(lessonId, "choices")).toList())
    e.prediction.choices.push_back(c.toInt());
  const QVariant number = settings_->value(key(lessonId, "number"));
  if (number.isValid())
    e.prediction.number = number.toDouble();
  return e;
}

void LessonProgress::commit(const QString& lessonId, const LessonPrediction& prediction)
{
  QVariantList choices;
  for (int c : prediction.choices)
    choices << c;
  settings_->setValue(key(lessonId, "committed"), true);
  settings_->setValue(key(lessonId, "choices"), choices);
  if (std::isfinite(prediction.number))
    settings_->setValue(key(lessonId, "number"), prediction.number);
  else
    settings_->remove(key(lessonId, "number"));
  settings_->setValue(key(lessonId, "revealed"), false);
}

void LessonProgress::reveal(const QString& lessonId, bool right)
{
  settings_->setValue(key(lessonId, "revealed"), true);
  settings_->setValue(key(lessonId, "right"), right);
}

void LessonProgress::forget(const QString& lessonId) { settings_->remove(QString("lessons/%1").arg(lessonId)); }

QString LessonProgress::current() const { return settings_->value("lessons/current").toString(); }

void LessonProgress::setCurrent(const QString& lessonId) { settings_->setValue("lessons/current", lessonId); }

} // namespace gilsim::studio
