#include "result_files.hpp"
#include "report.hpp"
#include "../../models/run_data.hpp"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace gilsim {

using json = nlohmann::json;

std::string result_path(const std::string& dir, const std::string& hash) { return dir + "/" + hash + ".json"; }

namespace {
/// Writes all of `text` to `fd` and flushes it to the disk; false on any error.
bool write_all(int fd, const std::string& text)
{
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return fsync(fd) == 0;
}
} // namespace

void write_result(const std::string& dir, const std::string& hash, const Results& r)
{
  std::filesystem::create_directories(dir);
  std::string text = json{{"gilsim", kGilsimVersion}, {"hash", hash}, {"results", results_to_json(r)}}.dump() + "\n";
  std::string tmp  = dir + "/." + hash + ".json.tmp-" + std::to_string(getpid());
  int fd           = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error(tmp + ": cannot write (" + std::strerror(errno) + ")");
  bool ok = write_all(fd, text);
  ok      = close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), result_path(dir, hash).c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw std::runtime_error(result_path(dir, hash) + ": cannot write (" + why + ")");
  }
}

std::optional<StoredResult> read_result(const std::string& dir, const std::string& hash)
{
  std::ifstream f(result_path(dir, hash));
  if (!f)
    return std::nullopt;
  std::stringstream text;
  text << f.rdbuf();
  try {
    json j = json::parse(text.str());
    if (j.at("hash") != hash)
      return std::nullopt;
    return StoredResult{j.at("gilsim").get<std::string>(), results_from_json(j.at("results"))};
  } catch (const json::exception&) {
    return std::nullopt; // damaged: simulated again
  }
}

} // namespace gilsim
