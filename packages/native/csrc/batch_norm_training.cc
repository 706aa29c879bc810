// Batch norm in training mode over x viewed as [rows, C] (per channel, statistics over all rows), preceded by an
// optional per-channel bias (a convolution's: x + bias is formed in float32 on the fly, as tf.add would) and followed
// by an optional activation, as two fused kernels instead of the ~25 single-op passes tfjs composes (bias add, moments,
// batchNorm, activation, and their gradients). Below x stands for x + bias:
//   forward:  mean = Σx/N, var = Σ(x-mean)²/N (biased), z = offset + (x - mean)·scale·(1/sqrt(var+eps)), y = act(z)
//   backward: g = act'(y)·dy, Σg, Σg·x̂ (x̂ = (x-mean)/sqrt(var+eps)), then
//             dx = scale/sqrt(var+eps)·(g - Σg/N - x̂·Σg·x̂/N) + dmean/N + dvar·2(x-mean)/N,
//             dscale = Σg·x̂, doffset = Σg, dbias = Σdx   (dmean, dvar: gradients reaching the mean / variance
//             outputs, usually 0; dbias is 0 up to rounding, as in the composed graph)
// Sums accumulate in double like the cpu backend's reductions (mean and var round to float32 exactly as tf.moments
// does: the float32 (x - mean) is squared in float32, then summed). Rows are split into a fixed number of blocks
// that depends only on the shape; per-block partial sums are combined in block order, so results are identical for
// any thread count and run to run.
#include "batch_norm_training.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "napi_args.h"
#include "thread_pool.h"

namespace ganflow {
namespace {
using namespace napi_args;

enum class Activation { kLinear = 0, kRelu = 1, kLeakyRelu = 2 };

constexpr int64_t kBlockFloats = 1 << 15;  // elements per row block (a task)
constexpr int64_t kMaxBlocks = 256;

// Fixed row blocks for a [rows, C] view: the partition depends on the shape only.
struct RowBlocks {
  int64_t rows_per_block, blocks;
  RowBlocks(int64_t rows, int64_t channels) {
    rows_per_block = std::max<int64_t>(1, kBlockFloats / std::max<int64_t>(1, channels));
    rows_per_block = std::max(rows_per_block, (rows + kMaxBlocks - 1) / kMaxBlocks);
    blocks = rows == 0 ? 0 : (rows + rows_per_block - 1) / rows_per_block;
  }
};

template <typename F>
void run_blocks(const RowBlocks& rb, int64_t rows, F&& body) {
  auto task = [&](int t, int) {
    const int64_t b = t * rb.rows_per_block;
    body(t, b, std::min(rows, b + rb.rows_per_block));
  };
  if (rb.blocks <= 1) {
    for (int t = 0; t < rb.blocks; ++t) task(t, 0);
  } else {
    global_pool().run(static_cast<int>(rb.blocks), task);
  }
}

// acc[c] += Σ_r x[r, c] over rows [b, e).
__attribute__((target_clones("avx512f", "avx2", "default")))
void column_sums(const float* __restrict x, const float* __restrict bias, int64_t C, int64_t b, int64_t e,
                 double* __restrict acc) {
  for (int64_t r = b; r < e; ++r) {
    const float* xr = x + r * C;
    for (int64_t c = 0; c < C; ++c) acc[c] += static_cast<double>(xr[c] + bias[c]);
  }
}

// acc[c] += Σ_r float32((x[r, c] - mean[c])²) over rows [b, e): tf.moments' Sub, Square, then a double sum.
__attribute__((target_clones("avx512f", "avx2", "default")))
void squared_deviation_sums(const float* __restrict x, const float* __restrict bias, const float* __restrict mean,
                            int64_t C, int64_t b, int64_t e, double* __restrict acc) {
  for (int64_t r = b; r < e; ++r) {
    const float* xr = x + r * C;
    for (int64_t c = 0; c < C; ++c) {
      const float d = (xr[c] + bias[c]) - mean[c];
      acc[c] += static_cast<double>(d * d);
    }
  }
}

// y = act(offset + (x - mean) * scale * mul), the native batchNorm kernel's arithmetic order.
__attribute__((target_clones("avx512f", "avx2", "default")))
void normalize_rows(const float* __restrict x, const float* __restrict bias, const float* __restrict mean, const float* __restrict scale,
                    const float* __restrict mul, const float* __restrict offset, int64_t C, int64_t b, int64_t e,
                    Activation act, float alpha, float* __restrict y) {
  for (int64_t r = b; r < e; ++r) {
    const float* xr = x + r * C;
    float* yr = y + r * C;
    if (act == Activation::kLinear) {
      for (int64_t c = 0; c < C; ++c) yr[c] = offset[c] + ((xr[c] + bias[c]) - mean[c]) * scale[c] * mul[c];
    } else if (act == Activation::kRelu) {
      for (int64_t c = 0; c < C; ++c) {
        const float z = offset[c] + ((xr[c] + bias[c]) - mean[c]) * scale[c] * mul[c];
        yr[c] = z < 0.0f ? 0.0f : z;
      }
    } else {
      for (int64_t c = 0; c < C; ++c) {
        const float z = offset[c] + ((xr[c] + bias[c]) - mean[c]) * scale[c] * mul[c];
        yr[c] = z < 0.0f ? z * alpha : z;
      }
    }
  }
}

// g = act'(y) * dy as tfjs' gradients compute it: Relu dy·step(x) (0 at 0), LeakyRelu x > 0 ? dy : dy·alpha
// (the activation output y has the sign of its input, alpha > 0).
inline float activation_grad(Activation act, float y, float dy, float alpha) {
  if (act == Activation::kRelu) return y > 0.0f ? dy : 0.0f;
  if (act == Activation::kLeakyRelu) return y > 0.0f ? dy : dy * alpha;
  return dy;
}

// acc_g[c] += Σ g, acc_gx[c] += Σ g·(x - mean) over rows [b, e).
__attribute__((target_clones("avx512f", "avx2", "default")))
void gradient_sums(const float* __restrict dy, const float* __restrict y, const float* __restrict x,
                   const float* __restrict bias, const float* __restrict mean, int64_t C, int64_t b, int64_t e, Activation act, float alpha,
                   double* __restrict acc_g, double* __restrict acc_gx) {
  for (int64_t r = b; r < e; ++r) {
    const float* dyr = dy + r * C;
    const float* xr = x + r * C;
    const float* yr = y ? y + r * C : dyr;
    for (int64_t c = 0; c < C; ++c) {
      const float g = activation_grad(act, yr[c], dyr[c], alpha);
      acc_g[c] += static_cast<double>(g);
      acc_gx[c] += static_cast<double>(g) * static_cast<double>((xr[c] + bias[c]) - mean[c]);
    }
  }
}

// dx = k_g·g - k_0 - (x - mean)·k_x with per-channel float coefficients (see Backward); dbias_acc[c] += Σ dx.
__attribute__((target_clones("avx512f", "avx2", "default")))
void input_gradient_rows(const float* __restrict dy, const float* __restrict y, const float* __restrict x,
                         const float* __restrict bias, const float* __restrict mean, const float* __restrict kg,
                         const float* __restrict k0, const float* __restrict kx, int64_t C, int64_t b, int64_t e,
                         Activation act, float alpha, float* __restrict dx, double* __restrict dbias_acc) {
  for (int64_t r = b; r < e; ++r) {
    const float* dyr = dy + r * C;
    const float* xr = x + r * C;
    const float* yr = y ? y + r * C : dyr;
    float* dxr = dx + r * C;
    for (int64_t c = 0; c < C; ++c) {
      const float g = activation_grad(act, yr[c], dyr[c], alpha);
      const float d = kg[c] * g - k0[c] - ((xr[c] + bias[c]) - mean[c]) * kx[c];
      dxr[c] = d;
      if (dbias_acc) dbias_acc[c] += static_cast<double>(d);
    }
  }
}

Activation activation(napi_env env, napi_value v) {
  const int64_t a = i64(env, v, "activation");
  if (a > 2) throw Failure{"native: batch norm activation must be 0 (linear), 1 (relu) or 2 (leakyrelu)"};
  return static_cast<Activation>(a);
}

// The arguments both entry points share: channels (and the rows of x that gives), eps, activation, alpha.
struct Settings {
  int64_t channels, rows;
  float eps;
  Activation act;
  float alpha;
};

Settings settings(napi_env env, napi_value x, const napi_value* from_channels) {
  Settings s;
  s.channels = i64(env, from_channels[0], "channels");
  s.eps = static_cast<float>(num(env, from_channels[1], "eps"));
  s.act = activation(env, from_channels[2]);
  s.alpha = static_cast<float>(num(env, from_channels[3], "alpha"));
  size_t n = 0;
  f32(env, x, 0, "x");
  napi_get_typedarray_info(env, x, nullptr, &n, nullptr, nullptr, nullptr);
  if (s.channels <= 0 || static_cast<int64_t>(n) % s.channels != 0)
    throw Failure{"native: batch norm size is not a multiple of channels"};
  s.rows = static_cast<int64_t>(n) / s.channels;
  if (s.rows == 0) throw Failure{"native: batch norm over an empty batch"};
  return s;
}

// Sums per block into partial[block][C], then combines the blocks in order into out[C].
template <typename F>
void blocked_sums(const RowBlocks& rb, int64_t rows, int64_t C, int count, F&& accumulate, std::vector<double>* out) {
  std::vector<double> partial(static_cast<size_t>(rb.blocks) * count * C, 0.0);
  run_blocks(rb, rows, [&](int t, int64_t b, int64_t e) { accumulate(b, e, partial.data() + static_cast<size_t>(t) * count * C); });
  out->assign(static_cast<size_t>(count) * C, 0.0);
  for (int64_t t = 0; t < rb.blocks; ++t)
    for (int64_t i = 0; i < count * C; ++i) (*out)[i] += partial[static_cast<size_t>(t) * count * C + i];
}

// batchNormTrainingForward(x, scale|null, offset|null, y, mean, variance, channels, eps, activation, alpha, bias|null)
napi_value Forward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[11];
    arg_value(env, info, 11, v);
    const Settings st = settings(env, v[0], v + 6);
    const int64_t C = st.channels, rows = st.rows;
    const float eps = st.eps, alpha = st.alpha;
    const Activation act = st.act;
    const float* x = f32(env, v[0], rows * C, "x");
    const std::vector<float> scale = per_channel(env, v[1], "batch norm scale", C, 1.0f);
    const std::vector<float> offset = per_channel(env, v[2], "batch norm offset", C, 0.0f);
    const std::vector<float> bias = per_channel(env, v[10], "batch norm bias", C, 0.0f);
    float* y = f32(env, v[3], rows * C, "y");
    float* mean = f32(env, v[4], C, "mean");
    float* var = f32(env, v[5], C, "variance");
    const RowBlocks rb(rows, C);
    std::vector<double> sums;
    blocked_sums(rb, rows, C, 1, [&](int64_t b, int64_t e, double* acc) { column_sums(x, bias.data(), C, b, e, acc); }, &sums);
    for (int64_t c = 0; c < C; ++c) mean[c] = static_cast<float>(sums[c] / static_cast<double>(rows));
    blocked_sums(rb, rows, C, 1, [&](int64_t b, int64_t e, double* acc) { squared_deviation_sums(x, bias.data(), mean, C, b, e, acc); }, &sums);
    std::vector<float> mul(C);
    for (int64_t c = 0; c < C; ++c) {
      var[c] = static_cast<float>(sums[c] / static_cast<double>(rows));
      mul[c] = 1.0f / std::sqrt(var[c] + eps);
    }
    run_blocks(rb, rows, [&](int, int64_t b, int64_t e) {
      normalize_rows(x, bias.data(), mean, scale.data(), mul.data(), offset.data(), C, b, e, act, alpha, y);
    });
    return undefined(env);
  });
}

// batchNormTrainingBackward(dy, x, y|null, scale|null, mean, variance, dmean|null, dvariance|null, dx, dscale,
//                           doffset, channels, eps, activation, alpha, bias|null, dbias|null); y (the forward output)
//                           is needed unless linear; dbias is written when given.
napi_value Backward(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[17];
    arg_value(env, info, 17, v);
    const Settings st = settings(env, v[1], v + 11);
    const int64_t C = st.channels, rows = st.rows;
    const float eps = st.eps, alpha = st.alpha;
    const Activation act = st.act;
    const float* dy = f32(env, v[0], rows * C, "dy");
    const float* x = f32(env, v[1], rows * C, "x");
    napi_valuetype yt;
    napi_typeof(env, v[2], &yt);
    const bool has_y = yt != napi_null && yt != napi_undefined;
    if (act != Activation::kLinear && !has_y) throw Failure{"native: batch norm backward needs y for its activation"};
    const float* y = has_y ? f32(env, v[2], rows * C, "y") : nullptr;
    const std::vector<float> scale = per_channel(env, v[3], "batch norm scale", C, 1.0f);
    const float* mean = f32(env, v[4], C, "mean");
    const float* var = f32(env, v[5], C, "variance");
    const std::vector<float> dmean = per_channel(env, v[6], "batch norm dmean", C, 0.0f);
    const std::vector<float> dvar = per_channel(env, v[7], "batch norm dvariance", C, 0.0f);
    float* dx = f32(env, v[8], rows * C, "dx");
    float* dscale = f32(env, v[9], C, "dscale");
    float* doffset = f32(env, v[10], C, "doffset");
    const std::vector<float> bias = per_channel(env, v[15], "batch norm bias", C, 0.0f);
    napi_valuetype dbt;
    napi_typeof(env, v[16], &dbt);
    float* dbias = dbt == napi_null || dbt == napi_undefined ? nullptr : f32(env, v[16], C, "dbias");
    const RowBlocks rb(rows, C);
    std::vector<double> sums;  // [Σg (C), Σg·(x-mean) (C)]
    blocked_sums(rb, rows, C, 2, [&](int64_t b, int64_t e, double* acc) {
      gradient_sums(dy, y, x, bias.data(), mean, C, b, e, act, alpha, acc, acc + C);
    }, &sums);
    // With s = 1/sqrt(var+eps) (in float32 as the forward pass), x̂ = (x-mean)·s:
    //   dx = scale·s·g - scale·s·Σg/N + dmean/N - (x-mean)·(scale·s³·Σg(x-mean)/N - 2·dvar/N)
    std::vector<float> kg(C), k0(C), kx(C);
    const double n = static_cast<double>(rows);
    for (int64_t c = 0; c < C; ++c) {
      const double s = static_cast<double>(1.0f / std::sqrt(var[c] + eps));
      const double sum_g = sums[c], sum_gx = sums[C + c];
      doffset[c] = static_cast<float>(sum_g);
      dscale[c] = static_cast<float>(sum_gx * s);
      kg[c] = static_cast<float>(scale[c] * s);
      k0[c] = static_cast<float>(scale[c] * s * sum_g / n - dmean[c] / n);
      kx[c] = static_cast<float>(scale[c] * s * s * s * sum_gx / n - 2.0 * dvar[c] / n);
    }
    std::vector<double> dbias_sums;
    blocked_sums(rb, rows, C, 1, [&](int64_t b, int64_t e, double* acc) {
      input_gradient_rows(dy, y, x, bias.data(), mean, kg.data(), k0.data(), kx.data(), C, b, e, act, alpha, dx,
                          dbias ? acc : nullptr);
    }, &dbias_sums);
    if (dbias)
      for (int64_t c = 0; c < C; ++c) dbias[c] = static_cast<float>(dbias_sums[c]);
    return undefined(env);
  });
}

}  // namespace

void register_batch_norm_training(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "batchNormTrainingForward", NAPI_AUTO_LENGTH, Forward, nullptr, &f);
  napi_set_named_property(env, exports, "batchNormTrainingForward", f);
  napi_create_function(env, "batchNormTrainingBackward", NAPI_AUTO_LENGTH, Backward, nullptr, &f);
  napi_set_named_property(env, exports, "batchNormTrainingBackward", f);
}

}  // namespace ganflow
