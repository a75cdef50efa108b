// Running the gilsim binary from a test: its exit code, stdout and stderr;
// scratch files in /tmp removed when the tests end.
#pragma once
#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Output {
  int code;
  std::string out, err;
};

Output cli(const std::string& args)
{
  std::string err_file = "/tmp/gilsim-test-err-" + std::to_string(getpid());
  std::string cmd      = std::string(GILSIM_BIN) + " " + args + " 2>" + err_file;
  Output o{};
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    o.out.append(buf.data(), n);
  int status = pclose(p);
  o.code     = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  o.err.assign(std::istreambuf_iterator<char>(e), {});
  std::remove(err_file.c_str());
  return o;
}

/// A file in /tmp holding `text`, removed when the tests end.
std::string write_tmp(const std::string& name, const std::string& text)
{
  static struct Files {
    std::vector<std::string> paths;
    ~Files()
    {
      for (const auto& p : paths)
        std::remove(p.c_str());
    }
  } files;
  std::string path = "/tmp/gilsim-test-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << text;
  files.paths.push_back(path);
  return path;
}

} // namespace
