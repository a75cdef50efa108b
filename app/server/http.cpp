#include "http.hpp"
#include <algorithm>
#include <cctype>
#include <sstream>

namespace gilsim::server {

namespace {
std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
bool is_token(const std::string& s)
{
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isupper(c) || c == '-'; });
}
} // namespace

Parsed parse_head(const std::string& head)
{
  Parsed p;
  if (head.size() > kMaxHead)
    return {431, "Request Header Fields Too Large", {}};
  auto eol = head.find("\r\n");
  if (eol == std::string::npos)
    return {400, "Bad Request", {}};
  std::istringstream line(head.substr(0, eol));
  HttpRequest& r = p.request;
  std::string extra;
  if (!(line >> r.method >> r.target >> r.version) || (line >> extra) || !is_token(r.method) || r.target.empty() ||
      (r.target[0] != '/' && r.target != "*") || (r.version != "HTTP/1.1" && r.version != "HTTP/1.0"))
    return {400, "Bad Request", {}};
  r.keep_alive = r.version == "HTTP/1.1";
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string::npos)
      return {400, "Bad Request", {}};
    if (end == pos)
      break; // the blank line
    std::string field = head.substr(pos, end - pos);
    auto colon        = field.find(':');
    if (colon == std::string::npos || colon == 0 || std::isspace(static_cast<unsigned char>(field[0])))
      return {400, "Bad Request", {}};
    std::string name = lower(field.substr(0, colon)), value = lower(field.substr(colon + 1));
    value.erase(0, value.find_first_not_of(" \t"));
    if (name == "connection")
      r.keep_alive = value.find("close") == std::string::npos && (r.version == "HTTP/1.1" || value.find("keep-alive") != std::string::npos);
    if (name == "content-length" && value != "0")
      return {405, "Method Not Allowed", {}}; // the scenario's endpoints take no body
    pos = end + 2;
  }
  if (r.method != "GET" && r.method != "HEAD")
    return {405, "Method Not Allowed", {}};
  return p;
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
