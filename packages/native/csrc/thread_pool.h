// A fixed-size pool of persistent worker threads for fork-join loops.
// Workers spin for a few tens of microseconds after a job (the next kernel of a training step usually follows
// within that), then sleep on a condition variable (no busy spinning when idle).
// The calling thread takes part as worker 0. Results are deterministic as long as
// each task's output depends only on the task index (never on which thread runs it).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ganflow {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /** Number of threads that run tasks, the caller included. */
  int size() const { return threads_; }

  /** Runs fn(task, thread) for task in [0, tasks); returns when all are done. thread is in [0, size()). */
  void run(int tasks, const std::function<void(int, int)>& fn);

 private:
  void worker_loop(int id);
  void drain(int id);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // serialises callers from different JS threads
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<uint64_t> generation_{0};  // written under mutex_, read without it while spinning
  bool stopping_ = false;
  const std::function<void(int, int)>* job_ = nullptr;
  int tasks_ = 0;
  int next_task_ = 0;
  std::atomic<int> busy_workers_{0};  // written under mutex_, read without it while spinning
};

/** The process-wide pool used by all kernels (created on first use). */
ThreadPool& global_pool();
/** Replaces the global pool with one of `threads` threads (>= 1). */
void set_global_threads(int threads);
int global_threads();

/** Splits [0, n) into `parts` contiguous ranges of near-equal size; returns range `i`. */
inline void split_range(int64_t n, int parts, int i, int64_t* begin, int64_t* end) {
  int64_t base = n / parts, rem = n % parts;
  *begin = i * base + (i < rem ? i : rem);
  *end = *begin + base + (i < rem ? 1 : 0);
}

}  // namespace ganflow
