#include "progress_bar.hpp"
#include <cmath>
#include <string>
#include <unistd.h>

namespace gilsim {

namespace {
constexpr int kBarWidth = 24;

std::string clock_text(double s)
{
  long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

/// 1234567 -> "1.23 M"
std::string rate_text(double x)
{
  char buf[32];
  if (x >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M", x / 1e6);
  else if (x >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1f k", x / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f ", x);
  return buf;
}
} // namespace

ProgressBar::ProgressBar(std::vector<double> cost_s, std::FILE* out)
    : cost_s_(std::move(cost_s)), start_(std::chrono::steady_clock::now()), out_(out)
{
  for (double c : cost_s_)
    total_cost_s_ += c;
  draw();
}

ProgressBar::~ProgressBar()
{
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

void ProgressBar::done(std::size_t run, uint64_t requests)
{
  ++done_;
  requests_ += requests;
  done_cost_s_ += run < cost_s_.size() ? cost_s_[run] : 0;
  draw();
}

std::string ProgressBar::line() const
{
  double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::size_t all  = cost_s_.size();
  double share     = total_cost_s_ > 0 ? done_cost_s_ / total_cost_s_ : (all ? double(done_) / double(all) : 1);
  int filled       = static_cast<int>(std::floor(share * kBarWidth));
  std::string bar  = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(kBarWidth - filled), ' ') + "]";
  std::string text = bar + " " + std::to_string(done_) + "/" + std::to_string(all) + " runs";
  if (elapsed_s > 0 && done_ > 0)
    text += ", " + rate_text(static_cast<double>(requests_) / elapsed_s) + "simulated req/s";
  if (share > 0 && done_ < all)
    text += ", ETA " + clock_text(elapsed_s * (1 - share) / share);
  return text;
}

void ProgressBar::draw() const
{
  std::fputs(("\r\033[K" + line()).c_str(), out_);
  std::fflush(out_);
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

} // namespace gilsim
