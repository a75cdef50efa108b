// A throwaway PostgreSQL cluster, and PgBouncer in front of it when a
// configuration shares one pool, on loopback, for scenarios with `db` steps.
// Both run as Debian's `postgres` user (they refuse root) from a temporary
// folder, and are stopped and removed afterwards.
#pragma once
#include <string>
#include <vector>

namespace gilsim::validate {

class RealDatabase {
public:
  /// initdb + start: `max_connections` (no slots reserved for superusers: the
  /// app connects as the ordinary role `gilsim`, so the scenario's limit is the limit).
  RealDatabase(const std::string& dir, int port, int max_connections, std::vector<int> cores);
  ~RealDatabase();
  RealDatabase(const RealDatabase&) = delete;
  RealDatabase& operator=(const RealDatabase&) = delete;

  /// SQLAlchemy URL of PostgreSQL itself.
  std::string url() const;
  /// Starts PgBouncer (transaction pooling, `pool_size` server connections,
  /// clients wait at most `wait_timeout_s` for one); returns its URL.
  std::string start_bouncer(int port, int pool_size, double wait_timeout_s);
  void stop_bouncer();

  /// The tools it needs that this machine lacks (empty: all there).
  static std::vector<std::string> missing_tools();

private:
  std::string dir_;
  int port_;
  std::vector<int> cores_;
  int bouncer_pid_  = -1;
  int bouncer_port_ = 0;
};

} // namespace gilsim::validate
