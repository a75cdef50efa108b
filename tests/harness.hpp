// Test helpers. SimGrid runs one simulation per OS process, so each test
// simulation runs in a forked child that sends its figures back.
#pragma once
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace gilsim::test {

/// Runs `body` in a child process; returns the numbers it returned.
inline std::vector<double> in_child(const std::function<std::vector<double>()>& body)
{
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::vector<double> out = body();
    std::size_t n           = out.size();
    if (write(fds[1], &n, sizeof n) < 0 || write(fds[1], out.data(), n * sizeof(double)) < 0)
      _exit(4);
    _exit(0);
  }
  close(fds[1]);
  std::size_t n = 0;
  std::vector<double> out;
  if (read(fds[0], &n, sizeof n) == static_cast<ssize_t>(sizeof n)) {
    out.resize(n);
    std::size_t got = 0;
    while (got < n * sizeof(double)) {
      ssize_t k = read(fds[0], reinterpret_cast<char*>(out.data()) + got, n * sizeof(double) - got);
      if (k <= 0)
        break;
      got += static_cast<std::size_t>(k);
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("the simulation child failed");
  return out;
}

} // namespace gilsim::test
