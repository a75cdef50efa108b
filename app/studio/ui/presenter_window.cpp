// Presenter mode (see presenter_window.hpp).
#include "ui/presenter_window.hpp"
#include "core/lesson_progress.hpp"
#include "ui/lesson_choices.hpp"
#include "ui/lesson_timeline.hpp"
#include "ui/lesson_view.hpp"
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QVBoxLayout>

namespace gilsim::studio {

namespace {

QString notesHtml(const Lesson& l)
{
  auto items = [](const std::vector<std::string>& v) {
    QString s;
    for (const auto& x : v)
      s += "<li>" + QString::fromStdString(x).toHtmlEscaped() + "</li>";
    return "<ul>" + s + "</ul>";
  };
  return QString("<h2>%1</h2><p><b>Shows:</b> %2</p><p><b>Ask:</b></p>%3<p><b>Misconceptions:</b></p>%4<p>About %5 minutes.</p>")
      .arg(QString::fromStdString(l.title).toHtmlEscaped(), QString::fromStdString(l.notes.shows).toHtmlEscaped(), items(l.notes.ask),
           items(l.notes.misconceptions))
      .arg(l.notes.minutes);
}

} // namespace

PresenterWindow::PresenterWindow(LessonProgress* progress, std::vector<Lesson> course, QWidget* parent)
    : QWidget(parent, Qt::Window), view_(new LessonView(progress))
{
  setWindowTitle("gilsim-studio — presenter");
  view_->setCourse(std::move(course));
  view_->setPresenter(true, kPoints);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(24, 16, 24, 16);
  layout->addWidget(view_);
  setStyleSheet("PresenterWindow { background: white; }");
  notes_     = new QWidget(nullptr, Qt::Window);
  notes_->setWindowTitle("gilsim-studio — notes");
  notesText_ = new QLabel;
  notesText_->setWordWrap(true);
  QFont f = notesText_->font();
  f.setPointSizeF(18);
  notesText_->setFont(f);
  (new QVBoxLayout(notes_))->addWidget(notesText_);
  connect(view_, &LessonView::lessonOpened, this, &PresenterWindow::showNotes);
  setFocusPolicy(Qt::StrongFocus);
  qApp->installEventFilter(this);
}

PresenterWindow::~PresenterWindow() { delete notes_; }

void PresenterWindow::present()
{
  const QList<QScreen*> screens = QGuiApplication::screens();
  if (!screens.isEmpty())
    setGeometry(screens.first()->geometry());
  showFullScreen();
  if (screens.size() > 1) {
    notes_->setGeometry(screens.at(1)->availableGeometry());
    notes_->show();
  }
  view_->openCurrent();
  setFocus();
}

void PresenterWindow::showNotes()
{
  const int i = view_->currentIndex();
  if (i >= 0)
    notesText_->setText(notesHtml(view_->course().at(std::size_t(i))));
}

QList<QPair<QString, QString>> PresenterWindow::keys()
{
  return {{"N, →, Page Down", "next lesson"},   {"B, ←, Page Up", "previous lesson"},
          {"1 … 9", "mark a choice (the class's answer); for a number, type it"},
          {"R, Enter", "reveal: run, then show the answer"}, {"P, Space", "play / pause the events"},
          {", .", "step one event back / forward (past the traced window: run again)"}, {"Esc", "leave presenter mode"}};
}

bool PresenterWindow::eventFilter(QObject* watched, QEvent* event)
{
  auto* widget = qobject_cast<QWidget*>(watched);
  if (event->type() != QEvent::KeyPress || !widget || widget->window() != this)
    return false;
  const int key     = static_cast<QKeyEvent*>(event)->key();
  QLineEdit* number = view_->choices()->numberEdit();
  const bool typing = number && !number->isReadOnly() &&
                      ((key >= Qt::Key_0 && key <= Qt::Key_9) || key == Qt::Key_Period || key == Qt::Key_Comma || key == Qt::Key_Backspace);
  if (typing && watched != number) { // a number to guess: the class's estimate goes to its field
    number->setFocus();
    QCoreApplication::sendEvent(number, event);
    return true;
  }
  return !typing && handleKey(key);
}

bool PresenterWindow::handleKey(int key)
{
  LessonTimeline* timeline = view_->timeline();
  if (key >= Qt::Key_1 && key <= Qt::Key_9) {
    view_->choices()->pick(key - Qt::Key_1);
    return true;
  }
  switch (key) {
  case Qt::Key_N: case Qt::Key_Right: case Qt::Key_PageDown: view_->next(); return true;
  case Qt::Key_B: case Qt::Key_Left: case Qt::Key_PageUp: view_->openIndex(view_->currentIndex() - 1); return true;
  case Qt::Key_R: case Qt::Key_Return: case Qt::Key_Enter: view_->commit(); return true;
  case Qt::Key_P: case Qt::Key_Space: timeline->togglePlay(); return true;
  case Qt::Key_Comma: timeline->stepBackward(); return true;
  case Qt::Key_Period: timeline->stepForward(); return true;
  case Qt::Key_Escape: notes_->hide(); close(); return true;
  default: return false;
  }
}

} // namespace gilsim::studio
