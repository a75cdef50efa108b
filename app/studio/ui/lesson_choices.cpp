// A lesson's choices (see lesson_choices.hpp).
#include "ui/lesson_choices.hpp"
#include <QButtonGroup>
#include <QCheckBox>
#include <QDoubleValidator>
#include <QLineEdit>
#include <QLocale>
#include <QRadioButton>
#include <QVBoxLayout>
#include <cmath>

namespace gilsim::studio {

LessonChoices::LessonChoices(QWidget* parent) : QWidget(parent), layout_(new QVBoxLayout(this)), group_(new QButtonGroup(this))
{
  layout_->setContentsMargins(0, 0, 0, 0);
}

void LessonChoices::clear()
{
  for (QAbstractButton* b : buttons_)
    delete b;
  buttons_.clear();
  delete number_;
  number_ = nullptr;
}

void LessonChoices::setLesson(const Lesson& lesson)
{
  clear();
  kind_ = lesson.kind;
  group_->setExclusive(kind_ != Lesson::Kind::select);
  if (kind_ == Lesson::Kind::number) {
    number_ = new QLineEdit;
    number_->setValidator(new QDoubleValidator(0, 1e12, 3, number_));
    number_->setPlaceholderText(QString("your estimate of %1").arg(QString::fromStdString(lesson.metric)));
    connect(number_, &QLineEdit::textChanged, this, &LessonChoices::changed);
    layout_->addWidget(number_);
    return;
  }
  for (std::size_t i = 0; i < lesson.choices.size(); ++i) {
    const QString text = QString("%1. %2").arg(i + 1).arg(QString::fromStdString(lesson.choices[i].text));
    QAbstractButton* b = kind_ == Lesson::Kind::select ? static_cast<QAbstractButton*>(new QCheckBox(text))
                                                       : static_cast<QAbstractButton*>(new QRadioButton(text));
    group_->addButton(b, int(i));
    connect(b, &QAbstractButton::toggled, this, &LessonChoices::changed);
    layout_->addWidget(b);
    buttons_.push_back(b);
  }
}

LessonPrediction LessonChoices::prediction() const
{
  LessonPrediction p;
  if (number_) {
    bool ok        = false;
    const double x = QLocale().toDouble(number_->text(), &ok);
    p.number       = ok ? x : number_->text().toDouble(&ok);
    if (!ok)
      p.number = std::nan("");
    return p;
  }
  for (std::size_t i = 0; i < buttons_.size(); ++i)
    if (buttons_[i]->isChecked())
      p.choices.push_back(int(i));
  return p;
}

void LessonChoices::setPrediction(const LessonPrediction& prediction)
{
  if (number_) {
    number_->setText(std::isfinite(prediction.number) ? QString::number(prediction.number) : QString());
    return;
  }
  for (int c : prediction.choices)
    if (c >= 0 && std::size_t(c) < buttons_.size())
      buttons_[std::size_t(c)]->setChecked(true);
}

void LessonChoices::setLocked(bool locked)
{
  for (QAbstractButton* b : buttons_)
    b->setEnabled(!locked);
  if (number_)
    number_->setReadOnly(locked);
}

void LessonChoices::showAnswer(const LessonVerdict& verdict)
{
  for (int i : verdict.answer)
    if (std::size_t(i) < buttons_.size()) {
      buttons_[std::size_t(i)]->setText(buttons_[std::size_t(i)]->text() + "   ✔ the answer");
      buttons_[std::size_t(i)]->setStyleSheet("font-weight: bold; color: #005a32;");
    }
}

void LessonChoices::pick(int index)
{
  if (number_ || index < 0 || std::size_t(index) >= buttons_.size() || !buttons_[std::size_t(index)]->isEnabled())
    return;
  QAbstractButton* b = buttons_[std::size_t(index)];
  b->setChecked(kind_ == Lesson::Kind::select ? !b->isChecked() : true);
}

} // namespace gilsim::studio
