// Closed-form queueing results the simulator is checked against.
//  - M/M/c (Erlang C): sync workers (c <= cores) on exponential CPU work with
//    Poisson arrivals.
//  - Exact mean value analysis of a closed network: N clients thinking for Z,
//    then queueing at a station with c servers (load-dependent MVA).
#pragma once

namespace gilsim::analytic {

struct MMc {
  double wait_probability;   ///< Erlang C: P(an arrival waits)
  double mean_response_s;    ///< W = C / (c mu - lambda) + 1 / mu
};
/// `rate` arrivals per second, `service_s` mean service time, `servers` servers.
MMc erlang_c(double rate, double service_s, int servers);

struct ClosedLoop {
  double throughput;         ///< X(N)
  double mean_response_s;    ///< R(N)
};
/// N clients, mean think time Z, exponential service of mean S at a station of c servers.
ClosedLoop mva(int clients, double think_s, double service_s, int servers);

} // namespace gilsim::analytic
