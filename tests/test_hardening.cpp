// No input crashes or hangs gilsim: every class of malformed, extreme or
// special input ends with exit code 2 and a message naming the file (or --set),
// the JSON path and what was expected, before anything runs.
#include "app/common/runner.hpp"
#include "app/common/scenario.hpp"
#include "cli_helpers.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <sys/stat.h>

using json = nlohmann::json;

namespace {

const char* kSmall = R"({
  "name": "small",
  "app": { "endpoints": [ { "name": "p", "steps": [ { "cpu_ms": 2 }, { "io_ms": 5 } ] } ] },
  "load": { "type": "closed", "connections": 8 },
  "duration_s": 2, "warmup_s": 1,
  "servers": [ { "worker_class": "sync", "workers": 2 } ]
})";

/// kSmall with `from` replaced by `to` (the first occurrence).
std::string with(const std::string& from, const std::string& to)
{
  std::string t = kSmall;
  t.replace(t.find(from), from.size(), to);
  return t;
}

/// Runs `gilsim run` on `text` (plus `args`) and checks exit 2 and each of `parts` in the message.
void refused(const std::string& name, const std::string& text, const std::string& args, const std::vector<std::string>& parts)
{
  std::string f = write_tmp(name, text);
  auto o        = cli("run " + f + " " + args);
  INFO(name << ": " << o.err.substr(0, 600));
  CHECK(o.code == 2);
  CHECK(o.out.empty()); // refused before the first run
  CHECK(o.err.size() < 1000);
  for (std::string p : parts) {
    for (auto at = p.find("FILE"); at != std::string::npos; at = p.find("FILE", at + f.size()))
      p.replace(at, 4, f);
    CHECK(o.err.find(p) != std::string::npos);
  }
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

/// The message the loader gives for `text` after `sets`, "" if it loads.
std::string load_message(const std::string& text, const std::vector<std::string>& sets = {})
{
  try {
    json doc = gilsim::parse_json(text, "t.json");
    for (const auto& s : sets)
      gilsim::apply_set(doc, s, "t.json");
    gilsim::load_scenario(doc, "t.json");
    return "";
  } catch (const gilsim::InputError& e) {
    return e.what();
  }
}

} // namespace

TEST_CASE("nesting deeper than 64 levels is refused with its line, column and path, in a file, a field or a --set value")
{
  refused("deep-top.json", nested(100000), "", {"FILE:1:65: ", "expected JSON nested at most 64 levels deep"});
  refused("deep-field.json", with("\"name\": \"small\"", "\"name\": " + nested(100000)), "",
          {"FILE:2:74: name", "nested at most 64"});
  refused("deep-array.json", with("\"io_ms\": 5", "\"io_ms\": {\"dist\": \"empirical\", \"values\": " + nested(5000) + "}"), "",
          {"app.endpoints[0].steps[1].io_ms.values", "nested at most 64"});
  refused("deep-set.json", kSmall, "--set 'description=" + nested(60000) + "'", {"--set description=[[[", "nested at most 64"});
  // in-process, deeper than a command line can carry
  CHECK(load_message(kSmall, {"description=" + nested(100000)}).find("nested at most 64") != std::string::npos);
  CHECK(load_message(kSmall, {"description=" + std::string(100000, '{')}).find("nested at most 64") != std::string::npos);
  CHECK(load_message(with("\"name\": \"small\"", "\"name\": " + nested(60))).find("name: expected a string") != std::string::npos);
}

TEST_CASE("numbers beyond a double's range are refused with their path, in a file and in --set")
{
  refused("big-duration.json", with("\"duration_s\": 2", "\"duration_s\": 1e400"), "",
          {"FILE:5:17: duration_s: expected a number a double can hold", "got 1e400"});
  refused("big-negative.json", with("\"workers\": 2", "\"workers\": -1e999"), "", {"servers[0].workers: expected a number a double can hold"});
  refused("big-in-array.json", with("\"io_ms\": 5", "\"io_ms\": {\"dist\": \"empirical\", \"values\": [1, 2e308]}"), "",
          {"app.endpoints[0].steps[1].io_ms.values[1]: expected a number a double can hold"});
  refused("big-set.json", kSmall, "--set duration_s=1e400", {"--set duration_s=1e400", "expected a number a double can hold"});
  refused("big-set-object.json", kSmall, "--set 'servers[0]={\"workers\": 1e999}'", {"workers: expected a number a double can hold"});
  refused("big-integer.json", with("\"workers\": 2", "\"workers\": 100000000000000000000"), "", {"servers[0].workers: expected"});
}

TEST_CASE("a --set path or value that cannot be applied is refused: long indexes, bytes that are not UTF-8, keys the format lacks")
{
  refused("set-index.json", kSmall, "--set 'servers[99999999999999999999999].workers=1'",
          {"servers has no element [99999999999999999999999] (it has 1)"});
  refused("set-index64.json", kSmall, "--set 'servers[18446744073709551616].workers=1'", {"has no element"});
  refused("set-index-array.json", kSmall, "--set 'name[0]=1'", {"name has no element [0] (it is not an array)"});
  refused("set-utf8.json", kSmall, "--set \"$(printf 'name=\\377')\"", {"--set name=", "expected UTF-8 text, got invalid UTF-8 byte"});
  refused("set-utf8-key.json", kSmall, "--set \"$(printf 'na\\303me=x')\"", {"expected UTF-8 text"});
  refused("set-utf8-json.json", kSmall, "--set \"$(printf 'name=\"\\355\\240\\200\"')\"", {"expected UTF-8 text"});
  refused("set-typo.json", kSmall, "--set servers[0].wrokers=3",
          {"--set servers[0].wrokers=3: FILE: servers[0].wrokers: unknown key, did you mean \"workers\"?"});
  refused("set-typo-object.json", kSmall, "--set databse.cores=3", {"databse: unknown key, did you mean \"database\"?"});
  refused("set-typo-dist.json", with("\"io_ms\": 5", "\"io_ms\": {\"dist\": \"exponential\", \"mean\": 5}"),
          "--set app.endpoints[0].steps[1].io_ms.maen=3", {"io_ms.maen: unknown key, did you mean \"mean\"?"});
  refused("set-not-object.json", kSmall, "--set duration_s.x=3", {"duration_s: expected an object to hold \"x\", got 2"});
  refused("set-no-eq.json", kSmall, "--set workers", {"--set workers: expected PATH=VALUE"});
}

TEST_CASE("a --set creates an object the scenario does not have yet")
{
  json doc = gilsim::parse_json(kSmall, "t.json");
  gilsim::apply_set(doc, "database.cores=32", "t.json");
  gilsim::apply_set(doc, "machine.cores=4", "t.json");
  gilsim::apply_set(doc, "servers[0].pool.pool_size=3", "t.json");
  gilsim::apply_set(doc, "servers[0].interpreter.switch_interval_ms=1", "t.json");
  gilsim::Scenario sc = gilsim::load_scenario(doc, "t.json");
  CHECK(sc.base.database.cores == 32);
  CHECK(sc.base.machine.cores == 4);
  CHECK(sc.servers[0].pool.size == 3);
  CHECK(sc.servers[0].interpreter.switch_interval_s == Approx(0.001));
}

TEST_CASE("runs whose clock cannot advance are refused before running")
{
  std::string zero_steps = with("[ { \"cpu_ms\": 2 }, { \"io_ms\": 5 } ]", "[]");
  std::string zero       = "app.endpoints: expected a request to take some time when load.think_ms is 0";
  refused("zero-steps.json", zero_steps, "--set servers[0].overhead_ms=0", {"FILE: " + zero, "servers[0].overhead_ms"});
  refused("zero-durations.json", with("{ \"cpu_ms\": 2 }, { \"io_ms\": 5 }", "{ \"cpu_ms\": 0 }, { \"io_ms\": {\"dist\": \"empirical\", \"values\": [0, 0]} }"),
          "--set servers[0].overhead_ms=0", {zero});
  refused("zero-uniform.json", with("{ \"cpu_ms\": 2 }, { \"io_ms\": 5 }", "{ \"blocking_io_ms\": {\"dist\": \"uniform\", \"min\": 0, \"max\": 0} }"),
          "--set servers[0].overhead_ms=0 --set 'servers[1]={\"label\": \"b\"}'", {zero, "servers[0].overhead_ms"});
  refused("zero-db.json", with("{ \"cpu_ms\": 2 }, { \"io_ms\": 5 }", "{ \"db_ms\": 0 }"),
          "--set servers[0].overhead_ms=0 --set database.rtt_ms=0", {zero});
  CHECK(load_message(zero_steps, {"servers[0].overhead_ms=0", "load.think_ms=1"}) == "");        // think time moves the clock
  CHECK(load_message(zero_steps, {"servers[0].overhead_ms=0", "load={\"type\": \"open\"}"}) == ""); // arrivals do
  refused("tiny-switch.json", kSmall, "--set interpreter.switch_interval_ms=1e-9",
          {"interpreter.switch_interval_ms: expected a number >= 0.001"});
  refused("tiny-monitor.json", kSmall, "--set servers[0].max_blocking_time_ms=1e-300",
          {"servers[0].max_blocking_time_ms: expected a number >= 0.001"});
  refused("huge-rate.json", kSmall, "--set 'load={\"type\": \"open\", \"rate_rps\": 1e12}'",
          {"load.rate_rps: expected a number > 0 and <= 1e+06"});
  refused("tiny-retry.json", kSmall, "--set load.retry_s=1e-12", {"load.retry_s: expected a number >= 1e-06"});
}

TEST_CASE("runs estimated to take longer than --max-time are refused with the estimate, long ones announced")
{
  refused("long-run.json", with("\"duration_s\": 2", "\"duration_s\": 1e7"), "",
          {"FILE: servers[0]: about ", "requests per simulated second for duration_s 10000000", "expected at most --max-time 3600 s"});
  refused("switches.json", kSmall, "--set interpreter.switch_interval_ms=0.001 --set servers[0].threads=4 --set duration_s=5000",
          {"lock drop requests (switch_interval_ms)", "--max-time"});
  refused("short-limit.json", kSmall, "--max-time 0.0001", {"the runs would take about", "--max-time 0 s"});
  auto o = cli("run " + write_tmp("noted.json", kSmall) + " --set interpreter.switch_interval_ms=0.001 --set servers[0].threads=4 "
               "--set duration_s=100 --max-time 0.0001 --max-memory 100");
  CHECK(o.code == 2);
}

TEST_CASE("runs estimated to need more memory than --max-memory are refused with the estimate and the limit")
{
  refused("threads.json", kSmall, "--set servers[0].workers=4096 --set servers[0].threads=100000",
          {"FILE: servers[0]: the simulation needs about", "workers 4096 x threads 100000", "expected at most --max-memory"});
  refused("clients.json", kSmall, "--set load.connections=1000000 --max-memory 8000",
          {"load.connections: 1000000 clients", "--max-memory 8000 MB"});
  refused("arrivals.json", kSmall, "--set 'load={\"type\": \"open\", \"rate_rps\": 1e6}' --set duration_s=60",
          {"load.rate_rps 1000000: up to", "requests in flight"});
  refused("jobs.json", kSmall, "--set load.connections=10000 --replications 4 --jobs 4 --max-memory 1000", {"in each of 4 --jobs"});
  gilsim::RunConfig small = gilsim::load_scenario(gilsim::parse_json(kSmall, "t"), "t").run(0, 0);
  gilsim::Cost c          = gilsim::estimate_cost(small);
  CHECK(c.memory_mb < 100);
  CHECK(c.cpu_s < 1);
}

TEST_CASE("input once accepted silently is refused: duplicate keys and labels, unknown metrics, non-finite options, an empty name")
{
  refused("dup-top.json", with("\"duration_s\": 2", "\"duration_s\": 2, \"duration_s\": 3"), "",
          {"FILE:5:20: duration_s: expected each key once, got \"duration_s\" a second time"});
  refused("dup-nested.json", with("\"workers\": 2", "\"workers\": 2, \"workers\": 3"), "", {"servers[0].workers: expected each key once"});
  refused("dup-array.json", with("{ \"cpu_ms\": 2 }", "{ \"cpu_ms\": 2, \"cpu_ms\": 2 }"), "", {"app.endpoints[0].steps[0].cpu_ms: expected each key once"});
  refused("dup-label.json", kSmall, "--set 'servers[1]={\"label\": \"sync 2w\"}'",
          {"servers[1].label: expected a label no other server has, got \"sync 2w\" (servers[0]'s)"});
  refused("dup-default-label.json", kSmall, "--set 'servers[1]={\"workers\": 2, \"timeout_s\": 5}'",
          {"servers[1].label: expected a label no other server has", "give each server a \"label\""});
  refused("metric.json", kSmall, "--set 'expect=[{\"metric\": \"thruput_rps\", \"of\": \"sync 2w\"}]'",
          {"FILE: expect[0].metric: expected a figure of a result", "got \"thruput_rps\"; did you mean \"throughput_rps\"?"});
  refused("metric-deep.json", kSmall, "--set 'expect=[{\"metric\": \"latency_ms.p42\", \"of\": \"sync 2w\"}]'", {"expect[0].metric"});
  for (const char* option : {"--duration nan", "--duration inf", "--duration -1", "--duration 1e400", "--trace-seconds nan",
                             "--trace-from nan", "--trace-until inf", "--max-memory nan", "--max-time -3"}) {
    auto o = cli(std::string("run ") + write_tmp("nan.json", kSmall) + " " + option);
    INFO(option << ": " << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find("expected a number") != std::string::npos);
    CHECK(o.err.size() < 200); // no 309-digit bound
  }
  for (const char* seed : {"18446744073709551616", "99999999999999999999999", "-3", "1.5", "x"}) {
    auto o = cli(std::string("run ") + write_tmp("seed.json", kSmall) + " --seed " + seed);
    INFO(seed << ": " << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find("--seed: expected an integer from 0 to 18446744073709551615") != std::string::npos);
  }
  auto empty = cli("run ''");
  CHECK(empty.code == 2);
  CHECK(empty.err.find("\"\": expected a scenario file or the name of a built-in scenario") != std::string::npos);
}

TEST_CASE("seeds up to 2^64 - 1 are taken, in the file and on the command line")
{
  std::string f = write_tmp("seed-max.json", with("\"duration_s\": 2", "\"duration_s\": 2, \"seed\": 18446744073709551615"));
  auto file     = cli("run " + f + " --json");
  REQUIRE(file.code == 0);
  CHECK(json::parse(file.out)["seed"].get<uint64_t>() == 18446744073709551615ull);
  auto flag = cli("run " + write_tmp("seed-flag.json", kSmall) + " --json --seed 9223372036854775808");
  REQUIRE(flag.code == 0);
  CHECK(json::parse(flag.out)["seed"].get<uint64_t>() == 9223372036854775808ull);
  CHECK(load_message(with("\"duration_s\": 2", "\"duration_s\": 2, \"seed\": 18446744073709551616")).find(
            "seed: expected an integer from 0 to 18446744073709551615") != std::string::npos);
}

TEST_CASE("only regular files of at most 16 MB are read: directories, FIFOs and devices are refused at once")
{
  std::string fifo = "/tmp/gilsim-test-fifo-" + std::to_string(getpid());
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string big = write_tmp("big.json", std::string(17 << 20, ' '));
  struct Case {
    std::string path, message;
  };
  for (const Case& c : std::vector<Case>{{"/tmp", "/tmp: is a directory, expected a scenario file"},
                                         {fifo, ": is not a regular file (a FIFO, a socket or a device)"},
                                         {"/dev/zero", "/dev/zero: is not a regular file"},
                                         {"/dev/null", "/dev/null: is not a regular file"},
                                         {big, ": is 17 MB, expected a scenario file (JSON, at most 16 MB)"}}) {
    auto o = cli("run " + c.path);
    INFO(c.path << ": " << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find(c.message) != std::string::npos);
  }
  auto trace = cli("trace " + fifo);
  CHECK(trace.code == 2);
  CHECK(trace.err.find("expected a trace file (a regular file)") != std::string::npos);
  std::remove(fifo.c_str());
}

TEST_CASE("a bound no field declares is stated when it is the one broken")
{
  refused("huge-boot.json", kSmall, "--set servers[0].boot_s=1e301", {"servers[0].boot_s: expected a number <= 1e+300, got 1e+301"});
  refused("huge-count.json", kSmall, "--set servers[0].backlog=1e20", {"servers[0].backlog: expected a positive integer, got 1e+20"});
  refused("huge-count-int.json", kSmall, "--set servers[0].backlog=18446744073709551615",
          {"servers[0].backlog: expected an integer <= 1073741824"});
}

TEST_CASE("misspelt names get a suggestion: keys, choices, built-in scenarios")
{
  refused("typo-key.json", with("\"workers\"", "\"wrokers\""), "", {"servers[0].wrokers: unknown key, did you mean \"workers\"?"});
  refused("typo-choice.json", with("\"sync\"", "\"gthrad\""), "",
          {"servers[0].worker_class: expected one of", "got \"gthrad\"; did you mean \"gthread\"?"});
  auto o = cli("run defualt-mixed");
  CHECK(o.code == 2);
  CHECK(o.err.find("defualt-mixed: cannot open file (No such file or directory); did you mean the built-in scenario "
                   "\"default-mixed\"?") != std::string::npos);
  auto prefix = cli("run claim-01");
  CHECK(prefix.err.find("did you mean the built-in scenario \"claim-01-gil-processes-vs-threads\"?") != std::string::npos);
  auto far = cli("run /nonexistent/x.json");
  CHECK(far.err.find("did you mean") == std::string::npos);
}

TEST_CASE("a --duration shorter than the file's warmup_s shrinks it and says so, one shorter than --set warmup_s is refused")
{
  std::string f = write_tmp("warm.json", kSmall);
  auto noted    = cli("run " + f + " --duration 0.5 --json");
  REQUIRE(noted.code == 0);
  CHECK(noted.err.find("note: --duration 0.5: " + f + ": warmup_s is 1, not shorter than the run: warm-up set to 0.05 s") !=
        std::string::npos);
  CHECK(json::parse(noted.out)["warmup_s"].get<double>() == Approx(0.05));
  refused("warm-set.json", kSmall, "--duration 0.5 --set warmup_s=1",
          {"--duration 0.5: FILE: warmup_s is 1 (--set warmup_s=1), expected a warm-up shorter than the run"});
}

TEST_CASE("a sweep checks every point before it runs the first")
{
  std::string f = write_tmp("sweep.json", kSmall);
  auto o        = cli("sweep " + f + " --vary servers[0].workers=1,2,-2 --csv");
  CHECK(o.code == 2);
  CHECK(o.out.empty());
  CHECK(o.err.find(f + ": servers[0].workers: expected a positive integer, got -2") != std::string::npos);
  auto typo = cli("sweep " + f + " --vary servers[0].wrokers=1,2");
  CHECK(typo.code == 2);
  CHECK(typo.err.find("did you mean \"workers\"?") != std::string::npos);
}

TEST_CASE("a run stopped by SIGTERM or SIGINT kills its simulations and leaves no temporary file")
{
  auto temporaries = [] {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator("/tmp"))
      if (e.path().filename().string().rfind("gilsim-run-", 0) == 0 || e.path().filename().string().rfind("gilsim-trace-", 0) == 0)
        names.insert(e.path().string());
    return names;
  };
  std::string f   = write_tmp("long.json", with("\"duration_s\": 2", "\"duration_s\": 3000"));
  std::string out = write_tmp("long-trace.json", "");
  for (int sig : {SIGTERM, SIGINT}) {
    auto before = temporaries();
    pid_t pid   = fork();
    if (pid == 0) {
      setpgid(0, 0);
      execl(GILSIM_BIN, GILSIM_BIN, "run", f.c_str(), "--jobs", "2", "--trace-out", out.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    kill(pid, sig);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(kill(-pid, 0) != 0); // nothing left of its process group: the simulations are gone
    for (const auto& name : temporaries())
      CHECK(before.count(name) == 1);
  }
}

TEST_CASE("random damage to a scenario and to --set gives InputError or a scenario, nothing else")
{
  std::mt19937 rng(12345);
  const std::string base = kSmall;
  const std::string alphabet = "{}[]\":,0123456789.eE-+ \\tnulltruefalse\xff\xc3";
  const std::vector<std::string> paths = {"servers[0].workers", "load", "app.endpoints[0].steps[0]", "duration_s", "expect",
                                          "servers[3]", "database.pool", "name", "servers[0].interpreter.gil", "seed"};
  const std::vector<std::string> values = {"1e400", "-1", "[]", "{}", "null", "\"x\"", "18446744073709551616", "[[[[", "1.5",
                                           "{\"dist\":\"uniform\",\"min\":5,\"max\":1}", "0"};
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    for (int k = rng() % 4; k >= 0; --k) {
      std::size_t at = rng() % text.size();
      if (rng() % 2)
        text.erase(at, 1 + rng() % 3);
      else
        text.insert(at, 1, alphabet[rng() % alphabet.size()]);
    }
    std::vector<std::string> sets;
    if (i % 3 == 0)
      sets.push_back(paths[rng() % paths.size()] + "=" + values[rng() % values.size()]);
    INFO(text << " / " << (sets.empty() ? "" : sets[0]));
    try {
      load_message(text, sets);
    } catch (const std::exception& e) {
      FAIL(std::string("not an InputError: ") + e.what());
    }
  }
}
