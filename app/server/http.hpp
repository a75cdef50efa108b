// The mini-server's HTTP/1.1 request reading: just enough of the protocol to
// serve a scenario's requests, and to refuse bad ones the way Gunicorn does
// (gunicorn/http/message.py, body.py; the statuses of workers/base.py's
// handle_error). docs/server.md lists each rule and its source.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace gilsim::server {

/// How the request's body is delimited (RFC 9112 §6).
enum class Framing { none, length, chunked };

struct HttpRequest {
  std::string method, target, version;
  bool keep_alive      = false;
  bool expect_continue = false; ///< "Expect: 100-continue": answer 100 before reading the body
  Framing framing      = Framing::none;
  std::uint64_t content_length = 0;
};

/// The outcome of parsing a request head (everything up to the blank line).
struct Parsed {
  int status = 0;        ///< 0: fine; else the error status to answer (400, 405, 413, 417, 431, 501)
  std::string reason;
  HttpRequest request;
};

constexpr std::size_t kMaxHead        = 8190;    ///< Gunicorn's limit_request_field_size, for the whole head
constexpr std::size_t kMaxRequestLine = 4094;    ///< Gunicorn's limit_request_line
constexpr std::size_t kMaxFields      = 100;     ///< Gunicorn's limit_request_fields
constexpr std::uint64_t kMaxBody      = 1 << 20; ///< a body beyond this gets 413 (Gunicorn has no limit)

/// Parses a complete head (ending in CRLF CRLF).
Parsed parse_head(const std::string& head);

/// A chunked body read as it arrives (gunicorn/http/body.py's ChunkedReader):
/// consumes what it can from the front of `in`, discarding the data.
class ChunkedBody {
public:
  enum class Progress { more, done, bad, too_large };
  Progress feed(std::string& in);

private:
  enum class Stage { size, data, data_end, trailer };
  Progress size_line(std::string& in);
  Progress trailer_line(std::string& in);
  Stage stage_ = Stage::size;
  std::uint64_t left_ = 0;  ///< bytes of the current chunk not yet seen
  std::uint64_t total_ = 0; ///< decoded bytes so far
  std::size_t trailer_bytes_ = 0;
};

/// A complete response with a small body.
std::string response(int status, const std::string& reason, const std::string& body, bool keep_alive,
                     const std::string& extra_headers = "");

} // namespace gilsim::server
