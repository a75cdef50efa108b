// Load generators: a closed loop of `connections` clients (like wrk: each sends,
// waits for the response, optionally thinks, sends again on the same kept-alive
// connection), or open Poisson arrivals at `rate` (each on a new connection).
// With a reverse proxy in front, a response later than its read timeout counts
// as a timeout error, as the client sees it.
#pragma once
#include "server.hpp"

namespace gilsim {

/// An endpoint drawn by weight.
std::size_t pick_endpoint(const AppConfig& app, Rng& rng);
/// Creates a request for endpoint drawn by weight, with every step's duration drawn now.
RequestPtr make_request(Server& srv, Rng& rng);

void start_load(Server& srv);

} // namespace gilsim
