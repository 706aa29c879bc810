#include "thread_pool.h"

#include <chrono>
#include <memory>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace ganflow {
namespace {

// How long a thread polls before sleeping: a condition-variable wake-up costs tens of microseconds, as much as a
// 64 x 500 x 500 GEMM slab, and a GAN step's kernels follow each other within a few microseconds of JS.
constexpr auto kSpin = std::chrono::microseconds(50);

// Polls `done()` for up to kSpin; true if it became true.
template <typename F>
bool spin_until(F&& done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
#if defined(__x86_64__) || defined(_M_X64)
      _mm_pause();
#endif
    }
    if (std::chrono::steady_clock::now() >= until) return false;
  }
}

}  // namespace

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

// Takes tasks one at a time under the lock; tasks are coarse (a GEMM block, an image), so
// the lock is not contended in practice.
void ThreadPool::drain(int id) {
  for (;;) {
    int task;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_task_ >= tasks_) return;
      task = next_task_++;
    }
    (*job_)(task, id);
  }
}

void ThreadPool::worker_loop(int id) {
  uint64_t seen = 0;
  for (;;) {
    spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      ++busy_workers_;
    }
    drain(id);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_workers_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::run(int tasks, const std::function<void(int, int)>& fn) {
  if (tasks <= 0) return;
  std::lock_guard<std::mutex> serial(run_mutex_);
  if (threads_ == 1 || tasks == 1) {
    for (int t = 0; t < tasks; ++t) fn(t, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    tasks_ = tasks;
    next_task_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  drain(0);
  spin_until([&] { return busy_workers_.load(std::memory_order_acquire) == 0; });
  std::unique_lock<std::mutex> lock(mutex_);
  // Wait until every task has been taken and every worker that woke for this job is done.
  done_.wait(lock, [&] { return busy_workers_ == 0 && next_task_ >= tasks_; });
  job_ = nullptr;
}

namespace {
std::mutex g_pool_mutex;
ThreadPool* g_pool = nullptr;  // intentionally leaked at exit: process teardown must not join workers
int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}
}  // namespace

ThreadPool& global_pool() {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (!g_pool) g_pool = new ThreadPool(default_threads());
  return *g_pool;
}

void set_global_threads(int threads) {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (g_pool && g_pool->size() == threads) return;
  delete g_pool;
  g_pool = new ThreadPool(threads);
}

int global_threads() { return global_pool().size(); }

}  // namespace ganflow
