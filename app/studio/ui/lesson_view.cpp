// The Lessons view (see lesson_view.hpp).
#include "ui/lesson_view.hpp"
#include "core/handout_writer.hpp"
#include "timeline/timeline_view.hpp"
#include "ui/lesson_choices.hpp"
#include "ui/lesson_timeline.hpp"
#include <QAbstractButton>
#include <QApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <cmath>

namespace gilsim::studio {

namespace {

constexpr double kTitleScale = 1.4;
constexpr double kUnitLabelShrink = 0.85; ///< the timeline draws greenlet and task labels this much smaller

QString choiceWords(const Lesson& l, const LessonPrediction& p)
{
  if (l.kind == Lesson::Kind::number)
    return std::isfinite(p.number) ? QString::number(p.number) : QString("nothing");
  QStringList picked;
  for (int c : p.choices)
    picked << QString::fromStdString(l.choices.at(std::size_t(c)).text);
  return picked.isEmpty() ? QString("none of them") : picked.join(", ");
}

QString figuresHtml(const LessonVerdict& v)
{
  QString rows;
  for (const LessonFigure& f : v.figures)
    rows += QString("<tr><td>%1</td><td align=\"right\"><b>%2</b></td></tr>")
                .arg(QString::fromStdString(f.what).toHtmlEscaped(), QString::fromStdString(f.shown).toHtmlEscaped());
  return "<table cellspacing=\"6\">" + rows + "</table>";
}

} // namespace

LessonView::LessonView(LessonProgress* progress, QWidget* parent) : QWidget(parent), progress_(progress)
{
  list_ = new QListWidget;
  list_->setObjectName("lessonList");
  auto* splitter = new QSplitter;
  splitter->addWidget(list_);
  splitter->addWidget(buildPage());
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({300, 1100});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0 && row != index_)
      openIndex(row);
  });
  connect(&session_, &LessonSession::progress, this, [this](double f) { runProgress_->setValue(int(f * 1000)); });
  connect(&session_, &LessonSession::revealed, this, &LessonView::showVerdict);
  connect(&session_, &LessonSession::failed, this, [this](const QString& m) {
    runProgress_->hide();
    status_->setText("The run failed: " + m);
    emit failed(m);
  });
  connect(timeline_, &LessonTimeline::ready, this, &LessonView::revealed);
  connect(timeline_, &LessonTimeline::stepped, this, [this] {
    if (presenter_) // the room follows the events: the timeline comes into view
      scroll_->ensureWidgetVisible(timeline_, 0, 0);
  });
}

QLabel* LessonView::label(const QString& objectName, bool wrap)
{
  auto* l = new QLabel;
  l->setObjectName(objectName);
  l->setWordWrap(wrap);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

QWidget* LessonView::buildPage()
{
  title_    = label("lessonTitle");
  sketch_   = label("lessonSketch", false);
  sketch_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  sketch_->setStyleSheet("background: #f4f4f4; border: 1px solid #bbb; padding: 8px;");
  question_ = label("lessonQuestion");
  choices_  = new LessonChoices;
  commit_   = new QPushButton("Commit my answer, then run");
  commit_->setObjectName("lessonCommit");
  runProgress_ = new QProgressBar;
  runProgress_->setRange(0, 1000);
  runProgress_->hide();
  status_ = label("lessonStatus");
  auto* page   = new QWidget;
  auto* column = new QVBoxLayout(page);
  for (QWidget* w : std::initializer_list<QWidget*>{title_, sketch_, question_, choices_, commit_, runProgress_, status_})
    column->addWidget(w);
  column->addWidget(buildReveal(), 1);
  column->addStretch();
  connect(commit_, &QPushButton::clicked, this, &LessonView::commit);
  scroll_ = new QScrollArea;
  scroll_->setWidgetResizable(true);
  scroll_->setWidget(page);
  return scroll_;
}

QWidget* LessonView::buildReveal()
{
  reveal_      = new QWidget;
  reveal_->setObjectName("lessonReveal");
  verdict_     = label("lessonVerdict");
  answer_      = label("lessonAnswer");
  figures_     = label("lessonFigures");
  explanation_ = label("lessonExplanation");
  timeline_    = new LessonTimeline;
  timeline_->setMinimumHeight(380);
  again_ = new QPushButton("Try again");
  next_  = new QPushButton("Next lesson ▶");
  next_->setObjectName("lessonNext");
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(again_);
  buttons->addStretch();
  buttons->addWidget(next_);
  auto* column = new QVBoxLayout(reveal_);
  column->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : std::initializer_list<QWidget*>{verdict_, answer_, figures_, explanation_})
    column->addWidget(w);
  column->addWidget(timeline_, 1);
  column->addLayout(buttons);
  connect(again_, &QPushButton::clicked, this, &LessonView::tryAgain);
  connect(next_, &QPushButton::clicked, this, &LessonView::next);
  reveal_->hide();
  return reveal_;
}

void LessonView::setCourse(std::vector<Lesson> course)
{
  course_ = std::move(course);
  index_  = -1;
  list_->clear();
  for (const Lesson& l : course_)
    list_->addItem(QString::fromStdString(l.title));
  markCourse();
}

void LessonView::setProgress(LessonProgress* progress)
{
  progress_ = progress;
  markCourse();
}

QWidget* LessonView::page() const { return scroll_->widget(); }

void LessonView::openCurrent()
{
  if (!openLesson(progress_->current()) && !course_.empty())
    openIndex(0);
}

bool LessonView::openLesson(const QString& id)
{
  for (std::size_t i = 0; i < course_.size(); ++i)
    if (QString::fromStdString(course_[i].id) == id) {
      openIndex(int(i));
      return true;
    }
  return false;
}

void LessonView::openIndex(int index)
{
  if (index < 0 || std::size_t(index) >= course_.size())
    return;
  index_ = index;
  const Lesson& lesson = course_[std::size_t(index)];
  progress_->setCurrent(QString::fromStdString(lesson.id));
  list_->setCurrentRow(index);
  session_.setLesson(lesson);
  showQuestion(lesson);
  emit lessonOpened(index);
  const LessonProgress::Entry entry = progress_->entry(QString::fromStdString(lesson.id));
  if (entry.committed) { // answered in an earlier session: the same run again shows its answer
    choices_->setPrediction(entry.prediction);
    commit();
  }
}

void LessonView::showQuestion(const Lesson& lesson)
{
  timeline_->clear();
  reveal_->hide();
  runProgress_->hide();
  title_->setText(QString("Lesson %1 of %2 — %3").arg(index_ + 1).arg(course_.size()).arg(QString::fromStdString(lesson.title)));
  sketch_->setText(QString::fromStdString(lesson.sketch));
  sketch_->setVisible(!lesson.sketch.empty());
  question_->setText(QString::fromStdString(lesson.question));
  choices_->setLesson(lesson);
  choices_->setLocked(false);
  commit_->setEnabled(true);
  commit_->show();
  status_->setText(presenter_ ? "Take the class's answers (keys 1-9 mark one), then R reveals."
                              : "Pick your answer and commit to it: the simulation runs only then.");
  applyFonts();
}

void LessonView::commit()
{
  if (session_.stage() != LessonSession::Stage::asking)
    return;
  const LessonPrediction p = choices_->prediction();
  const Lesson& lesson     = session_.lesson();
  if (p.empty() && !presenter_ && lesson.kind != Lesson::Kind::select) {
    status_->setText("Pick an answer first: the point is to predict before you see.");
    return;
  }
  QString error;
  if (!session_.commit(p, &error)) {
    status_->setText("Cannot run: " + error);
    return;
  }
  progress_->commit(QString::fromStdString(lesson.id), p);
  choices_->setLocked(true);
  commit_->setEnabled(false);
  runProgress_->setValue(0);
  runProgress_->show();
  status_->setText(QString("Committed: %1. Running %2 configurations…").arg(choiceWords(lesson, p)).arg(lesson.loaded.servers.size()));
  markCourse();
}

void LessonView::showVerdict()
{
  const LessonVerdict& v = *session_.verdict();
  const Lesson& lesson   = session_.lesson();
  const bool right       = session_.predictionRight();
  progress_->reveal(QString::fromStdString(lesson.id), right);
  runProgress_->hide();
  status_->clear();
  choices_->showAnswer(v);
  const QString yours = choiceWords(lesson, session_.prediction());
  verdict_->setText(session_.prediction().empty() ? QString("No answer was committed.")
                    : right ? QString("✔ Right: %1.").arg(yours)
                            : QString("✘ Not this time: you said %1.").arg(yours));
  verdict_->setStyleSheet(right ? "color: #005a32; font-weight: bold;" : "color: #a50f15; font-weight: bold;");
  answer_->setText("The answer: " + QString::fromStdString(v.answer_text));
  figures_->setText(figuresHtml(v));
  explanation_->setText(v.as_explained ? QString::fromStdString(v.explanation)
                                       : "The model now computes another answer than the explanation was written for; "
                                         "the figures above are what it computes.");
  reveal_->show();
  commit_->hide();
  sketch_->setVisible(!presenter_ && !lesson.sketch.empty()); // presenter: room for the answer on one screen
  applyFonts();
  timeline_->show(session_.trace(), lesson);
  markCourse();
}

void LessonView::next()
{
  if (index_ < 0)
    return;
  const std::string& id = course_[std::size_t(index_)].next;
  if (!id.empty())
    openLesson(QString::fromStdString(id));
  else if (std::size_t(index_ + 1) < course_.size())
    openIndex(index_ + 1);
}

void LessonView::tryAgain()
{
  if (index_ < 0)
    return;
  progress_->forget(QString::fromStdString(course_[std::size_t(index_)].id));
  openIndex(index_);
  markCourse();
}

void LessonView::markCourse()
{
  for (std::size_t i = 0; i < course_.size() && int(i) < list_->count(); ++i) {
    const LessonProgress::Entry e = progress_->entry(QString::fromStdString(course_[i].id));
    const QString mark            = e.revealed ? (e.right ? "✔ " : "✘ ") : e.committed ? "• " : "   ";
    list_->item(int(i))->setText(mark + QString("%1. %2").arg(i + 1).arg(QString::fromStdString(course_[i].title)));
  }
}

void LessonView::setPresenter(bool presenter, double points)
{
  presenter_ = presenter;
  points_    = points;
  list_->setVisible(!presenter);
  setStyleSheet(presenter ? "QWidget { background: white; color: black; }"
                            "QRadioButton::indicator, QCheckBox::indicator { width: 28px; height: 28px; }"
                            "QPushButton, QToolButton { border: 3px solid black; padding: 6px 16px; }"
                          : QString());
  applyFonts();
}

void LessonView::applyFonts()
{
  QFont base = QApplication::font();
  if (presenter_)
    base.setPointSizeF(points_);
  setFont(base);
  for (QWidget* w : findChildren<QWidget*>())
    if (!qobject_cast<TimelineView*>(w))
      w->setFont(base);
  QFont title = base;
  title.setPointSizeF(base.pointSizeF() * (presenter_ ? kTitleScale : 1.3));
  title.setBold(true);
  title_->setFont(title);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(presenter_ ? points_ * 0.8 : base.pointSizeF());
  sketch_->setFont(mono);
  const double appPt = QApplication::font().pointSizeF();
  timeline_->setPresenterScale(presenter_ ? points_ / (appPt * kUnitLabelShrink) : 1.0);
}

QString LessonView::visibleText() const
{
  QStringList texts;
  for (QLabel* l : findChildren<QLabel*>())
    if (l->isVisibleTo(this) && !l->text().isEmpty())
      texts << l->text();
  for (QAbstractButton* b : findChildren<QAbstractButton*>())
    if (b->isVisibleTo(this))
      texts << b->text();
  return texts.join('\n');
}

QString LessonView::writeHandoutTo(const QString& dir, QString* error)
{
  const LessonVerdict* v = session_.verdict();
  if (!v || !timeline_->isReady()) {
    *error = "reveal the lesson's answer first";
    return {};
  }
  const Lesson& l = session_.lesson();
  Handout h;
  h.id       = QString::fromStdString(l.id);
  h.title    = QString::fromStdString(l.title);
  h.sketch   = QString::fromStdString(l.sketch);
  h.question = QString::fromStdString(l.question);
  for (const LessonChoice& c : l.choices)
    h.choices << QString::fromStdString(c.text);
  h.answer      = QString::fromStdString(v->answer_text);
  h.explanation = QString::fromStdString(v->explanation);
  h.window      = QString("%1, %2 s to %3 s") // the window shown: the lesson's, or one stepped past it to
                 .arg(QString::fromStdString(l.timeline.server))
                 .arg(timeline_->windowStart_s())
                 .arg(timeline_->windowEnd_s());
  for (const LessonFigure& f : v->figures)
    h.figures << QString::fromStdString(f.what + " = " + f.shown);
  h.frames = timeline_->frames(kHandoutFrames);
  return writeHandout(dir, h, error);
}

} // namespace gilsim::studio
