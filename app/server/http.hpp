// The mini-server's HTTP/1.1 request reading: just enough of the protocol to
// serve a scenario's requests, and to refuse bad ones the way Gunicorn does.
#pragma once
#include <string>

namespace gilsim::server {

struct HttpRequest {
  std::string method, target, version;
  bool keep_alive = false;
};

/// The outcome of parsing a request head (everything up to the blank line).
struct Parsed {
  int status = 0;        ///< 0: fine; else the error status to answer (400, 405, 431)
  std::string reason;
  HttpRequest request;
};

constexpr std::size_t kMaxHead = 8190; ///< Gunicorn's limit_request_field_size

/// Parses a complete head (ending in CRLF CRLF).
Parsed parse_head(const std::string& head);
/// A complete response with a small body.
std::string response(int status, const std::string& reason, const std::string& body, bool keep_alive,
                     const std::string& extra_headers = "");

} // namespace gilsim::server
