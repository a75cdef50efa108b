#include "http.hpp"
#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

namespace gilsim::server {

namespace {

constexpr std::size_t kMaxChunkLine   = 1024; ///< a chunk-size line with its extensions
constexpr std::size_t kMaxLengthDigits = 18;  ///< a Content-Length of more digits cannot be held here

Parsed bad() { return {400, "Bad Request", {}}; }

std::string upper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string strip(const std::string& s)
{
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// RFC 9110 §5.6.2 tchar (message.py's TOKEN_RE).
bool is_tchar(unsigned char c) { return std::isalnum(c) || (c && std::strchr("!#$%&'*+-.^_`|~", c)); }
bool is_token(const std::string& s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar); }

/// A control byte other than HTAB (message.py's RFC9110_5_5_INVALID_AND_DANGEROUS).
bool has_ctl(const std::string& s)
{
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; });
}

bool all_of_set(const std::string& s, const char* set)
{
  return !s.empty() && s.find_first_not_of(set) == std::string::npos;
}

/// The request line, as message.py's parse_request_line reads it.
int parse_request_line(const std::string& line, HttpRequest& r)
{
  if (line.size() > kMaxRequestLine)
    return 400; // LimitRequestLine is a 400 in Gunicorn
  auto s1 = line.find(' '), s2 = s1 == std::string::npos ? s1 : line.find(' ', s1 + 1);
  if (s2 == std::string::npos)
    return 400;
  r.method  = line.substr(0, s1);
  r.target  = line.substr(s1 + 1, s2 - s1 - 1);
  r.version = line.substr(s2 + 1);
  if (r.method.size() < 3 || r.method.size() > 20 || !is_token(r.method) ||
      r.method.find_first_of("abcdefghijklmnopqrstuvwxyz#") != std::string::npos)
    return 400;
  // RFC 9112 §3.2: no control byte (NUL included) in a target; space already split it
  bool ctl = std::any_of(r.target.begin(), r.target.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
  if (r.target.empty() || ctl || (r.target == "*" && r.method != "OPTIONS") ||
      (r.method != "CONNECT" && r.target != "*" && r.target[0] != '/' && r.target.find("://") == std::string::npos))
    return 400;
  if (r.version != "HTTP/1.1" && r.version != "HTTP/1.0")
    return 400; // InvalidHTTPVersion, HTTP/2.0 and HTTP/0.9 included
  return 0;
}

/// What the fields said, before the framing is decided.
struct Fields {
  std::size_t count = 0;
  bool host = false, content_type = false, connection = false, chunked = false, force_close = false;
  bool has_length = false;
  std::string length;
};

/// Transfer-Encoding, as message.py's set_body_reader reads it (a list; chunked once and last).
Parsed transfer_encoding(const std::string& value, Fields& f)
{
  std::stringstream list(value);
  std::string item;
  while (std::getline(list, item, ',')) {
    std::string coding = strip(item);
    std::transform(coding.begin(), coding.end(), coding.begin(), [](unsigned char c) { return std::tolower(c); });
    if (f.chunked)
      return bad(); // chunked must be the last coding, and only once
    if (coding == "chunked")
      f.chunked = true;
    else if (coding == "compress" || coding == "deflate" || coding == "gzip")
      f.force_close = true;
    else if (coding != "identity")
      return {501, "Not Implemented", {}}; // UnsupportedTransferCoding
  }
  return {};
}

/// One header field: refused as message.py's parse_headers and _apply_header_policy refuse it.
Parsed apply_field(const std::string& line, Fields& f, HttpRequest& r)
{
  if (++f.count > kMaxFields)
    return {431, "Request Header Fields Too Large", {}};
  auto colon = line.find(':');
  if (colon == std::string::npos || colon == 0)
    return bad(); // obsolete folding (a leading space) fails the name's token check too
  std::string name = upper(line.substr(0, colon)), value = strip(line.substr(colon + 1));
  if (!is_token(name) || name.find('_') != std::string::npos || has_ctl(value))
    return bad(); // header_map "refuse": an underscore could pass for a dash
  bool& seen = name == "HOST" ? f.host : f.content_type;
  if (name == "HOST" || name == "CONTENT-TYPE") {
    if (seen)
      return bad(); // a singleton field, repeated
    seen = true;
  } else if (name == "EXPECT") {
    if (upper(value) != "100-CONTINUE")
      return {417, "Expectation Failed", {}};
    r.expect_continue = r.version == "HTTP/1.1"; // RFC 9110 §10.1.1: ignored in HTTP/1.0
  } else if (name == "CONNECTION" && !f.connection) {
    f.connection = true; // Gunicorn's should_close reads the first one only
    std::string v = upper(value);
    r.keep_alive  = v == "CLOSE" ? false : v == "KEEP-ALIVE" ? true : r.keep_alive;
  } else if (name == "CONTENT-LENGTH") {
    if (f.has_length)
      return bad(); // duplicated, even with the same value
    f.has_length = true;
    f.length     = value;
  } else if (name == "TRANSFER-ENCODING") {
    return transfer_encoding(value, f);
  }
  return {};
}

/// The body's framing (set_body_reader), then the scenario app's own refusal of other methods.
Parsed framing(const Fields& f, Parsed p)
{
  HttpRequest& r = p.request;
  if (f.chunked) {
    if (r.version == "HTTP/1.0" || f.has_length)
      return bad(); // RFC 9112 §6.1: chunked in HTTP/1.0, or with a Content-Length, is a smuggling risk
    r.framing = Framing::chunked;
  } else if (f.force_close) {
    return bad(); // RFC 9112 §6.3: a coding but not chunked last: the length cannot be known
  } else if (f.has_length) {
    std::string digits = f.length;
    if (!all_of_set(digits, "0123456789"))
      return bad(); // negative, "-0", "5, 5", "1e3", empty
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    if (digits.size() > kMaxLengthDigits)
      return bad(); // beyond what can be counted
    r.content_length = std::stoull(digits);
    r.framing        = r.content_length ? Framing::length : Framing::none;
    if (r.content_length > kMaxBody)
      return {413, "Content Too Large", {}};
  }
  r.keep_alive = r.keep_alive && !f.force_close;
  if (r.method != "GET" && r.method != "HEAD")
    return {405, "Method Not Allowed", {}};
  return p;
}

} // namespace

Parsed parse_head(const std::string& head)
{
  if (head.size() > kMaxHead)
    return {431, "Request Header Fields Too Large", {}};
  auto eol = head.find("\r\n");
  if (eol == std::string::npos)
    return bad();
  Parsed p;
  HttpRequest& r = p.request;
  if (parse_request_line(head.substr(0, eol), r))
    return bad();
  r.keep_alive = r.version == "HTTP/1.1";
  Fields f;
  for (std::size_t pos = eol + 2; pos < head.size();) {
    auto end = head.find("\r\n", pos);
    if (end == std::string::npos)
      return bad();
    if (end == pos)
      break; // the blank line
    Parsed field = apply_field(head.substr(pos, end - pos), f, r);
    if (field.status)
      return field;
    pos = end + 2;
  }
  return framing(f, std::move(p));
}

ChunkedBody::Progress ChunkedBody::size_line(std::string& in)
{
  auto eol = in.find("\r\n");
  if (eol == std::string::npos)
    return in.size() > kMaxChunkLine ? Progress::bad : Progress::more;
  std::string size = in.substr(0, std::min(eol, in.find(';'))); // extensions are ignored, as Gunicorn does
  if (size.size() < eol)
    size = size.substr(0, size.find_last_not_of(" \t") + 1);
  if (eol > kMaxChunkLine || !all_of_set(size, "0123456789abcdefABCDEF"))
    return Progress::bad; // body.py's InvalidChunkSize: no sign, no underscore, no space
  size.erase(0, std::min(size.find_first_not_of('0'), size.size() - 1));
  if (size.size() > 8 || total_ + std::stoull(size, nullptr, 16) > kMaxBody)
    return Progress::too_large;
  left_ = std::stoull(size, nullptr, 16);
  total_ += left_;
  stage_ = left_ ? Stage::data : Stage::trailer;
  in.erase(0, eol + 2);
  return Progress::more;
}

ChunkedBody::Progress ChunkedBody::trailer_line(std::string& in)
{
  auto eol = in.find("\r\n");
  std::size_t line = eol == std::string::npos ? in.size() : eol;
  if (trailer_bytes_ + line > kMaxHead)
    return Progress::bad;
  if (eol == std::string::npos)
    return Progress::more;
  if (eol == 0) {
    in.erase(0, 2);
    return Progress::done;
  }
  auto colon = in.find(':');
  if (colon == 0 || colon > eol || has_ctl(in.substr(0, eol)))
    return Progress::bad;
  trailer_bytes_ += eol + 2;
  in.erase(0, eol + 2);
  return Progress::more;
}

ChunkedBody::Progress ChunkedBody::feed(std::string& in)
{
  for (;;) {
    std::size_t before = in.size();
    Stage stage        = stage_;
    Progress p         = Progress::more;
    if (stage_ == Stage::size) {
      p = size_line(in);
    } else if (stage_ == Stage::data) {
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, in.size()));
      in.erase(0, take);
      left_ -= take;
      if (left_ == 0)
        stage_ = Stage::data_end;
    } else if (stage_ == Stage::data_end) {
      if (in.size() >= 2 && in.compare(0, 2, "\r\n") != 0)
        return Progress::bad; // ChunkMissingTerminator
      if (in.size() >= 2) {
        in.erase(0, 2);
        stage_ = Stage::size;
      }
    } else {
      p = trailer_line(in);
    }
    if (p != Progress::more || (in.size() == before && stage_ == stage))
      return p; // finished, refused, or waiting for more bytes
  }
}

std::string response(int status, const std::string& reason, const std::string& body, bool keep_alive,
                     const std::string& extra_headers)
{
  std::ostringstream o;
  o << "HTTP/1.1 " << status << " " << reason << "\r\n"
    << "Server: gilsim-server\r\n"
    << "Content-Type: text/plain\r\n"
    << "Content-Length: " << body.size() << "\r\n"
    << "Connection: " << (keep_alive ? "keep-alive" : "close") << "\r\n"
    << extra_headers << "\r\n"
    << body;
  return o.str();
}

} // namespace gilsim::server
