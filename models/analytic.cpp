#include "analytic.hpp"
#include <algorithm>
#include <vector>

namespace gilsim::analytic {

MMc erlang_c(double rate, double service_s, int c)
{
  double a = rate * service_s; // offered load in servers
  double rho = a / c;
  // sum_{k<c} a^k/k! and a^c/c!, computed iteratively
  double term = 1, sum = 1;
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  double last = term * a / c;
  double pc   = last / (1 - rho);
  double C    = pc / (sum + pc);
  double mu   = 1 / service_s;
  return {C, C / (c * mu - rate) + service_s};
}

ClosedLoop mva(int N, double Z, double S, int c)
{
  // p[j] = P(j customers at the station) with n customers in the network
  std::vector<double> p(N + 1, 0.0);
  p[0] = 1;
  double X = 0, R = 0;
  for (int n = 1; n <= N; ++n) {
    R = 0;
    for (int j = 1; j <= n; ++j)
      R += j * S / std::min(j, c) * p[j - 1];
    X = n / (Z + R);
    std::vector<double> q(N + 1, 0.0);
    double rest = 0;
    for (int j = 1; j <= n; ++j) {
      q[j] = X * S / std::min(j, c) * p[j - 1];
      rest += q[j];
    }
    q[0] = 1 - rest;
    p    = q;
  }
  return {X, R};
}

} // namespace gilsim::analytic
