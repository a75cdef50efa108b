// Paints a timeline's rows into a QImage scanline by scanline: one sample per
// pixel from the model's levels of detail, never more rectangles than pixels
// (Qt Creator's TimelineRenderPass, with the model doing the merging).
#pragma once
#include "timeline/timeline_layout.hpp"
#include "timeline/timeline_model.hpp"
#include <QFont>
#include <QImage>

/// What a frame shows: the visible times, the first content row, the selected request.
struct TimelineFrame {
  double t0_s = 0, t1_s = 1;
  int scroll_y = 0;                               ///< content y drawn at the image's top
  const std::vector<RequestSpan>* highlight = nullptr; ///< the selected request's spans; others dim
  const std::vector<HoldSpan>* highlight_holds = nullptr; ///< and its GIL holds, on the lock strips
  QFont font;                                     ///< for the holders' names on wide holds
};

class TimelineRenderer {
public:
  /// Paints every row of `layout` crossing the image (its width: the pixels across [t0, t1]).
  void paint(QImage& image, const TimelineModel& model, const TimelineLayout& layout, const TimelineFrame& frame);

private:
  struct RowBox {
    int row, top, height;
  };
  void paintStates(QImage& image, const TimelineModel& model, const RowBox& box, int lane);
  void paintProcess(QImage& image, const TimelineModel& model, const RowBox& box, int lane);
  void paintLock(QImage& image, const TimelineModel& model, const RowBox& box, int lock);
  void paintMachine(QImage& image, const TimelineModel& model, const RowBox& box);
  void paintDropRequests(QImage& image, const TimelineModel& model, const RowBox& box, int lock);
  void paintHolderNames(QImage& image, const TimelineModel& model, const RowBox& box, int lock);
  void paintWorkerMarks(QImage& image, const TimelineModel& model, const RowBox& box, int lane);
  void dimOutsideRequest(int lane);
  void dimOutsideHolds(int lock);
  void light(double start_s, double end_s);
  void dimUnlit();
  void outlineLit(QImage& image, int top, int height);
  void fillLines(QImage& image, int top, int height);

  TimelineFrame frame_;
  double dt_s_ = 0;
  int width_ = 0;
  std::vector<uint8_t> samples_;
  std::vector<float> busy_;
  std::vector<QRgb> line_;
  std::vector<char> lit_; ///< pixels of the selected request on the row being painted
};
