#include "config.hpp"

namespace gilsim {

const char* to_string(WorkerClass c)
{
  switch (c) {
    case WorkerClass::sync: return "sync";
    case WorkerClass::gthread: return "gthread";
    case WorkerClass::gevent: return "gevent";
    case WorkerClass::eventlet: return "eventlet";
    case WorkerClass::tornado: return "tornado";
    case WorkerClass::uvicorn: return "uvicorn";
  }
  return "?";
}

double default_overhead_s(WorkerClass c)
{
  switch (c) {
    case WorkerClass::sync: return 0.00025;
    case WorkerClass::gthread: return 0.00035;
    case WorkerClass::gevent: return 0.0003;
    case WorkerClass::eventlet: return 0.00035;
    case WorkerClass::tornado: return 0.0003;
    case WorkerClass::uvicorn: return 0.00015;
  }
  return 0.0003;
}

double default_keepalive_s(WorkerClass c)
{
  switch (c) {
    case WorkerClass::sync: return 0;
    case WorkerClass::uvicorn: return 5;
    default: return 2;
  }
}

} // namespace gilsim
