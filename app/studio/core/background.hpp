// Work off the GUI thread with its result back on it: `work` runs on Qt's
// global thread pool, `done` runs later in `context`'s thread, and not at all
// if `context` is destroyed first (Mandelbrot example's worker, in one call).
#pragma once
#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <memory>
#include <utility>

namespace gilsim::studio {

template <class Work, class Done>
void runInBackground(QObject* context, Work work, Done done)
{
  using Result = decltype(work());
  auto promise  = std::make_shared<QPromise<Result>>();
  auto* watcher = new QFutureWatcher<Result>(context);
  QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
    done(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(promise->future());
  QThreadPool::globalInstance()->start([promise, work = std::move(work)] {
    promise->start();
    promise->addResult(work());
    promise->finish();
  });
}

} // namespace gilsim::studio
