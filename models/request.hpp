// A request and the TCP connection it travels on, and the recorder that turns
// their fates into Results. Connections are modelled, not just requests:
// keep-alive connections stay with the worker that accepted them.
#pragma once
#include "results.hpp"
#include "../engine/observer.hpp"
#include "../engine/simulation.hpp"
#include <memory>
#include <vector>

namespace gilsim {

class WorkerProcess;

enum class Outcome { pending, ok, timeout, killed, refused, db, pool_timeout };
const char* to_string(Outcome o);

struct Request;

/// Who waits for a request's outcome (a closed-loop client).
class Client {
public:
  /// Called last when the outcome is known, in the context of whoever settled it.
  virtual void settled(Request& r) = 0;

protected:
  ~Client() = default;
};

struct Request {
  long id = 0;
  int endpoint = 0;
  std::vector<double> step_s;   ///< sampled when sent: every server configuration sees the same request
  double sent_s = 0;
  Outcome outcome = Outcome::pending;
  Client* client = nullptr;     ///< told the outcome when it is known (closed loop)
  int process_lane = -1;        ///< the worker process serving it (its lane), once one took it
  Breakdown time;
};
using RequestPtr = std::shared_ptr<Request>;

struct Connection {
  long id = 0;
  RequestPtr request;           ///< the outstanding request (HTTP/1.1, no pipelining)
  WorkerProcess* worker = nullptr;
  bool closed = false;          ///< by either side
  bool keepalive = true;        ///< the client means to reuse it
  double idle_since = 0;
  Unit* handler = nullptr;      ///< green unit serving this connection, if parked on it
};
using ConnectionPtr = std::shared_ptr<Connection>;

/// Sends requests and settles their outcomes, telling the observers (the
/// statistics, the trace) and the request's client.
class Recorder {
public:
  void sent(Request& r, long connection);
  /// Settles a request's outcome once; later calls for the same request are ignored.
  /// Returns false if it was already settled.
  bool settle(Request& r, Outcome o, double at_s);
  Observer* obs = nullptr;

private:
  long in_system_ = 0;
};

} // namespace gilsim
