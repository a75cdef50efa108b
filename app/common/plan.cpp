#include "plan.hpp"
#include "progress_bar.hpp"
#include "result_files.hpp"
#include "../../models/run_data.hpp"
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

namespace gilsim {

using json   = nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// `s` quoted for a POSIX shell.
std::string shell_quoted(const std::string& s)
{
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void write_file(const std::string& path, const std::string& text)
{
  std::ofstream f(path, std::ios::binary);
  if (!(f << text) || !f.flush())
    throw InputError(path + ": cannot write the file");
}

std::string chunk_path(const std::string& dir, std::size_t k) { return dir + "/chunks/" + std::to_string(k) + ".txt"; }
std::string run_path(const std::string& dir, const std::string& hash) { return dir + "/runs/" + hash + ".json"; }

/// A Slurm --time: ten times the longest chunk's estimate (estimates are good within a few), at least 10 minutes.
std::string slurm_time(double longest_chunk_s)
{
  long minutes = std::max(10L, static_cast<long>(std::ceil(longest_chunk_s * 10 / 60)));
  return std::to_string(minutes / 60) + ":" + (minutes % 60 < 10 ? "0" : "") + std::to_string(minutes % 60) + ":00";
}

std::string slurm_script(const std::string& dir, const PlanOptions& o, std::size_t chunks, std::size_t runs, double longest_s)
{
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# gilsim plan: " << runs << " runs in " << chunks << " chunks. Submit with: sbatch " << dir << "/slurm.sh\n"
    << "# then merge the results: gilsim collect " << dir << "\n"
    << "#SBATCH --job-name=gilsim\n"
    << "#SBATCH --array=0-" << chunks - 1 << "\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --time=" << slurm_time(longest_s) << "\n"
    << "#SBATCH --output=" << dir << "/logs/chunk-%a.out\n"
    << "set -euo pipefail\n"
    << "exec " << shell_quoted(o.gilsim) << " chunk " << shell_quoted(dir) << " \"$SLURM_ARRAY_TASK_ID\"\n";
  return s.str();
}

std::string run_file_text(const Batch& b, std::size_t i)
{
  return json{{"gilsim", kGilsimVersion}, {"hash", b.hashes()[i]}, {"run", run_json(b.runs()[i])}}.dump() + "\n";
}

/// The chunks' runs, written one hash a line; returns the longest chunk's estimated seconds.
double write_chunks(const std::string& dir, const Batch& b, const std::vector<std::vector<std::size_t>>& chunks,
                    const std::vector<double>& cost_s)
{
  double longest_s = 0;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    std::string text;
    double s = 0;
    for (std::size_t i : chunks[k]) {
      text += b.hashes()[i] + "\n";
      s += cost_s[i];
    }
    write_file(chunk_path(dir, k), text);
    longest_s = std::max(longest_s, s);
  }
  return longest_s;
}

/// The hashes chunk `k` of the plan in DIR holds.
std::vector<std::string> chunk_hashes(const std::string& dir, std::size_t k)
{
  std::ifstream f(chunk_path(dir, k));
  if (!f)
    throw InputError(chunk_path(dir, k) + ": no such chunk in this plan");
  std::vector<std::string> out;
  for (std::string line; std::getline(f, line);)
    if (!line.empty())
      out.push_back(line);
  return out;
}

/// The run DIR/runs/<hash>.json holds, checked against its name.
RunConfig read_run(const std::string& dir, const std::string& hash)
{
  std::string path = run_path(dir, hash);
  RunConfig c;
  try {
    c = run_from_json(parse_json(read_text_file(path), path).at("run"));
  } catch (const json::exception& e) {
    throw InputError(path + ": expected a run written by gilsim sweep --plan (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw InputError(path + ": " + e.what());
  }
  if (run_hash(c) != hash)
    throw InputError(path + ": its configuration's hash is " + run_hash(c) + ", not its name: the file was changed");
  return c;
}

} // namespace

std::vector<std::vector<std::size_t>> chunk_runs(const std::vector<double>& cost_s, const PlanOptions& o)
{
  double total = std::accumulate(cost_s.begin(), cost_s.end(), 0.0);
  std::size_t n = static_cast<std::size_t>(std::ceil(total / std::max(o.chunk_s, 1e-9)));
  n             = std::min({std::max(n, o.min_chunks), cost_s.size(), kMaxChunks});
  n             = std::max<std::size_t>(n, 1);
  std::vector<std::size_t> order(cost_s.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost_s[a] > cost_s[b]; });
  std::vector<std::vector<std::size_t>> chunks(n);
  std::vector<double> load(n, 0);
  for (std::size_t i : order) {
    std::size_t k = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    chunks[k].push_back(i);
    load[k] += cost_s[i];
  }
  return chunks;
}

std::size_t write_plan(const std::string& dir_given, const Batch& b, const json& inputs, const PlanOptions& o)
{
  std::string dir = fs::absolute(dir_given).lexically_normal().string();
  if (fs::exists(dir + "/plan.json"))
    throw InputError(dir_given + ": holds a plan already (plan.json); remove it or choose another folder");
  for (const char* sub : {"runs", "chunks", "results", "logs"})
    fs::create_directories(dir + "/" + sub);
  std::vector<double> cost_s;
  for (std::size_t i = 0; i < b.runs().size(); ++i) {
    write_file(run_path(dir, b.hashes()[i]), run_file_text(b, i));
    cost_s.push_back(estimate_cost(b.runs()[i]).cpu_s);
  }
  auto chunks      = chunk_runs(cost_s, o);
  double longest_s = write_chunks(dir, b, chunks, cost_s);
  std::string commands;
  for (std::size_t k = 0; k < chunks.size(); ++k)
    commands += shell_quoted(o.gilsim) + " chunk " + shell_quoted(dir) + " " + std::to_string(k) + "\n";
  write_file(dir + "/commands", commands);
  write_file(dir + "/slurm.sh", slurm_script(dir, o, chunks.size(), b.runs().size(), longest_s));
  fs::permissions(dir + "/slurm.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
  json plan = {{"gilsim", kGilsimVersion}, {"runs", b.runs().size()}, {"chunks", chunks.size()}, {"inputs", inputs}};
  write_file(dir + "/plan.json", plan.dump(2) + "\n"); // last: a plan.json means a whole plan
  return chunks.size();
}

json read_plan(const std::string& dir)
{
  std::string path = dir + "/plan.json";
  if (!fs::exists(path))
    throw InputError(dir + ": expected a folder written by gilsim sweep --plan (no plan.json)");
  json plan = parse_json(read_text_file(path), path);
  std::string version = plan.value("gilsim", "?");
  if (version != kGilsimVersion)
    throw InputError(path + ": written by gilsim " + version + ", expected gilsim " + kGilsimVersion +
                     " (this one): a run's results depend on the version; plan again");
  if (!plan.contains("inputs") || !plan.contains("chunks"))
    throw InputError(path + ": expected \"inputs\" and \"chunks\"");
  return plan;
}

Executed run_chunk(const std::string& dir, std::size_t k, int jobs)
{
  json plan = read_plan(dir);
  if (k >= plan["chunks"].get<std::size_t>())
    throw InputError(dir + ": chunk " + std::to_string(k) + ": the plan has chunks 0 to " +
                     std::to_string(plan["chunks"].get<std::size_t>() - 1));
  Batch b;
  for (const std::string& hash : chunk_hashes(dir, k))
    b.add_run(read_run(dir, hash));
  return execute(b, {jobs, dir + "/results", {}, stderr_is_terminal()});
}

namespace {

/// How many results files of each gilsim version DIR/results holds.
std::map<std::string, std::size_t> result_versions(const std::string& results)
{
  std::map<std::string, std::size_t> versions;
  if (!fs::is_directory(results))
    return versions;
  for (const auto& e : fs::directory_iterator(results)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || e.path().extension() != ".json")
      continue;
    std::string hash = e.path().stem().string();
    if (auto r = read_result(results, hash))
      ++versions[r->version];
  }
  return versions;
}

void refuse_mixed_versions(const std::string& results)
{
  auto versions = result_versions(results);
  if (versions.empty() || (versions.size() == 1 && versions.begin()->first == kGilsimVersion))
    return;
  std::string list;
  for (const auto& [v, n] : versions)
    list += (list.empty() ? "" : ", ") + std::to_string(n) + " of gilsim " + v;
  throw InputError(results + ": expected the results of gilsim " + kGilsimVersion + " only, got " + list +
                   ": run the plan with one gilsim version");
}

/// Which chunk holds each hash.
std::map<std::string, std::size_t> chunk_of(const std::string& dir, std::size_t chunks)
{
  std::map<std::string, std::size_t> of;
  for (std::size_t k = 0; k < chunks; ++k)
    for (const auto& h : chunk_hashes(dir, k))
      of[h] = k;
  return of;
}

/// The message for the runs `missing` of `b`: how many, which chunks, the first few.
std::string missing_message(const std::string& dir, const Batch& b, const std::vector<std::size_t>& missing)
{
  json plan = read_plan(dir);
  auto of   = chunk_of(dir, plan["chunks"].get<std::size_t>());
  std::map<std::size_t, std::size_t> per_chunk;
  for (std::size_t i : missing)
    ++per_chunk[of.count(b.hashes()[i]) ? of[b.hashes()[i]] : kMaxChunks];
  std::ostringstream m;
  m << dir << "/results: " << missing.size() << " of " << b.runs().size() << " runs have no results yet; chunks";
  for (const auto& [k, n] : per_chunk)
    m << " " << (k == kMaxChunks ? std::string("(none)") : std::to_string(k)) << " (" << n << (n == 1 ? " run)" : " runs)");
  for (std::size_t j = 0; j < missing.size() && j < 10; ++j) {
    const RunConfig& c = b.runs()[missing[j]];
    m << "\n  " << b.hashes()[missing[j]] << ": \"" << c.server.label << "\", seed " << c.seed;
  }
  if (missing.size() > 10)
    m << "\n  and " << missing.size() - 10 << " more";
  m << "\nrun them (done runs are skipped): parallel < " << dir << "/commands, or gilsim chunk " << dir << " K";
  return m.str();
}

} // namespace

std::vector<Results> collect_results(const std::string& dir, const Batch& b)
{
  std::string results = dir + "/results";
  refuse_mixed_versions(results);
  std::vector<Results> out(b.runs().size());
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < b.runs().size(); ++i) {
    auto r = read_result(results, b.hashes()[i]);
    if (r)
      out[i] = r->results;
    else
      missing.push_back(i);
  }
  if (!missing.empty())
    throw InputError(missing_message(dir, b, missing));
  return out;
}

} // namespace gilsim
