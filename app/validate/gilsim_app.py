"""The application of a gilsim scenario, for real: served by Gunicorn (WSGI,
``gilsim_app:app``) or by uvicorn's worker (ASGI, ``gilsim_app:asgi_app``).

``gilsim validate`` writes the scenario's endpoints to the JSON file named by
GILSIM_ENDPOINTS and the calibrated speed of ``spin`` to GILSIM_LOOPS_PER_MS.
Each request picks an endpoint by weight and performs its steps:

  cpu_ms          a pure-Python loop (holds the GIL), calibrated in ms
  io_ms           time.sleep (gevent and eventlet patch it) / asyncio.sleep
  blocking_io_ms  a C-level usleep through ctypes: releases the GIL, but no
                  event loop can switch away from it
  db_ms           ``SELECT pg_sleep(s)`` on the PostgreSQL named by GILSIM_DB_DSN
                  through psycopg2 (made cooperative by psycogreen under gevent
                  and eventlet), with the scenario's pool (GILSIM_DB_POOL):
                  ``per_process`` SQLAlchemy's QueuePool (GILSIM_POOL_SIZE,
                  GILSIM_MAX_OVERFLOW, GILSIM_POOL_TIMEOUT), ``shared`` a new
                  connection per query to PgBouncer, ``none`` a new connection
                  per query to PostgreSQL. A failed query answers 500.
                  Under uvicorn (ASGI) the driver is asyncpg, with its own
                  pool (at most pool_size + max_overflow connections).
"""
import asyncio
import ctypes
import json
import math
import os
import random
import sys
import time

_libc = ctypes.CDLL("libc.so.6")
_endpoints = None
_weights = None
_loops_per_ms = 1.0
_rng = random.Random()
# The machine's speed as the app meets it: loops of ``spin`` and the thread
# CPU time they took, written to GILSIM_SPEED_DIR/<pid> about once a second.
_spun_loops = 0
_spun_cpu_s = 0.0
_last_report = 0.0


def spin(loops):
    x = 0
    for i in range(loops):
        x += i
    return x


def calibrate(seconds=0.5):
    """Loops of ``spin`` per millisecond on this interpreter and core."""
    loops = 10000
    while True:
        t0 = time.perf_counter()
        spin(loops)
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return loops / (dt * 1000)
        loops *= 2


def _load():
    global _endpoints, _weights, _loops_per_ms
    if _endpoints is None:
        with open(os.environ["GILSIM_ENDPOINTS"]) as f:
            _endpoints = json.load(f)
        _weights = [e["weight"] for e in _endpoints]
        _loops_per_ms = float(os.environ["GILSIM_LOOPS_PER_MS"])
        _rng.seed(os.getpid())
        if "GILSIM_SWITCH_INTERVAL" in os.environ:
            sys.setswitchinterval(float(os.environ["GILSIM_SWITCH_INTERVAL"]))


def _sample_ms(d):
    kind = d["dist"]
    if kind == "constant":
        return d["value"]
    if kind == "exponential":
        return _rng.expovariate(1.0 / d["mean"])
    if kind == "uniform":
        return _rng.uniform(d["min"], d["max"])
    if kind == "lognormal":
        sigma = d["sigma"]
        return _rng.lognormvariate(math.log(d["mean"]) - sigma * sigma / 2, sigma)
    return _rng.choice(d["values"])


def _spin_measured(ms):
    global _spun_loops, _spun_cpu_s, _last_report
    loops = int(ms * _loops_per_ms)
    t0 = time.thread_time()
    spin(loops)
    _spun_cpu_s += time.thread_time() - t0
    _spun_loops += loops
    now = time.monotonic()
    if now - _last_report > 1.0 and "GILSIM_SPEED_DIR" in os.environ:
        _last_report = now
        with open(os.path.join(os.environ["GILSIM_SPEED_DIR"], str(os.getpid())), "w") as f:
            f.write("%d %.6f\n" % (_spun_loops, _spun_cpu_s))


_engine = None


def _db_engine():
    """SQLAlchemy's engine for this process (created after the fork)."""
    global _engine
    if _engine is None:
        worker = os.environ.get("GILSIM_WORKER_CLASS", "")
        if os.environ.get("GILSIM_DB_GREEN") == "0":
            worker = ""  # the scenario's blocking driver: psycopg2 left unpatched
        if worker == "gevent":
            import psycogreen.gevent
            psycogreen.gevent.patch_psycopg()
        elif worker == "eventlet":
            import psycogreen.eventlet
            psycogreen.eventlet.patch_psycopg()
        import sqlalchemy
        from sqlalchemy.pool import NullPool
        dsn = os.environ["GILSIM_DB_DSN"]
        if os.environ.get("GILSIM_DB_POOL") == "per_process":
            _engine = sqlalchemy.create_engine(
                dsn, pool_size=int(os.environ["GILSIM_POOL_SIZE"]),
                max_overflow=int(os.environ["GILSIM_MAX_OVERFLOW"]),
                pool_timeout=float(os.environ["GILSIM_POOL_TIMEOUT"]))
        else:
            _engine = sqlalchemy.create_engine(dsn, poolclass=NullPool)
    return _engine


def _query(ms):
    from sqlalchemy import text
    with _db_engine().connect() as conn:
        conn.execute(text("SELECT pg_sleep(:s)"), {"s": ms / 1000})


def _steps():
    """The steps of one request: (kind, ms). With GILSIM_IO_BLOCKS=1 the I/O
    goes through a call no event loop can switch away from."""
    _load()
    io_blocks = os.environ.get("GILSIM_IO_BLOCKS") == "1"
    endpoint = _rng.choices(_endpoints, _weights)[0]
    for step in endpoint["steps"]:
        kind = step["kind"]
        if kind == "io" and io_blocks:
            kind = "blocking_io"
        yield kind, _sample_ms(step["duration"])


def app(environ, start_response):
    for kind, ms in _steps():
        if kind == "cpu":
            _spin_measured(ms)
        elif kind == "io":
            time.sleep(ms / 1000)
        elif kind == "blocking_io":
            _libc.usleep(int(ms * 1000))
        elif kind == "db":
            try:
                _query(ms)
            except Exception as e:  # refused (max_connections) or pool timeout
                body = ("database: %s\n" % type(e).__name__).encode()
                start_response("500 Internal Server Error",
                               [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
        else:
            raise RuntimeError("unsupported step: " + kind)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
    return [b"ok\n"]


_apool = None
_apool_lock = None


async def _aquery(ms):
    """A query from asyncio: asyncpg, awaited (the loop serves others meanwhile)."""
    global _apool, _apool_lock
    import asyncpg
    dsn = os.environ["GILSIM_DB_DSN"].replace("postgresql+psycopg2://", "postgresql://")
    if os.environ.get("GILSIM_DB_POOL") == "per_process":
        if _apool is None:
            if _apool_lock is None:
                _apool_lock = asyncio.Lock()
            async with _apool_lock:
                if _apool is None:
                    size = int(os.environ["GILSIM_POOL_SIZE"]) + int(os.environ["GILSIM_MAX_OVERFLOW"])
                    _apool = await asyncpg.create_pool(dsn, min_size=0, max_size=size)
        async with _apool.acquire(timeout=float(os.environ["GILSIM_POOL_TIMEOUT"])) as conn:
            await conn.execute("SELECT pg_sleep($1)", ms / 1000)
    else:  # a connection per query (to PgBouncer: no prepared statements kept)
        conn = await asyncpg.connect(dsn, statement_cache_size=0)
        try:
            await conn.execute("SELECT pg_sleep($1)", ms / 1000)
        finally:
            await conn.close()


async def asgi_app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    for kind, ms in _steps():
        if kind == "cpu":
            _spin_measured(ms)
        elif kind == "io":
            await asyncio.sleep(ms / 1000)
        elif kind == "blocking_io":
            time.sleep(ms / 1000)  # inside async def: blocks the event loop
        elif kind == "db":
            try:
                await _aquery(ms)
            except Exception as e:  # refused (max_connections) or pool timeout
                body = ("database: %s\n" % type(e).__name__).encode()
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"text/plain"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        else:
            raise RuntimeError("unsupported step: " + kind)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"3")]})
    await send({"type": "http.response.body", "body": b"ok\n"})


def calibrate_db(url, n=50):
    """The database as this machine's app meets it, as JSON: the time to open
    a connection (``connect_ms``) and the round trip of an empty query on an
    open one (``rtt_ms``), medians of ``n``."""
    import psycopg2
    plain = url.replace("postgresql+psycopg2://", "postgresql://")
    connects, trips = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        psycopg2.connect(plain).close()
        connects.append(time.perf_counter() - t0)
    conn = psycopg2.connect(plain)
    cur = conn.cursor()
    for _ in range(n):
        t0 = time.perf_counter()
        cur.execute("SELECT pg_sleep(0)")
        cur.fetchall()
        trips.append(time.perf_counter() - t0)
    conn.close()
    med = lambda v: sorted(v)[len(v) // 2] * 1000
    return {"connect_ms": med(connects), "rtt_ms": med(trips)}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--db":
        print(json.dumps(calibrate_db(sys.argv[2])))
    else:
        print("%.3f" % calibrate())
