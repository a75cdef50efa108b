#include "real_postgres.hpp"
#include "real_gunicorn.hpp"
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gilsim::validate {

namespace fs = std::filesystem;

namespace {

const char* kRunuser   = "/usr/sbin/runuser";
const char* kPgBouncer = "/usr/sbin/pgbouncer";
const char* kPython    = "/usr/bin/python3";

/// Debian's PostgreSQL server programs (/usr/lib/postgresql/<version>/bin), or "".
std::string pg_bin()
{
  std::error_code ec;
  std::string best;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(e.path() / "bin" / "initdb"))
      best = std::max(best, (e.path() / "bin").string());
  return best;
}

/// As the `postgres` user when running as root (PostgreSQL and PgBouncer refuse root).
std::vector<std::string> as_postgres(std::vector<std::string> argv)
{
  if (geteuid() != 0)
    return argv;
  argv.insert(argv.begin(), {kRunuser, "-u", "postgres", "--"});
  return argv;
}

/// Running as root, `path` is handed to the `postgres` user (PostgreSQL and
/// PgBouncer, running as that user, must read or write it).
void give_to_postgres(const std::string& path)
{
  if (geteuid() != 0)
    return;
  const passwd* pg = getpwnam("postgres");
  if (!pg)
    throw std::runtime_error("no postgres user: install the postgresql package");
  if (chown(path.c_str(), pg->pw_uid, pg->pw_gid) != 0)
    throw std::runtime_error("cannot give " + path + " to the postgres user");
}

} // namespace

std::vector<std::string> RealDatabase::missing_tools()
{
  std::vector<std::string> missing;
  if (pg_bin().empty())
    missing.push_back("postgresql");
  if (access(kPgBouncer, X_OK) != 0)
    missing.push_back("pgbouncer");
  if (geteuid() == 0 && !getpwnam("postgres"))
    missing.push_back("the postgres user (package postgresql)");
  try {
    capture({kPython, "-c", "import psycopg2, psycogreen, sqlalchemy, asyncpg"}, {0});
  } catch (const std::exception&) {
    missing.push_back("python3-psycopg2 python3-psycogreen python3-sqlalchemy python3-asyncpg");
  }
  return missing;
}

RealDatabase::RealDatabase(const std::string& dir, int port, int max_connections, std::vector<int> cores)
    : dir_(dir), port_(port), cores_(std::move(cores))
{
  fs::create_directories(dir_);
  give_to_postgres(dir_);
  const std::string bin = pg_bin();
  capture(as_postgres({bin + "/initdb", "-D", dir_ + "/data", "--auth=trust", "-U", "postgres", "--no-sync"}), cores_);
  std::ostringstream opts;
  opts << "-p " << port_ << " -k " << dir_ << " -c listen_addresses=127.0.0.1 -c max_connections=" << max_connections
       << " -c superuser_reserved_connections=0 -c fsync=off -c synchronous_commit=off";
  capture(as_postgres({bin + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/postgres.log", "-w", "-o", opts.str(), "start"}),
          cores_);
  capture({"/usr/bin/psql", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", "-q", "-c",
           "CREATE ROLE gilsim LOGIN"},
          cores_);
}

RealDatabase::~RealDatabase()
{
  stop_bouncer();
  try {
    capture(as_postgres({pg_bin() + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}), cores_);
  } catch (const std::exception&) {
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string RealDatabase::url() const
{
  return "postgresql+psycopg2://gilsim@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

std::string RealDatabase::start_bouncer(int port, int pool_size, double wait_timeout_s)
{
  stop_bouncer();
  const std::string ini = dir_ + "/pgbouncer.ini", users = dir_ + "/users.txt";
  std::ofstream(users) << "\"gilsim\" \"\"\n";
  std::ofstream(ini) << "[databases]\npostgres = host=127.0.0.1 port=" << port_ << " dbname=postgres\n"
                     << "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port << "\nunix_socket_dir =\n"
                     << "auth_type = trust\nauth_file = " << users << "\npool_mode = transaction\n"
                     << "default_pool_size = " << pool_size << "\nmax_client_conn = 10000\n"
                     << "query_wait_timeout = " << std::max(1, static_cast<int>(wait_timeout_s)) << "\n"
                     << "logfile = " << dir_ << "/pgbouncer.log\nlog_connections = 0\nlog_disconnections = 0\n";
  give_to_postgres(ini);
  give_to_postgres(users);
  // its output (and runuser's) goes to a file beside its log, not to the terminal
  int out = open((dir_ + "/pgbouncer.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bouncer_pid_ = spawn(as_postgres({kPgBouncer, "-q", ini}), cores_, {}, out, out);
  close(out);
  bouncer_port_ = port;
  auto up_by    = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!listening(port)) {
    if (std::chrono::steady_clock::now() > up_by || waitpid(bouncer_pid_, nullptr, WNOHANG) == bouncer_pid_) {
      stop_bouncer();
      std::ifstream in(dir_ + "/pgbouncer.log");
      throw std::runtime_error("PgBouncer did not start:\n" +
                               std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "postgresql+psycopg2://gilsim@127.0.0.1:" + std::to_string(port) + "/postgres";
}

void RealDatabase::stop_bouncer()
{
  if (bouncer_pid_ <= 0)
    return;
  kill(-bouncer_pid_, SIGTERM);
  for (int i = 0; i < 50 && waitpid(bouncer_pid_, nullptr, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(-bouncer_pid_, SIGKILL);
  waitpid(bouncer_pid_, nullptr, 0);
  bouncer_pid_ = -1;
}

} // namespace gilsim::validate
