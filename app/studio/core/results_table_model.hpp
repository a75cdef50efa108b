// The comparison table: one row per server configuration of the open scenario,
// its status while it runs (queued, running n %, failed and why) and then the
// figures `gilsim run` prints, with the CLI's one-sentence reason for its limit;
// after "Measure on gilsim-server", the measured figures in columns after "run".
#pragma once
#include <QAbstractTableModel>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <vector>

namespace gilsim::studio {

struct Measurement;
struct MeasuredFigure;

class ResultsTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Role { ValueRole = Qt::UserRole };  ///< the number behind a cell (NaN for text)
  enum class Status { queued, running, done, failed, cancelled };

  explicit ResultsTableModel(QObject* parent = nullptr);

  /// Empties the table to these configurations, all queued; measurements stay if the labels do.
  void reset(const QStringList& labels);
  /// Shows measured columns, filled for these configurations.
  void setMeasurements(const std::vector<Measurement>& measurements);
  bool hasMeasurements() const;
  /// The report's results[i] measured for a row; null if none.
  const nlohmann::json& measured(int row) const { return rows_.at(row).measured; }
  QStringList labels() const;
  void setProgress(int row, double fraction);
  void setResult(int row, const nlohmann::json& result);
  void setFailed(int row, const QString& message);
  /// Every row not done or failed becomes cancelled.
  void setCancelled();

  Status status(int row) const { return rows_.at(row).status; }
  QString label(int row) const { return rows_.at(row).label; }
  const nlohmann::json& result(int row) const { return rows_.at(row).result; }
  QString message(int row) const { return rows_.at(row).message; }
  /// The results of the finished rows, as a `--json` results array.
  nlohmann::json results() const;
  static int statusColumn();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  struct Row {
    QString label;
    Status status = Status::queued;
    double progress = 0;
    nlohmann::json result;
    QString message;
    nlohmann::json measured;
  };
  QString statusText(const Row& row) const;
  QVariant displayData(const Row& row, int column) const;
  QVariant numberData(const Row& row, int column) const;
  QVariant toolTip(const Row& row, int column) const;
  /// The measured figure of a column after "run", or null.
  static const MeasuredFigure* measuredAt(int column);
  void rowChanged(int row);

  std::vector<Row> rows_;
};

} // namespace gilsim::studio
