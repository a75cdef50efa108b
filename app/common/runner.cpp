#include "runner.hpp"
#include "report.hpp"
#include "../../models/simulate.hpp"
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace gilsim {

namespace {
struct Child {
  std::size_t index;
  std::string file;
  pid_t pid;
};

/// The child's progress reports, on stderr.
std::function<void(double)> reporter(const std::string& tag, double duration_s)
{
  if (tag.empty())
    return {};
  return [tag, duration_s](double sim_s) { std::fprintf(stderr, "progress %s %.3f %.3f\n", tag.c_str(), sim_s, duration_s); };
}

Child launch(const RunConfig& cfg, std::size_t index, const std::string& tag)
{
  char path[] = "/tmp/gilsim-run-XXXXXX";
  int fd      = mkstemp(path);
  if (fd < 0)
    throw std::runtime_error("cannot create a temporary file in /tmp");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int code = 0;
    try {
      std::string out = results_to_json(simulate(cfg, reporter(tag, cfg.duration_s))).dump();
      std::size_t done = 0;
      while (done < out.size()) {
        ssize_t n = write(fd, out.data() + done, out.size() - done);
        if (n <= 0)
          break;
        done += static_cast<std::size_t>(n);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gilsim: simulation of %s failed: %s\n", cfg.server.label.c_str(), e.what());
      code = 3;
    }
    close(fd);
    _exit(code);
  }
  close(fd);
  return {index, path, pid};
}
} // namespace

std::vector<Results> run_all(const std::vector<RunConfig>& runs, int jobs, const ProgressTag& progress)
{
  std::vector<Results> out(runs.size());
  std::map<pid_t, Child> active;
  std::size_t next = 0;
  std::string failure;
  auto reap = [&] {
    int status = 0;
    pid_t pid  = wait(&status);
    auto it    = active.find(pid);
    if (it == active.end())
      return;
    Child c = it->second;
    active.erase(it);
    std::ifstream in(c.file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::remove(c.file.c_str());
    const std::string& label = runs[c.index].server.label;
    if (WIFSIGNALED(status))
      failure = "the simulation of \"" + label + "\" crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
    else if (WEXITSTATUS(status) != 0 || ss.str().empty())
      failure = "the simulation of \"" + label + "\" failed (exit " + std::to_string(WEXITSTATUS(status)) + ")";
    else
      out[c.index] = results_from_json(nlohmann::json::parse(ss.str()));
  };
  while (next < runs.size() || !active.empty()) {
    while (next < runs.size() && static_cast<int>(active.size()) < std::max(1, jobs) && failure.empty()) {
      Child c = launch(runs[next], next, progress ? progress(next) : std::string());
      active.emplace(c.pid, c);
      ++next;
    }
    if (!active.empty())
      reap();
    if (!failure.empty() && active.empty())
      throw std::runtime_error(failure);
  }
  return out;
}

} // namespace gilsim
