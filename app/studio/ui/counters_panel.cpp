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
constexpr int kWholeServer = 0;
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
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(title_);
  layout->addWidget(table_);
}

void CountersPanel::setConfigurations(const QStringList& labels)
{
  traces_.assign(static_cast<std::size_t>(labels.size()), nullptr);
  table_->clear();
  table_->setColumnCount(0);
  table_->setRowCount(static_cast<int>(labels.size()));
  for (int k = 0; k < labels.size(); ++k) {
    auto* header = new QTableWidgetItem(labels[k]);
    header->setData(Qt::DecorationRole, configurationColor(k));
    table_->setVerticalHeaderItem(k, header);
  }
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
  table_->setColumnCount(static_cast<int>(names.size()));
  for (int column = 0; column < names.size(); ++column)
    table_->setHorizontalHeaderItem(column, new QTableWidgetItem(QString(names[column]).replace(' ', '\n')));
  for (int k = 0; k < table_->rowCount(); ++k)
    for (int column = 0; column < names.size(); ++column) {
      auto* item = new QTableWidgetItem(valueText(k, names[column], t_s));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(k, column, item);
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
