// The choices of a lesson's question: one radio button per choice (rank,
// bands), a check box per configuration (select), or a number to type; keys
// 1-9 pick a choice. Locked once committed; after the reveal the right choices are marked.
#pragma once
#include "app/common/lesson.hpp"
#include <QWidget>
#include <vector>

class QAbstractButton;
class QButtonGroup;
class QLineEdit;
class QVBoxLayout;

namespace gilsim::studio {

class LessonChoices : public QWidget {
  Q_OBJECT
public:
  explicit LessonChoices(QWidget* parent = nullptr);
  void setLesson(const Lesson& lesson);
  LessonPrediction prediction() const;
  void setPrediction(const LessonPrediction& prediction);
  /// Nothing can be changed (committed).
  void setLocked(bool locked);
  /// Marks the right choices (and the number) of the verdict.
  void showAnswer(const LessonVerdict& verdict);
  /// Toggles (select) or picks (rank, bands) choice `index`, as keys 1-9 do.
  void pick(int index);
  const std::vector<QAbstractButton*>& buttons() const { return buttons_; }
  QLineEdit* numberEdit() const { return number_; }

signals:
  void changed();

private:
  void clear();
  QVBoxLayout* layout_;
  QButtonGroup* group_;
  std::vector<QAbstractButton*> buttons_;
  QLineEdit* number_ = nullptr;
  Lesson::Kind kind_ = Lesson::Kind::rank;
};

} // namespace gilsim::studio
