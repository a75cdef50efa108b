// A student's progress through the lessons, kept between sessions in QSettings:
// per lesson the prediction committed, whether the answer was revealed and
// whether the prediction was right; and the lesson open last.
#pragma once
#include "app/common/lesson.hpp"
#include <QSettings>
#include <QString>
#include <memory>

namespace gilsim::studio {

class LessonProgress {
public:
  struct Entry {
    bool committed = false, revealed = false, right = false;
    LessonPrediction prediction;
  };

  /// The application's settings.
  LessonProgress();
  /// A settings file of its own (tests: a temporary path).
  explicit LessonProgress(const QString& iniPath);

  Entry entry(const QString& lessonId) const;
  void commit(const QString& lessonId, const LessonPrediction& prediction);
  void reveal(const QString& lessonId, bool right);
  /// Forgets one lesson's answer, to try it again.
  void forget(const QString& lessonId);
  QString current() const;
  void setCurrent(const QString& lessonId);
  void sync() { settings_->sync(); }

private:
  static QString key(const QString& lessonId, const char* what);
  std::unique_ptr<QSettings> settings_;
};

} // namespace gilsim::studio
