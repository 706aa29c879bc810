// Elementwise, broadcast-binary, comparison, select, reduction, tile and batch-norm kernels over Float32Arrays.
// All are split into fixed chunks of the output (each output element is written by exactly one task), so
// results never depend on the thread count; reductions accumulate in double like the cpu backend's JS loops.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "napi_args.h"
#include "thread_pool.h"

namespace ganflow {
namespace {
using namespace napi_args;

constexpr int64_t kGrain = 1 << 15;  // elements per task
constexpr int kMaxRank = 8;

// Runs body(begin, end) over [0, n) in fixed chunks, in parallel when n is large enough.
template <typename F>
void parallel_chunks(int64_t n, int64_t grain, F&& body) {
  if (n <= grain) {
    body(int64_t{0}, n);
    return;
  }
  const int64_t chunks = (n + grain - 1) / grain;
  global_pool().run(static_cast<int>(chunks), [&](int t, int) {
    const int64_t b = t * grain;
    body(b, std::min(n, b + grain));
  });
}

enum class Unary { kRelu, kRelu6, kLeakyRelu, kElu, kTanh, kSigmoid, kSqrt, kRsqrt, kSquare, kNeg, kExp, kLog, kLog1p, kAbs, kStep, kReciprocal };

bool parse_unary(const std::string& s, Unary* op) {
  static const struct { const char* name; Unary op; } table[] = {
      {"Relu", Unary::kRelu}, {"Relu6", Unary::kRelu6}, {"LeakyRelu", Unary::kLeakyRelu}, {"Elu", Unary::kElu},
      {"Tanh", Unary::kTanh}, {"Sigmoid", Unary::kSigmoid}, {"Sqrt", Unary::kSqrt}, {"Rsqrt", Unary::kRsqrt},
      {"Square", Unary::kSquare}, {"Neg", Unary::kNeg}, {"Exp", Unary::kExp}, {"Log", Unary::kLog},
      {"Log1p", Unary::kLog1p}, {"Abs", Unary::kAbs}, {"Step", Unary::kStep}, {"Reciprocal", Unary::kReciprocal}};
  for (const auto& e : table)
    if (s == e.name) return *op = e.op, true;
  return false;
}

// exp(v) for float without a libm call (Cephes expf: range reduction by ln 2, degree-6 polynomial, ~1 ulp), written
// branch-free so loops over it vectorise; inputs are clamped to [-87.3, 88.7] (exp underflows to ~1e-38, not 0).
inline float fast_exp(float v) {
  v = v > 88.7f ? 88.7f : v;
  v = v < -87.3f ? -87.3f : v;
  const float t = v * 1.44269504088896341f;
  const int n = static_cast<int>(t + (t >= 0.0f ? 0.5f : -0.5f));  // round to nearest
  const float fn = static_cast<float>(n);
  float r = v - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  const float z = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * z + r + 1.0f;
  const int bits = (n + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

// tanh(v) (Cephes tanhf): odd polynomial below |v| = 0.625, 1 - 2 / (exp(2|v|) + 1) above; branch-free.
inline float fast_tanh(float v) {
  const float a = std::fabs(v);
  const float s = v * v;
  float p = -5.70498872745e-3f;
  p = p * s + 2.06390887954e-2f;
  p = p * s - 5.37397155531e-2f;
  p = p * s + 1.33314422036e-1f;
  p = p * s - 3.33332819422e-1f;
  const float small = p * s * v + v;
  const float e = fast_exp(2.0f * (a > 44.0f ? 44.0f : a));
  const float big_abs = 1.0f - 2.0f / (e + 1.0f);
  const float big = v < 0.0f ? -big_abs : big_abs;
  const float r = a < 0.625f ? small : big;
  return v != v ? v : r;
}

// Written without branches (both sides of a select are computed) so that the compiler vectorises them; cloned for
// AVX-512 and AVX2 (picked at load time) so the polynomial tanh/sigmoid/exp run 8-16 lanes wide.
template <Unary OP>
__attribute__((target_clones("avx512f", "avx2", "default")))
void unary_loop(const float* x, float* y, int64_t b, int64_t e, float alpha) {
  for (int64_t i = b; i < e; ++i) {
    const float v = x[i];
    float r;
    if constexpr (OP == Unary::kRelu) r = v < 0.0f ? 0.0f : v;  // NaN stays NaN, as in tfjs
    else if constexpr (OP == Unary::kRelu6) { const float c = v < 0.0f ? 0.0f : v; r = c > 6.0f ? 6.0f : c; }
    else if constexpr (OP == Unary::kLeakyRelu) { const float s = alpha * v; r = v < 0.0f ? s : v; }
    else if constexpr (OP == Unary::kElu) r = v >= 0.0f ? v : std::expm1(v);
    else if constexpr (OP == Unary::kTanh) r = fast_tanh(v);
    else if constexpr (OP == Unary::kSigmoid) r = 1.0f / (1.0f + fast_exp(-v));
    else if constexpr (OP == Unary::kSqrt) r = std::sqrt(v);
    else if constexpr (OP == Unary::kRsqrt) r = 1.0f / std::sqrt(v);
    else if constexpr (OP == Unary::kSquare) r = v * v;
    else if constexpr (OP == Unary::kNeg) r = -v;
    else if constexpr (OP == Unary::kExp) r = std::exp(v);
    else if constexpr (OP == Unary::kLog) r = std::log(v);
    else if constexpr (OP == Unary::kLog1p) r = std::log1p(v);
    else if constexpr (OP == Unary::kAbs) r = std::fabs(v);
    else if constexpr (OP == Unary::kStep) { const float s = v > 0.0f ? 1.0f : alpha; r = v != v ? v : s; }
    else r = 1.0f / v;
    y[i] = r;
  }
}

// unary(op, x, out, alpha)
napi_value UnaryOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[4];
    arg_value(env, info, 4, a);
    char name[32] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, a[0], name, sizeof name, &len), "op name");
    Unary op;
    if (!parse_unary(name, &op)) throw Failure{std::string("native: unknown unary op ") + name};
    size_t n = 0;
    napi_get_typedarray_info(env, a[1], nullptr, &n, nullptr, nullptr, nullptr);
    const float* x = f32(env, a[1], -1, "x");
    float* y = f32(env, a[2], static_cast<int64_t>(n), "out");
    const float alpha = static_cast<float>(num(env, a[3], "alpha"));
    parallel_chunks(static_cast<int64_t>(n), kGrain, [&](int64_t b, int64_t e) {
      switch (op) {
#define CASE(K) case Unary::K: unary_loop<Unary::K>(x, y, b, e, alpha); break;
        CASE(kRelu) CASE(kRelu6) CASE(kLeakyRelu) CASE(kElu) CASE(kTanh) CASE(kSigmoid) CASE(kSqrt) CASE(kRsqrt)
        CASE(kSquare) CASE(kNeg) CASE(kExp) CASE(kLog) CASE(kLog1p) CASE(kAbs) CASE(kStep) CASE(kReciprocal)
#undef CASE
      }
    });
    return undefined(env);
  });
}

// A broadcast iteration space: out dims with per-operand strides (0 where broadcast), coalesced.
struct Broadcast {
  int rank = 0;
  int64_t dims[kMaxRank];
  int64_t sa[kMaxRank], sb[kMaxRank];
  int64_t size() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
};

// shape record: [rank, outDims..., aDims..., bDims...] with a and b left-padded with 1s to rank.
Broadcast broadcast_from(napi_env env, napi_value v) {
  bool typed = false;
  napi_is_typedarray(env, v, &typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array || length < 1)
    throw Failure{"native: broadcast record must be a Float64Array"};
  const double* d = static_cast<const double*>(data);
  const int rank = static_cast<int>(d[0]);
  if (rank < 0 || rank > kMaxRank || length != static_cast<size_t>(1 + 3 * rank))
    throw Failure{"native: broadcast record has a bad rank"};
  int64_t out[kMaxRank], ad[kMaxRank], bd[kMaxRank];
  for (int i = 0; i < rank; ++i) {
    out[i] = static_cast<int64_t>(d[1 + i]);
    ad[i] = static_cast<int64_t>(d[1 + rank + i]);
    bd[i] = static_cast<int64_t>(d[1 + 2 * rank + i]);
    if ((ad[i] != out[i] && ad[i] != 1) || (bd[i] != out[i] && bd[i] != 1))
      throw Failure{"native: shapes do not broadcast"};
  }
  // Row-major strides of a and b, zeroed on broadcast dims.
  int64_t sa[kMaxRank], sb[kMaxRank];
  int64_t ra = 1, rb = 1;
  for (int i = rank - 1; i >= 0; --i) {
    sa[i] = ad[i] == 1 ? 0 : ra;
    sb[i] = bd[i] == 1 ? 0 : rb;
    ra *= ad[i];
    rb *= bd[i];
  }
  // Drop size-1 dims and merge neighbours whose strides chain.
  Broadcast r;
  for (int i = 0; i < rank; ++i) {
    if (out[i] == 1) continue;
    if (r.rank > 0) {
      const int j = r.rank - 1;
      if (r.sa[j] == sa[i] * out[i] && r.sb[j] == sb[i] * out[i]) {
        r.dims[j] *= out[i];
        r.sa[j] = sa[i];
        r.sb[j] = sb[i];
        continue;
      }
    }
    r.dims[r.rank] = out[i];
    r.sa[r.rank] = sa[i];
    r.sb[r.rank] = sb[i];
    ++r.rank;
  }
  if (r.rank == 0) {
    r.rank = 1;
    r.dims[0] = 1;
    r.sa[0] = r.sb[0] = 0;
  }
  return r;
}

// Calls row(out_offset, a_offset, b_offset, inner, a_step, b_step) for each innermost row in [row_begin, row_end).
template <typename F>
void for_rows(const Broadcast& s, int64_t row_begin, int64_t row_end, F&& row) {
  const int last = s.rank - 1;
  const int64_t inner = s.dims[last];
  int64_t idx[kMaxRank] = {0};
  // Decompose row_begin into outer coordinates.
  int64_t r = row_begin;
  for (int i = last - 1; i >= 0; --i) {
    idx[i] = r % s.dims[i];
    r /= s.dims[i];
  }
  int64_t oa = 0, ob = 0;
  for (int i = 0; i < last; ++i) oa += idx[i] * s.sa[i], ob += idx[i] * s.sb[i];
  for (int64_t row_i = row_begin; row_i < row_end; ++row_i) {
    row(row_i * inner, oa, ob, inner, s.sa[last], s.sb[last]);
    for (int i = last - 1; i >= 0; --i) {
      oa += s.sa[i];
      ob += s.sb[i];
      if (++idx[i] < s.dims[i]) break;
      oa -= s.sa[i] * s.dims[i];
      ob -= s.sb[i] * s.dims[i];
      idx[i] = 0;
    }
  }
}

template <typename F>
void broadcast_apply(const Broadcast& s, F&& row) {
  const int64_t inner = s.dims[s.rank - 1];
  if (inner == 0) return;
  const int64_t rows = s.size() / inner;
  if (inner >= 2 * kGrain) {
    // Long rows (e.g. a tensor with a scalar): split each row into column blocks so all threads work.
    const int64_t blocks = (inner + kGrain - 1) / kGrain;
    parallel_chunks(rows * blocks, 1, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) {
        const int64_t r = t / blocks, c0 = (t % blocks) * kGrain, c1 = std::min(inner, c0 + kGrain);
        for_rows(s, r, r + 1, [&](int64_t o, int64_t oa, int64_t ob, int64_t, int64_t da, int64_t db) {
          row(o + c0, oa + c0 * da, ob + c0 * db, c1 - c0, da, db);
        });
      }
    });
    return;
  }
  const int64_t rows_per_task = std::max<int64_t>(1, kGrain / inner);
  parallel_chunks(rows, rows_per_task, [&](int64_t b, int64_t e) { for_rows(s, b, e, row); });
}

enum class Binary { kAdd, kSub, kMul, kDiv, kMax, kMin, kSquaredDifference, kPow };
bool parse_binary(const std::string& s, Binary* op) {
  static const struct { const char* name; Binary op; } table[] = {
      {"Add", Binary::kAdd}, {"Sub", Binary::kSub}, {"Multiply", Binary::kMul}, {"RealDiv", Binary::kDiv},
      {"Maximum", Binary::kMax}, {"Minimum", Binary::kMin}, {"SquaredDifference", Binary::kSquaredDifference},
      {"Pow", Binary::kPow}};
  for (const auto& e : table)
    if (s == e.name) return *op = e.op, true;
  return false;
}

template <Binary OP>
inline float binary_fn(float x, float y) {
  if constexpr (OP == Binary::kAdd) return x + y;
  else if constexpr (OP == Binary::kSub) return x - y;
  else if constexpr (OP == Binary::kMul) return x * y;
  else if constexpr (OP == Binary::kDiv) return x / y;
  else if constexpr (OP == Binary::kMax) { const float m = x > y ? x : y; return (x != x || y != y) ? x + y : m; }
  else if constexpr (OP == Binary::kMin) { const float m = x < y ? x : y; return (x != x || y != y) ? x + y : m; }
  else if constexpr (OP == Binary::kSquaredDifference) return (x - y) * (x - y);
  else return std::pow(x, y);
}

template <Binary OP>
void binary_run(const Broadcast& s, const float* a, const float* b, float* out) {
  broadcast_apply(s, [&](int64_t o, int64_t oa, int64_t ob, int64_t n, int64_t da, int64_t db) {
    float* y = out + o;
    const float* x = a + oa;
    const float* z = b + ob;
    if (da == 1 && db == 1) {
      for (int64_t i = 0; i < n; ++i) y[i] = binary_fn<OP>(x[i], z[i]);
    } else if (da == 1 && db == 0) {
      const float zv = *z;
      for (int64_t i = 0; i < n; ++i) y[i] = binary_fn<OP>(x[i], zv);
    } else if (da == 0 && db == 1) {
      const float xv = *x;
      for (int64_t i = 0; i < n; ++i) y[i] = binary_fn<OP>(xv, z[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) y[i] = binary_fn<OP>(x[i * da], z[i * db]);
    }
  });
}

// binary(op, a, b, out, broadcastRecord)
napi_value BinaryOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[5];
    arg_value(env, info, 5, v);
    char name[32] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, v[0], name, sizeof name, &len), "op name");
    Binary op;
    if (!parse_binary(name, &op)) throw Failure{std::string("native: unknown binary op ") + name};
    Broadcast s = broadcast_from(env, v[4]);
    int64_t na = 1, nb = 1;
    for (int i = 0; i < s.rank; ++i) na += (s.dims[i] - 1) * s.sa[i], nb += (s.dims[i] - 1) * s.sb[i];
    const float* a = f32(env, v[1], na, "a");
    const float* b = f32(env, v[2], nb, "b");
    float* out = f32(env, v[3], s.size(), "out");
    switch (op) {
#define CASE(K) case Binary::K: binary_run<Binary::K>(s, a, b, out); break;
      CASE(kAdd) CASE(kSub) CASE(kMul) CASE(kDiv) CASE(kMax) CASE(kMin) CASE(kSquaredDifference) CASE(kPow)
#undef CASE
    }
    return undefined(env);
  });
}

uint8_t* u8(napi_env env, napi_value v, int64_t expected, const char* name) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  bool typed = false;
  napi_is_typedarray(env, v, &typed);
  if (!typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array || static_cast<int64_t>(length) < expected)
    throw Failure{std::string("native: ") + name + " must be a Uint8Array of " + std::to_string(expected) + " elements"};
  return static_cast<uint8_t*>(data);
}

// compare(op, a, b, outUint8, broadcastRecord): op in Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual
napi_value CompareOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[5];
    arg_value(env, info, 5, v);
    char name[32] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, v[0], name, sizeof name, &len), "op name");
    const std::string op = name;
    int code = op == "Greater" ? 0 : op == "GreaterEqual" ? 1 : op == "Less" ? 2 : op == "LessEqual" ? 3
             : op == "Equal" ? 4 : op == "NotEqual" ? 5 : -1;
    if (code < 0) throw Failure{"native: unknown comparison " + op};
    Broadcast s = broadcast_from(env, v[4]);
    int64_t na = 1, nb = 1;
    for (int i = 0; i < s.rank; ++i) na += (s.dims[i] - 1) * s.sa[i], nb += (s.dims[i] - 1) * s.sb[i];
    const float* a = f32(env, v[1], na, "a");
    const float* b = f32(env, v[2], nb, "b");
    uint8_t* out = u8(env, v[3], s.size(), "out");
    auto run = [&](auto cmp) {
      broadcast_apply(s, [&](int64_t o, int64_t oa, int64_t ob, int64_t n, int64_t da, int64_t db) {
        const float* x = a + oa;
        const float* y = b + ob;
        uint8_t* r = out + o;
        if (da == 1 && db == 0) {
          const float yv = *y;
          for (int64_t i = 0; i < n; ++i) r[i] = cmp(x[i], yv) ? 1 : 0;
        } else {
          for (int64_t i = 0; i < n; ++i) r[i] = cmp(x[i * da], y[i * db]) ? 1 : 0;
        }
      });
    };
    switch (code) {
      case 0: run([](float p, float q) { return p > q; }); break;
      case 1: run([](float p, float q) { return p >= q; }); break;
      case 2: run([](float p, float q) { return p < q; }); break;
      case 3: run([](float p, float q) { return p <= q; }); break;
      case 4: run([](float p, float q) { return p == q; }); break;
      default: run([](float p, float q) { return p != q; }); break;
    }
    return undefined(env);
  });
}

// select(conditionUint8, t, e, out): out = condition ? t : e, all of one shape
napi_value SelectOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[4];
    arg_value(env, info, 4, v);
    size_t n = 0;
    napi_get_typedarray_info(env, v[3], nullptr, &n, nullptr, nullptr, nullptr);
    const uint8_t* c = u8(env, v[0], static_cast<int64_t>(n), "condition");
    const float* t = f32(env, v[1], static_cast<int64_t>(n), "t");
    const float* e = f32(env, v[2], static_cast<int64_t>(n), "e");
    float* out = f32(env, v[3], static_cast<int64_t>(n), "out");
    parallel_chunks(static_cast<int64_t>(n), kGrain, [&](int64_t b, int64_t end) {
      for (int64_t i = b; i < end; ++i) {
        const float tv = t[i], ev = e[i];
        out[i] = c[i] != 0 ? tv : ev;
      }
    });
    return undefined(env);
  });
}

// reduce(op, x, out, outer, reduced, inner): x viewed as [outer, reduced, inner]; op in sum, mean, max, min
napi_value ReduceOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[6];
    arg_value(env, info, 6, v);
    char name[16] = {0};
    size_t len = 0;
    check(env, napi_get_value_string_utf8(env, v[0], name, sizeof name, &len), "op name");
    const std::string op = name;
    const int code = op == "sum" ? 0 : op == "mean" ? 1 : op == "max" ? 2 : op == "min" ? 3 : -1;
    if (code < 0) throw Failure{"native: unknown reduction " + op};
    const int64_t outer = i64(env, v[3], "outer"), red = i64(env, v[4], "reduced"), inner = i64(env, v[5], "inner");
    const float* x = f32(env, v[1], outer * red * inner, "x");
    float* out = f32(env, v[2], outer * inner, "out");
    if (code >= 2 && red == 0) throw Failure{"native: max/min over an empty axis"};
    auto finish = [&](double acc) { return static_cast<float>(code == 1 ? acc / static_cast<double>(red) : acc); };
    if (inner == 1) {
      // Contiguous rows: one output per row.
      parallel_chunks(outer, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, red)), [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) {
          const float* r = x + o * red;
          if (code <= 1) {
            double acc = 0;
            for (int64_t i = 0; i < red; ++i) acc += r[i];
            out[o] = finish(acc);
          } else {
            float m = r[0];
            for (int64_t i = 1; i < red; ++i) m = code == 2 ? (r[i] > m || std::isnan(r[i]) ? r[i] : m) : (r[i] < m || std::isnan(r[i]) ? r[i] : m);
            out[o] = m;
          }
        }
      });
      return undefined(env);
    }
    // Column reduction [outer, red, inner] -> [outer, inner]: tasks own blocks of inner columns.
    const int64_t cols_per_task = std::max<int64_t>(16, std::min<int64_t>(inner, 256));
    const int64_t col_tasks = (inner + cols_per_task - 1) / cols_per_task;
    const int pool_threads = global_pool().size();
    if (code <= 1 && outer * col_tasks < pool_threads && red * inner >= 4 * kGrain) {
      // Few outputs, many rows (e.g. batch-norm sums over [B*H*W, C]): one fixed row-range per thread,
      // partial double sums, combined in range order (deterministic for a given thread count).
      const int parts = pool_threads;
      std::vector<double> partial(static_cast<size_t>(parts) * outer * inner, 0.0);
      global_pool().run(parts, [&](int p, int) {
        int64_t b, e;
        split_range(red, parts, p, &b, &e);
        for (int64_t o = 0; o < outer; ++o) {
          double* acc = partial.data() + (static_cast<int64_t>(p) * outer + o) * inner;
          for (int64_t r = b; r < e; ++r) {
            const float* row = x + (o * red + r) * inner;
            for (int64_t c = 0; c < inner; ++c) acc[c] += row[c];
          }
        }
      });
      for (int64_t i = 0; i < outer * inner; ++i) {
        double acc = 0;
        for (int p = 0; p < parts; ++p) acc += partial[static_cast<size_t>(p) * outer * inner + i];
        out[i] = finish(acc);
      }
      return undefined(env);
    }
    const int64_t tasks = outer * col_tasks;
    auto task = [&](int64_t t) {
      const int64_t o = t / col_tasks, c0 = (t % col_tasks) * cols_per_task, c1 = std::min(inner, c0 + cols_per_task);
      const float* base = x + o * red * inner;
      if (code <= 1) {
        double acc[256];
        for (int64_t c = c0; c < c1; ++c) acc[c - c0] = 0;
        for (int64_t r = 0; r < red; ++r) {
          const float* row = base + r * inner;
          for (int64_t c = c0; c < c1; ++c) acc[c - c0] += row[c];
        }
        for (int64_t c = c0; c < c1; ++c) out[o * inner + c] = finish(acc[c - c0]);
      } else {
        for (int64_t c = c0; c < c1; ++c) out[o * inner + c] = base[c];
        for (int64_t r = 1; r < red; ++r) {
          const float* row = base + r * inner;
          for (int64_t c = c0; c < c1; ++c) {
            float& m = out[o * inner + c];
            const float val = row[c];
            if (std::isnan(val) || (code == 2 ? val > m : val < m)) m = val;
          }
        }
      }
    };
    if (tasks == 1 || red * inner < kGrain) {
      for (int64_t t = 0; t < tasks; ++t) task(t);
    } else {
      global_pool().run(static_cast<int>(tasks), [&](int t, int) { task(t); });
    }
    return undefined(env);
  });
}

// tile(x, out, record): record = [rank, inDims..., reps...]
napi_value TileOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[3];
    arg_value(env, info, 3, v);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, v[2], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float64_array)
      throw Failure{"native: tile record must be a Float64Array"};
    const double* d = static_cast<const double*>(data);
    const int rank = static_cast<int>(d[0]);
    if (rank < 1 || rank > kMaxRank || length != static_cast<size_t>(1 + 2 * rank)) throw Failure{"native: bad tile record"};
    int64_t in[kMaxRank], out_dims[kMaxRank];
    int64_t n_in = 1, n_out = 1;
    for (int i = 0; i < rank; ++i) {
      in[i] = static_cast<int64_t>(d[1 + i]);
      out_dims[i] = in[i] * static_cast<int64_t>(d[1 + rank + i]);
      n_in *= in[i];
      n_out *= out_dims[i];
    }
    const float* x = f32(env, v[0], n_in, "x");
    float* out = f32(env, v[1], n_out, "out");
    // Express tile as a broadcast-copy: out coordinate c reads x at c % in (per dim). Rows along the last dim.
    const int last = rank - 1;
    const int64_t inner = out_dims[last];
    const int64_t rows = inner == 0 ? 0 : n_out / inner;
    int64_t in_strides[kMaxRank];
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) in_strides[i] = s, s *= in[i];
    parallel_chunks(rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, inner)), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        int64_t rem = r, src = 0;
        for (int i = last - 1; i >= 0; --i) {
          const int64_t c = rem % out_dims[i];
          rem /= out_dims[i];
          src += (c % in[i]) * in_strides[i];
        }
        float* dst = out + r * inner;
        const float* row = x + src;
        for (int64_t c = 0; c < inner; c += in[last]) std::memcpy(dst + c, row, in[last] * sizeof(float));
      }
    });
    return undefined(env);
  });
}

// batchNorm(x, mean, variance, offset|null, scale|null, out, channels, eps): per-channel (last axis) normalisation;
// each of mean/variance/offset/scale has `channels` values or 1.
napi_value BatchNormOp(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    arg_value(env, info, 8, v);
    const int64_t channels = i64(env, v[6], "channels");
    const float eps = static_cast<float>(num(env, v[7], "eps"));
    size_t n = 0;
    napi_get_typedarray_info(env, v[0], nullptr, &n, nullptr, nullptr, nullptr);
    if (channels == 0 || n % channels != 0) throw Failure{"native: batchNorm size is not a multiple of channels"};
    const std::vector<float> mean = per_channel(env, v[1], "batchNorm mean", channels, 0.0f);
    const std::vector<float> var = per_channel(env, v[2], "batchNorm variance", channels, 1.0f);
    const std::vector<float> offset = per_channel(env, v[3], "batchNorm offset", channels, 0.0f);
    const std::vector<float> scale = per_channel(env, v[4], "batchNorm scale", channels, 1.0f);
    std::vector<float> mul;
    const float* x = f32(env, v[0], static_cast<int64_t>(n), "x");
    float* out = f32(env, v[5], static_cast<int64_t>(n), "out");
    // Same arithmetic order as the cpu backend: offset + (x - mean) * scale / sqrt(variance + eps).
    mul.resize(channels);
    for (int64_t c = 0; c < channels; ++c) mul[c] = 1.0f / std::sqrt(var[c] + eps);
    const int64_t rows = static_cast<int64_t>(n) / channels;
    parallel_chunks(rows, std::max<int64_t>(1, kGrain / channels), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        const float* xr = x + r * channels;
        float* yr = out + r * channels;
        for (int64_t c = 0; c < channels; ++c) yr[c] = offset[c] + (xr[c] - mean[c]) * scale[c] * mul[c];
      }
    });
    return undefined(env);
  });
}

}  // namespace

void register_elementwise(napi_env env, napi_value exports) {
  struct Entry {
    const char* name;
    napi_callback fn;
  } entries[] = {{"unary", UnaryOp}, {"binary", BinaryOp}, {"compare", CompareOp}, {"select", SelectOp},
                 {"reduce", ReduceOp}, {"tile", TileOp}, {"batchNorm", BatchNormOp}};
  for (const Entry& e : entries) {
    napi_value f;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &f);
    napi_set_named_property(env, exports, e.name, f);
  }
}

}  // namespace ganflow
