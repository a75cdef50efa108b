// The Build view: its fields are the parameter table's (default, range, help),
// a refused value shows the loader's message at its field and blocks Run, an
// edit changes the JSON, and a burst of edits re-runs a small scenario once.
#include "app/common/parameters.hpp"
#include "app/common/scenario.hpp"
#include "core/auto_rerun.hpp"
#include "core/form_fields.hpp"
#include "core/json_path.hpp"
#include "ui/field_editor.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_form.hpp"
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtTest>

using namespace gilsim;
using namespace gilsim::studio;

namespace {

/// default-io-bound shortened to a few simulated seconds (a run well under a second), unchanged since opened.
ScenarioDocument shortScenario()
{
  ScenarioDocument document = ScenarioDocument::open("default-io-bound");
  document.set("duration_s=3");
  document.set("warmup_s=0.5");
  return ScenarioDocument(document.json(), document.source());
}

QLineEdit* lineOf(FieldEditor* field) { return qobject_cast<QLineEdit*>(field->input()); }

/// Types `text` into a field's line as a person would (replacing what it held).
void type(FieldEditor* field, const QString& text)
{
  QLineEdit* line = lineOf(field);
  line->selectAll();
  QTest::keyClick(line, Qt::Key_Backspace);
  QTest::keyClicks(line, text);
}

QString number(double x) { return QString::number(x, 'g', 8); }

} // namespace

class TestStudioForm : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void everyEssentialKnobHasAFieldMadeFromTheTable();
  void aFieldsDefaultRangeAndHelpAreTheTables();
  void aRefusedValueShowsTheLoadersMessageAtTheFieldAndBlocksRun();
  void twoRefusedValuesAreEachFlaggedAtTheirField();
  void editingAFieldChangesTheJsonAndMarksTheDocumentChanged();
  void emptyingAFieldLeavesItOutSoItTakesItsDefault();
  void aDistributionIsWrittenWithItsOwnFields();
  void configurationsAndStepsAreAddedRemovedAndMoved();
  void newScenarioStartsFromTheDefaultIoBoundScenario();
  void aBurstOfEditsReRunsASmallScenarioOnceAfterTheDebounce();
  void aLargeScenarioIsNotReRunByItself();
};

void TestStudioForm::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  qputenv("GILSIM_BIN", GILSIM_BIN);
}

void TestStudioForm::everyEssentialKnobHasAFieldMadeFromTheTable()
{
  MainWindow window;
  window.setDocument(shortScenario());
  ScenarioForm* form = window.form();
  for (const Parameter& p : parameters()) {
    if (!p.essential || p.type == Parameter::Type::object || p.type == Parameter::Type::array || p.one_of)
      continue;
    const std::string path = p.path.rfind("servers[]", 0) == 0 ? "servers[2]" + p.path.substr(9) : p.path;
    QVERIFY2(form->field(path), path.c_str());
    QCOMPARE(&form->field(path)->parameter(), &p);
  }
  QVERIFY(form->field("app.endpoints[0].steps[0].cpu_ms"));
  QVERIFY(form->field("app.endpoints[0].steps[1].io_ms"));
  for (FieldEditor* field : form->fields())
    QCOMPARE(&field->parameter(), find_parameter(field->path()));
}

void TestStudioForm::aFieldsDefaultRangeAndHelpAreTheTables()
{
  MainWindow window;
  window.setDocument(shortScenario());
  const Parameter& threads = *find_parameter("servers[].threads");
  FieldEditor* field       = window.form()->field("servers[0].threads");
  QCOMPARE(lineOf(field)->placeholderText(), "default " + number(threads.default_value.get<double>()));
  const QString tip = lineOf(field)->toolTip();
  QVERIFY2(tip.contains(QString("Range: ≥ %1 and ≤ %2").arg(number(threads.min), number(threads.max))), qPrintable(tip));
  QVERIFY(tip.contains(QString::fromStdString(threads.help)));
  QVERIFY(tip.contains(QString::fromStdString(threads.source)));

  const Parameter& cls = *find_parameter("servers[].worker_class");
  auto* box            = qobject_cast<QComboBox*>(window.form()->field("servers[0].worker_class")->input());
  QCOMPARE(box->count(), int(cls.choices.size()) + 1);
  QCOMPARE(box->itemText(0), QString("default (%1)").arg(QString::fromStdString(cls.default_value.get<std::string>())));
  for (std::size_t i = 0; i < cls.choices.size(); ++i)
    QCOMPARE(box->itemText(int(i) + 1), QString::fromStdString(cls.choices[i]));
}

void TestStudioForm::aRefusedValueShowsTheLoadersMessageAtTheFieldAndBlocksRun()
{
  MainWindow window;
  const ScenarioDocument original = shortScenario();
  window.setDocument(original);
  window.autoRerun()->setEnabled(false);
  FieldEditor* threads = window.form()->field("servers[1].threads");
  type(threads, "-2");
  const QString expected =
      QString::fromStdString(check_field(original.json(), "servers[1].threads", -2, original.source().toStdString()));
  QVERIFY(expected.contains("servers[1].threads: expected"));
  QCOMPARE(threads->error(), expected);
  QVERIFY(lineOf(threads)->styleSheet().contains("border"));
  QCOMPARE(valueAt(window.document().json(), "servers[1].threads"), nlohmann::json(-2));
  QSignalSpy started(window.runs(), &RunController::started);
  window.run();
  QCOMPARE(started.size(), 0);
  QVERIFY(window.errorText().contains(expected));

  type(threads, "16");
  QVERIFY(threads->error().isEmpty());
  QVERIFY(lineOf(threads)->styleSheet().isEmpty());
}

void TestStudioForm::twoRefusedValuesAreEachFlaggedAtTheirField()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(false);
  FieldEditor* workers = window.form()->field("servers[0].workers");
  FieldEditor* cores   = window.form()->field("machine.cores");
  type(workers, "many");
  type(cores, "0");
  QVERIFY2(workers->error().contains("servers[0].workers: expected"), qPrintable(workers->error()));
  QVERIFY2(cores->error().contains("machine.cores: expected"), qPrintable(cores->error()));
  QVERIFY(window.form()->field("servers[1].workers")->error().isEmpty());
  QVERIFY(window.form()->bannerText().isEmpty());
}

void TestStudioForm::editingAFieldChangesTheJsonAndMarksTheDocumentChanged()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(false);
  QVERIFY(!window.isWindowModified());
  type(window.form()->field("servers[0].workers"), "8");
  QCOMPARE(window.document().json()["servers"][0]["workers"], nlohmann::json(8));
  QVERIFY(window.document().isDirty());
  QVERIFY(window.isWindowModified());
  auto* json = window.form()->findChild<QPlainTextEdit*>();
  QVERIFY(json->toPlainText().contains("\"workers\": 8"));
}

void TestStudioForm::emptyingAFieldLeavesItOutSoItTakesItsDefault()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(false);
  type(window.form()->field("servers[1].threads"), "");
  QVERIFY(!window.document().json()["servers"][1].contains("threads"));
  QVERIFY(window.document().validationError().isEmpty());
}

void TestStudioForm::aDistributionIsWrittenWithItsOwnFields()
{
  MainWindow window;
  window.setDocument(shortScenario());
  FieldEditor* io = window.form()->field("app.endpoints[0].steps[1].io_ms");
  QCOMPARE(io->value(), nlohmann::json({{"dist", "exponential"}, {"mean", 50}}));
  auto* kind = qobject_cast<QComboBox*>(io->input());
  QStringList kinds;
  for (int i = 0; i < kind->count(); ++i)
    kinds << kind->itemText(i);
  for (const std::string& k : durationKinds())
    QVERIFY(kinds.contains(QString::fromStdString(k)));
  kind->setCurrentText("uniform");
  emit kind->activated(kind->currentIndex());
  QCOMPARE(io->value(), nlohmann::json({{"dist", "uniform"}, {"min", 50}}));
  QVERIFY2(io->error().contains("io_ms.max: expected a number"), qPrintable(io->error()));
}

void TestStudioForm::configurationsAndStepsAreAddedRemovedAndMoved()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(false);
  ScenarioForm* form = window.form();
  form->duplicateConfiguration(0);
  QCOMPARE(window.document().json()["servers"].size(), 4u);
  QCOMPARE(window.document().json()["servers"][1]["label"], nlohmann::json("sync 5w (copy)"));
  QVERIFY(form->field("servers[3].workers"));
  form->removeConfiguration(1);
  QCOMPARE(window.document().json()["servers"][1]["label"], nlohmann::json("gthread 2w x 16t"));
  form->addStep(0);
  form->moveStep(0, 2, -1);
  form->setStepKind(0, 1, "io_ms", "blocking_io_ms");
  const nlohmann::json steps = window.document().json()["app"]["endpoints"][0]["steps"];
  QCOMPARE(steps.size(), 3u);
  QVERIFY(steps[1].contains("blocking_io_ms"));
  QVERIFY(form->field("app.endpoints[0].steps[1].blocking_io_ms"));
  form->removeStep(0, 0);
  QCOMPARE(window.document().json()["app"]["endpoints"][0]["steps"].size(), 2u);
  form->setProxy(false);
  QVERIFY(!window.document().json().contains("proxy"));
  form->setProxy(true);
  QCOMPARE(window.document().json()["proxy"], nlohmann::json({{"read_timeout_s", 60}}));
  QVERIFY(window.document().validationError().isEmpty());
}

void TestStudioForm::newScenarioStartsFromTheDefaultIoBoundScenario()
{
  MainWindow window;
  window.newScenario();
  QCOMPARE(window.views()->currentIndex(), int(MainWindow::buildView));
  QVERIFY(window.document().validationError().isEmpty());
  QCOMPARE(window.document().json()["servers"], ScenarioDocument::open("default-io-bound").json()["servers"]);
  QVERIFY(window.form()->field("servers[0].worker_class"));
}

void TestStudioForm::aBurstOfEditsReRunsASmallScenarioOnceAfterTheDebounce()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(true);
  QSignalSpy started(window.runs(), &RunController::started);
  FieldEditor* workers = window.form()->field("servers[0].workers");
  for (const char* value : {"2", "3", "4", "5", "6"}) {
    type(workers, value);
    QTest::qWait(AutoRerun::kDebounceMs / 6);
  }
  QCOMPARE(started.size(), 0);
  QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 2 * AutoRerun::kDebounceMs);
  QTest::qWait(2 * AutoRerun::kDebounceMs);
  QCOMPARE(started.size(), 1);
  QCOMPARE(window.document().json()["servers"][0]["workers"], nlohmann::json(6));
  window.cancel();
}

void TestStudioForm::aLargeScenarioIsNotReRunByItself()
{
  MainWindow window;
  window.setDocument(shortScenario());
  window.autoRerun()->setEnabled(true);
  QSignalSpy started(window.runs(), &RunController::started);
  QSignalSpy skipped(window.autoRerun(), &AutoRerun::skipped);
  type(window.form()->field("load.connections"), "100000");
  QTest::qWait(2 * AutoRerun::kDebounceMs);
  QCOMPARE(started.size(), 0);
  QVERIFY(!skipped.isEmpty());
  QVERIFY(skipped.last().at(0).toString().contains("above"));
}

QTEST_MAIN(TestStudioForm)
#include "test_studio_form.moc"
