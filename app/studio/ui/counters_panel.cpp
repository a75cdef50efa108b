// The server's counters at the replay cursor (see counters_panel.hpp).
#include "ui/counters_panel.hpp"
#include "core/configuration_colors.hpp"
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace gilsim::studio {

namespace {
constexpr int kWholeServer        = 0;
constexpr int kFirstCounterColumn = 1; ///< column 0 names the configuration
}

CountersPanel::CountersPanel(QWidget* parent) : QWidget(parent)
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel("Counters at the cursor");
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->verticalHeader()->hide();
  table_->setTextElideMode(Qt::ElideRight);
  table_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  table_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
  layout->addWidget(title_);
  layout->addWidget(table_);
  layout->addStretch(1);
}

void CountersPanel::setConfigurations(const QStringList& labels)
{
  traces_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  labels_ = labels;
  table_->clear();
  table_->setColumnCount(0);
  table_->setRowCount(static_cast<int>(labels.size()));
}

void CountersPanel::setTrace(int configuration, std::shared_ptr<const trace::Trace> trace)
{
  traces_.at(static_cast<std::size_t>(configuration)) = std::move(trace);
  showAt(shown_s_);
}

void CountersPanel::showAt(double t_s)
{
  shown_s_ = t_s;
  title_->setText(QString("Counters at t = %1 s").arg(t_s, 0, 'f', 4));
  const QStringList names = counterNames();
  table_->setColumnCount(kFirstCounterColumn + static_cast<int>(names.size()));
  table_->setHorizontalHeaderItem(0, new QTableWidgetItem("configuration"));
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  for (int i = 0; i < names.size(); ++i)
    table_->setHorizontalHeaderItem(kFirstCounterColumn + i, new QTableWidgetItem(QString(names[i]).replace(' ', '\n')));
  for (int k = 0; k < table_->rowCount(); ++k) {
    auto* label = new QTableWidgetItem(labels_.value(k));
    label->setData(Qt::DecorationRole, configurationColor(k));
    label->setToolTip(labels_.value(k));
    table_->setItem(k, 0, label);
    for (int i = 0; i < names.size(); ++i) {
      auto* item = new QTableWidgetItem(valueText(k, names[i], t_s));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(k, kFirstCounterColumn + i, item);
    }
  }
}

QStringList CountersPanel::counterNames() const
{
  QStringList names;
  for (const auto& trace : traces_)
    if (trace)
      for (const auto& series : trace->counters)
        if (series.process == kWholeServer && !names.contains(QString::fromStdString(series.name)))
          names << QString::fromStdString(series.name);
  return names;
}

QString CountersPanel::valueText(int configuration, const QString& counter, double t_s) const
{
  const auto& trace = traces_.at(static_cast<std::size_t>(configuration));
  if (!trace)
    return {};
  for (const auto& series : trace->counters)
    if (series.process == kWholeServer && QString::fromStdString(series.name) == counter) {
      const double v = series.value_at(t_s);
      return QString::number(v, 'f', std::abs(v - std::round(v)) < 1e-9 ? 0 : 1);
    }
  return "–";
}

} // namespace gilsim::studio
