// The comparison table's model (see results_table_model.hpp).
#include "core/results_table_model.hpp"
#include "core/configuration_colors.hpp"
#include "core/measure_report.hpp"
#include "core/result_figures.hpp"
#include <QBrush>
#include <algorithm>
#include <cmath>

namespace gilsim::studio {

namespace {
constexpr int kLabelColumn = 0;
int figureColumns() { return static_cast<int>(resultFigures().size()); }
const ResultFigure& figureAt(int column) { return resultFigures()[static_cast<std::size_t>(column - 1)]; }
} // namespace

ResultsTableModel::ResultsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int ResultsTableModel::statusColumn() { return figureColumns() + 1; }

void ResultsTableModel::reset(const QStringList& labels)
{
  const bool keepMeasured = labels == this->labels();
  beginResetModel();
  std::vector<Row> old;
  old.swap(rows_);
  for (int k = 0; k < labels.size(); ++k) {
    Row row;
    row.label = labels[k];
    if (keepMeasured)
      row.measured = old[std::size_t(k)].measured;
    rows_.push_back(row);
  }
  endResetModel();
}

void ResultsTableModel::setMeasurements(const std::vector<Measurement>& measurements)
{
  beginResetModel();
  for (Row& row : rows_)
    row.measured = nullptr;
  for (const Measurement& m : measurements)
    rows_.at(std::size_t(m.configuration)).measured = m.row;
  endResetModel();
}

bool ResultsTableModel::hasMeasurements() const
{
  return std::any_of(rows_.begin(), rows_.end(), [](const Row& row) { return !row.measured.is_null(); });
}

QStringList ResultsTableModel::labels() const
{
  QStringList labels;
  for (const Row& row : rows_)
    labels << row.label;
  return labels;
}

const MeasuredFigure* ResultsTableModel::measuredAt(int column)
{
  const int i = column - statusColumn() - 1;
  return i >= 0 && i < int(measuredFigures().size()) ? &measuredFigures()[std::size_t(i)] : nullptr;
}

void ResultsTableModel::setProgress(int row, double fraction)
{
  rows_.at(row).status   = Status::running;
  rows_.at(row).progress = fraction;
  rowChanged(row);
}

void ResultsTableModel::setResult(int row, const nlohmann::json& result)
{
  rows_.at(row).status = Status::done;
  rows_.at(row).result = result;
  rowChanged(row);
}

void ResultsTableModel::setFailed(int row, const QString& message)
{
  rows_.at(row).status  = Status::failed;
  rows_.at(row).message = message;
  rowChanged(row);
}

void ResultsTableModel::setCancelled()
{
  for (int row = 0; row < rowCount(); ++row)
    if (rows_[row].status == Status::queued || rows_[row].status == Status::running) {
      rows_[row].status = Status::cancelled;
      rowChanged(row);
    }
}

nlohmann::json ResultsTableModel::results() const
{
  nlohmann::json all = nlohmann::json::array();
  for (const Row& row : rows_)
    if (row.status == Status::done)
      all.push_back(row.result);
  return all;
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const
{
  if (parent.isValid())
    return 0;
  return statusColumn() + 1 + (hasMeasurements() ? int(measuredFigures().size()) : 0);
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const
{
  const Row& row = rows_.at(static_cast<std::size_t>(index.row()));
  const int column = index.column();
  switch (role) {
  case Qt::DisplayRole:
    return displayData(row, column);
  case ValueRole:
    return numberData(row, column);
  case Qt::DecorationRole:
    return column == kLabelColumn ? QVariant(configurationColor(index.row())) : QVariant();
  case Qt::ToolTipRole:
    return toolTip(row, column);
  case Qt::TextAlignmentRole:
    return int(Qt::AlignVCenter | (column > 1 && column != statusColumn() ? Qt::AlignRight : Qt::AlignLeft));
  case Qt::ForegroundRole:
    return row.status == Status::failed && column == statusColumn() ? QVariant(QBrush(QColor(0xb0, 0x00, 0x20))) : QVariant();
  default:
    return {};
  }
}

QVariant ResultsTableModel::displayData(const Row& row, int column) const
{
  if (column == kLabelColumn)
    return row.label;
  if (column == statusColumn())
    return statusText(row);
  if (const MeasuredFigure* measured = measuredAt(column))
    return row.measured.is_null() ? QString() : measured->text(row.measured);
  return row.status == Status::done ? figureAt(column).text(row.result) : QString();
}

QVariant ResultsTableModel::toolTip(const Row& row, int column) const
{
  if (measuredAt(column) && !row.measured.is_null())
    return measuredPrediction(row.measured);
  return row.status == Status::failed ? row.message : limitSentence(row.result);
}

QVariant ResultsTableModel::numberData(const Row& row, int column) const
{
  if (const MeasuredFigure* measured = measuredAt(column))
    return row.measured.is_null() ? std::nan("") : measured->value(row.measured);
  return column > kLabelColumn && column < statusColumn() && row.status == Status::done ? figureAt(column).value(row.result)
                                                                                         : std::nan("");
}

QString ResultsTableModel::statusText(const Row& row) const
{
  switch (row.status) {
  case Status::queued:
    return "queued";
  case Status::running:
    return QString("running %1 %").arg(std::lround(100 * row.progress));
  case Status::done:
    return "done";
  case Status::failed:
    return "failed";
  case Status::cancelled:
    return "cancelled";
  }
  return {};
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
    return {};
  if (const MeasuredFigure* measured = measuredAt(section))
    return role == Qt::ToolTipRole ? measured->toolTip : measured->header;
  if (role == Qt::ToolTipRole)
    return {};
  if (section == kLabelColumn)
    return "configuration";
  if (section == statusColumn())
    return "run";
  return figureAt(section).header;
}

void ResultsTableModel::rowChanged(int row) { emit dataChanged(index(row, 0), index(row, columnCount() - 1)); }

} // namespace gilsim::studio
