// Fused Adam update with PyTorch's rule, one pass per variable instead of ~10 separate elementwise passes:
//   m' = m*b1 + g*(1-b1);  v' = v*b2 + g*g*(1-b2);  x' = x - stepSize * (m' / (sqrt(v')/sqrtCorrection2 + eps))
// Every product, sum and quotient is a separate float32 operation in the same order and with the same float32
// constants as the composed tfjs ops (@ganflow/trainers' AdamOptimizer), and nothing is contracted into an FMA
// (baseline x86-64 has none, and -std=c++17 implies -ffp-contract=off), so the result is bit-identical to the
// composed ops on the cpu backend. Each element is written by
// one task of a fixed chunking: identical for any thread count.
#include "adam.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "napi_args.h"
#include "thread_pool.h"

namespace ganflow {
namespace {
using namespace napi_args;

constexpr int64_t kAdamGrain = 1 << 15;  // elements per task; smaller variables run on the calling thread

struct AdamConstants {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, sqrtCorrection2, epsilon;
};

// The seven arrays never overlap (restrict lets GCC vectorise without run-time alias checks). Cloned for AVX-512 and
// AVX2 (picked at load time): the square root and two divisions per element make this compute-bound at SSE width.
// IEEE sqrt/div/mul/add give the same bits at any width (binding.gyp: -ffp-contract=off, no FMA contraction).
__attribute__((target_clones("avx512f", "avx2", "default")))
void adam_range(const float* __restrict x, const float* __restrict g, const float* __restrict m,
                const float* __restrict v, float* __restrict xo, float* __restrict mo, float* __restrict vo,
                const AdamConstants& c, int64_t b, int64_t e) {
  for (int64_t i = b; i < e; ++i) {
    const float gi = g[i];
    const float mi = m[i] * c.beta1 + gi * c.oneMinusBeta1;
    const float vi = v[i] * c.beta2 + (gi * gi) * c.oneMinusBeta2;
    const float denominator = std::sqrt(vi) / c.sqrtCorrection2 + c.epsilon;
    xo[i] = x[i] - c.stepSize * (mi / denominator);
    mo[i] = mi;
    vo[i] = vi;
  }
}

// adamUpdate(x, g, m, v, xOut, mOut, vOut, n, constants: Float64Array[beta1, 1-beta1, beta2, 1-beta2, stepSize,
// sqrtCorrection2, epsilon]); the outputs are distinct arrays from the inputs.
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value a[9];
    arg_value(env, info, 9, a);
    const int64_t n = i64(env, a[7], "n");
    const float* x = f32(env, a[0], n, "x");
    const float* g = f32(env, a[1], n, "gradient");
    const float* m = f32(env, a[2], n, "firstMoment");
    const float* v = f32(env, a[3], n, "secondMoment");
    float* xo = f32(env, a[4], n, "xOut");
    float* mo = f32(env, a[5], n, "firstMomentOut");
    float* vo = f32(env, a[6], n, "secondMomentOut");
    bool is_typed = false;
    check(env, napi_is_typedarray(env, a[8], &is_typed), "is_typedarray");
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (is_typed) check(env, napi_get_typedarray_info(env, a[8], &type, &length, &data, nullptr, nullptr), "typedarray_info");
    if (!is_typed || type != napi_float64_array || length != 7)
      throw Failure{"native: adamUpdate constants must be a Float64Array of 7 numbers"};
    const double* k = static_cast<const double*>(data);
    const AdamConstants c{static_cast<float>(k[0]), static_cast<float>(k[1]), static_cast<float>(k[2]),
                          static_cast<float>(k[3]), static_cast<float>(k[4]), static_cast<float>(k[5]),
                          static_cast<float>(k[6])};
    if (n <= kAdamGrain) {
      adam_range(x, g, m, v, xo, mo, vo, c, 0, n);
    } else {
      const int64_t chunks = (n + kAdamGrain - 1) / kAdamGrain;
      global_pool().run(static_cast<int>(chunks), [&](int t, int) {
        const int64_t b = t * kAdamGrain;
        adam_range(x, g, m, v, xo, mo, vo, c, b, std::min(n, b + kAdamGrain));
      });
    }
    return undefined(env);
  });
}

}  // namespace

void register_adam(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "adamUpdate", NAPI_AUTO_LENGTH, AdamUpdate, nullptr, &f);
  napi_set_named_property(env, exports, "adamUpdate", f);
}

}  // namespace ganflow
