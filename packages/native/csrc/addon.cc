// N-API entry points. Every function takes JS Float32Arrays (read and written in place, zero-copy) and
// plain numbers; shapes and lengths are checked here so that a wrong call throws instead of corrupting memory.
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdint>
#include <cstring>
#include <string>

#include "napi_args.h"
#include "adam.h"
#include "batch_norm_training.h"
#include "conv.h"
#include "elementwise.h"
#include "gemm.h"
#include "gemm_f64_binding.h"
#include "scratch.h"
#include "thread_pool.h"

namespace ganflow {
namespace {
using namespace napi_args;

// info() -> { isa, bestIsa, threads }
napi_value Info(napi_env env, napi_callback_info) {
  return guarded(env, [&] {
    napi_value o, t;
    check(env, napi_create_object(env, &o), "create_object");
    napi_set_named_property(env, o, "isa", str(env, gemm_isa()));
    napi_set_named_property(env, o, "bestIsa", str(env, gemm_best_isa()));
    napi_create_int32(env, global_threads(), &t);
    napi_set_named_property(env, o, "threads", t);
    return o;
  });
}

// setThreads(n)
napi_value SetThreads(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[1];
    arg_value(env, info, 1, a);
    int64_t n = i64(env, a[0], "threads");
    if (n < 1 || n > kMaxThreads) throw Failure{"native: threads must be in [1, " + std::to_string(kMaxThreads) + "]"};
    set_global_threads(static_cast<int>(n));
    return undefined(env);
  });
}

// setIsa(name) -> boolean
napi_value SetIsa(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[1];
    arg_value(env, info, 1, a);
    char buf[32] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, a[0], buf, sizeof buf, &len), "isa name");
    napi_value r;
    napi_get_boolean(env, gemm_select_isa(buf), &r);
    return r;
  });
}

// batchMatMul(a, b, out, batch, batchA, batchB, m, n, k, transA, transB): out[i] = op(a[i % batchA]) op(b[i % batchB])
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[11];
    arg_value(env, info, 11, a);
    const int64_t batch = i64(env, a[3], "batch"), ba = i64(env, a[4], "batchA"), bb = i64(env, a[5], "batchB");
    const int64_t m = i64(env, a[6], "m"), n = i64(env, a[7], "n"), k = i64(env, a[8], "k");
    const bool ta = boolean(env, a[9]), tb = boolean(env, a[10]);
    if (ba == 0 || bb == 0) throw Failure{"native: batchMatMul batch sizes must be >= 1"};
    const float* A = f32(env, a[0], ba * m * k, "a");
    const float* B = f32(env, a[1], bb * k * n, "b");
    float* C = f32(env, a[2], batch * m * n, "out");
    auto args_for = [&](int64_t i) {
      GemmArgs g;
      g.trans_a = ta, g.trans_b = tb, g.m = m, g.n = n, g.k = k;
      g.a = A + (i % ba) * m * k, g.lda = ta ? m : k;
      g.b = B + (i % bb) * k * n, g.ldb = tb ? k : n;
      g.c = C + i * m * n, g.ldc = n;
      return g;
    };
    ThreadPool& pool = global_pool();
    if (batch >= pool.size() && pool.size() > 1 && static_cast<double>(m) * n * k < 96.0 * 96 * 96) {
      pool.run(static_cast<int>(batch), [&](int i, int thread) { sgemm_on_thread(args_for(i), thread); });
    } else {
      for (int64_t i = 0; i < batch; ++i) sgemm(args_for(i));
    }
    return undefined(env);
  });
}

ConvShape conv_shape(napi_env env, napi_value v) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!is_typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array || length != 21)
    throw Failure{"native: conv shape must be a Float64Array of 21 numbers"};
  const double* d = static_cast<const double*>(data);
  int64_t q[21];
  for (int i = 0; i < 21; ++i) {
    if (d[i] != static_cast<double>(static_cast<int64_t>(d[i])) || d[i] < (i >= 18 ? -1e9 : 0))
      throw Failure{"native: conv shape entry " + std::to_string(i) + " is not a valid integer"};
    q[i] = static_cast<int64_t>(d[i]);
  }
  ConvShape s{q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10],
              q[11], q[12], q[13], q[14], q[15], q[16], q[17], q[18], q[19], q[20]};
  if (s.stride_d < 1 || s.stride_h < 1 || s.stride_w < 1 || s.dil_d < 1 || s.dil_h < 1 || s.dil_w < 1)
    throw Failure{"native: conv strides and dilations must be >= 1"};
  return s;
}

// convForward(x, filter, y, shape) / convBackpropInput(dy, filter, dx, shape) / convBackpropFilter(x, dy, dw, shape)
napi_value ConvForward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[4];
    arg_value(env, info, 4, a);
    ConvShape s = conv_shape(env, a[3]);
    const float* x = f32(env, a[0], s.batch * s.in_pixels() * s.in_c, "x");
    const float* w = f32(env, a[1], s.patch() * s.out_c, "filter");
    float* y = f32(env, a[2], s.batch * s.out_pixels() * s.out_c, "y");
    conv_forward(s, x, w, y);
    return undefined(env);
  });
}

napi_value ConvBackpropInput(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[4];
    arg_value(env, info, 4, a);
    ConvShape s = conv_shape(env, a[3]);
    const float* dy = f32(env, a[0], s.batch * s.out_pixels() * s.out_c, "dy");
    const float* w = f32(env, a[1], s.patch() * s.out_c, "filter");
    float* dx = f32(env, a[2], s.batch * s.in_pixels() * s.in_c, "dx");
    conv_backprop_input(s, dy, w, dx);
    return undefined(env);
  });
}

napi_value ConvBackpropFilter(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[4];
    arg_value(env, info, 4, a);
    ConvShape s = conv_shape(env, a[3]);
    const float* x = f32(env, a[0], s.batch * s.in_pixels() * s.in_c, "x");
    const float* dy = f32(env, a[1], s.batch * s.out_pixels() * s.out_c, "dy");
    float* dw = f32(env, a[2], s.patch() * s.out_c, "dfilter");
    conv_backprop_filter(s, x, dy, dw);
    return undefined(env);
  });
}

// Tensor outputs are large, short-lived and allocated without zero-filling (see NativeBackend.allocFloat32).
// Keeping freed memory in the malloc heap (instead of unmapping it and faulting fresh zeroed pages back in
// for the next tensor) makes memory-bound kernels several times faster. Process-wide, set once.
void tune_malloc_once() {
#if defined(__GLIBC__)
  static bool done = false;
  if (done) return;
  done = true;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest value glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

napi_value Init(napi_env env, napi_value exports) {
  tune_malloc_once();
  struct Entry {
    const char* name;
    napi_callback fn;
  } entries[] = {
      {"info", Info},
      {"setThreads", SetThreads},
      {"setIsa", SetIsa},
      {"batchMatMul", BatchMatMul},
      {"convForward", ConvForward},
      {"convBackpropInput", ConvBackpropInput},
      {"convBackpropFilter", ConvBackpropFilter},
  };
  for (const Entry& e : entries) {
    napi_value f;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &f);
    napi_set_named_property(env, exports, e.name, f);
  }
  register_elementwise(env, exports);
  register_adam(env, exports);
  register_batch_norm_training(env, exports);
  register_gemm_f64(env, exports);
  return exports;
}

}  // namespace
}  // namespace ganflow

NAPI_MODULE(NODE_GYP_MODULE_NAME, ganflow::Init)
