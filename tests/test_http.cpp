// gilsim-server's request parser refuses what Gunicorn refuses, with
// Gunicorn's status (gunicorn/http/message.py, body.py, workers/base.py's
// handle_error), and frames a body so that the next request starts after it.
#include "app/server/http.hpp"
#include <catch2/catch.hpp>
#include <string>

using namespace gilsim::server;

namespace {
int status_of(const std::string& head) { return parse_head(head).status; }
std::string get_with(const std::string& fields) { return "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n"; }
} // namespace

TEST_CASE("a Content-Length that is negative, not a number, a list, unrepresentable or repeated gets 400")
{
  for (const char* value : {"-1", "-0", "abc", "1e3", "0x10", "+5", "5, 5", "", "3 3", "99999999999999999999999"}) {
    INFO("Content-Length: " << value);
    CHECK(status_of(get_with(std::string("Content-Length: ") + value + "\r\n")) == 400);
  }
  CHECK(status_of(get_with("Content-Length: 3\r\nContent-Length: 3\r\n")) == 400); // message.py: even when equal
}

TEST_CASE("a Content-Length within the limit frames a body, one past it gets 413")
{
  Parsed p = parse_head(get_with("Content-Length: 0005\r\n"));
  CHECK(p.status == 0);
  CHECK(p.request.framing == Framing::length);
  CHECK(p.request.content_length == 5);
  CHECK(parse_head(get_with("Content-Length: 0\r\n")).request.framing == Framing::none);
  CHECK(status_of(get_with("Content-Length: " + std::to_string(kMaxBody) + "\r\n")) == 0);
  CHECK(status_of(get_with("Content-Length: " + std::to_string(kMaxBody + 1) + "\r\n")) == 413);
  CHECK(status_of(get_with("Content-Length: 999999999999999999\r\n")) == 413);
}

TEST_CASE("Transfer-Encoding: chunked is read, other codings get 501, ambiguous framings 400")
{
  CHECK(parse_head(get_with("Transfer-Encoding: chunked\r\n")).request.framing == Framing::chunked);
  CHECK(parse_head(get_with("Transfer-Encoding: gzip, chunked\r\n")).request.keep_alive == false); // force_close
  CHECK(status_of(get_with("Transfer-Encoding: br\r\n")) == 501);                     // UnsupportedTransferCoding
  CHECK(status_of(get_with("Transfer-Encoding: chunked, chunked\r\n")) == 400);       // stacked
  CHECK(status_of(get_with("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")) == 400);
  CHECK(status_of(get_with("Transfer-Encoding: chunked, gzip\r\n")) == 400);          // chunked not last
  CHECK(status_of(get_with("Transfer-Encoding: gzip\r\n")) == 400);                   // RFC 9112 §6.3: no length
  CHECK(status_of(get_with("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n")) == 400); // smuggling
  CHECK(status_of("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
}

TEST_CASE("a control byte or NUL in the request target, a bad method or version gets 400")
{
  for (std::string target : {std::string("/a\0b", 4), std::string("/a\x01"), std::string("/\x7f"), std::string("/a\tb")}) {
    INFO("target " << target.size() << " bytes");
    CHECK(status_of("GET " + target + " HTTP/1.1\r\n\r\n") == 400);
  }
  CHECK(status_of("GET  / HTTP/1.1\r\n\r\n") == 400);         // an empty target
  CHECK(status_of("GET relative HTTP/1.1\r\n\r\n") == 400);   // not origin-form
  CHECK(status_of("GET * HTTP/1.1\r\n\r\n") == 400);          // asterisk-form is for OPTIONS
  CHECK(status_of("get / HTTP/1.1\r\n\r\n") == 400);          // METHOD_BADCHAR_RE
  CHECK(status_of("GE / HTTP/1.1\r\n\r\n") == 400);           // 3 to 20 characters
  CHECK(status_of("GET / HTTP/2.0\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1 x\r\n\r\n") == 400);
  CHECK(status_of("GET /" + std::string(kMaxRequestLine, 'a') + " HTTP/1.1\r\n\r\n") == 400); // LimitRequestLine
  CHECK(status_of("GET http://x/ HTTP/1.1\r\n\r\n") == 0);    // absolute-form
  CHECK(status_of("GET /?q=a%00 HTTP/1.1\r\n\r\n") == 0);     // an escaped NUL is the app's business
}

TEST_CASE("header fields are refused as Gunicorn refuses them")
{
  CHECK(status_of(get_with("X-A: a\x01z\r\n")) == 400);              // control byte in a value
  CHECK(status_of(get_with("X-A: a\r\n folded\r\n")) == 400);        // obsolete line folding
  CHECK(status_of(get_with("X A: a\r\n")) == 400);                   // not a token
  CHECK(status_of(get_with("X_A: a\r\n")) == 400);                   // header_map "refuse"
  CHECK(status_of(get_with("Host: y\r\n")) == 400);                  // a second Host
  CHECK(status_of(get_with("Expect: fancy\r\n")) == 417);
  CHECK(parse_head(get_with("Expect: 100-Continue\r\n")).request.expect_continue);
  std::string many;
  for (std::size_t i = 0; i <= kMaxFields; ++i)
    many += "X-" + std::to_string(i) + ": v\r\n";
  CHECK(status_of(get_with(many)) == 431); // limit_request_fields
}

TEST_CASE("Connection: the first field decides, HTTP/1.0 closes unless it asks for keep-alive")
{
  CHECK(parse_head(get_with("")).request.keep_alive);
  CHECK_FALSE(parse_head(get_with("Connection: close\r\n")).request.keep_alive);
  CHECK_FALSE(parse_head("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  CHECK(parse_head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
  CHECK(status_of("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n") == 405); // the scenario's app serves GET and HEAD
}

namespace {
/// Feeds `body` to a ChunkedBody in pieces of `step` bytes until it is done; returns the outcome and what is left unread.
ChunkedBody::Progress feed_in_pieces(const std::string& body, std::size_t step, std::string& left)
{
  ChunkedBody chunked;
  left.clear();
  auto p = ChunkedBody::Progress::more;
  std::size_t i = 0;
  for (; i < body.size() && p == ChunkedBody::Progress::more; i += step) {
    left += body.substr(i, step);
    p = chunked.feed(left);
  }
  left += body.substr(std::min(i, body.size())); // what came after, unread
  return p;
}
} // namespace

TEST_CASE("a chunked body is read to its end in any split, leaving the next request unread")
{
  const std::string body = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nGET /next";
  for (std::size_t step : {1, 2, 7, 1000}) {
    INFO("pieces of " << step);
    std::string left;
    auto p = feed_in_pieces(body, step, left);
    CHECK(p == ChunkedBody::Progress::done);
    CHECK(body.substr(body.size() - left.size()) == left);
    CHECK(left.rfind("GET", 0) == 0);
  }
}

TEST_CASE("a malformed chunked body is refused, one past the limit is too large")
{
  std::string left;
  for (const char* bad : {"6_0\r\nhello world\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n", "+5\r\nhello\r\n0\r\n\r\n",
                          "5\r\nhelloXX0\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n", "\r\n\r\n"}) {
    INFO(bad);
    CHECK(feed_in_pieces(bad, 1000, left) == ChunkedBody::Progress::bad);
  }
  CHECK(feed_in_pieces(std::string(2000, 'a'), 1000, left) == ChunkedBody::Progress::bad); // no end to the size line
  CHECK(feed_in_pieces("100001\r\n", 1000, left) == ChunkedBody::Progress::too_large);
  CHECK(feed_in_pieces("ffffffffffffffffffff\r\n", 1000, left) == ChunkedBody::Progress::too_large);
}
