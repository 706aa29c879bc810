// AVX2+FMA float64 micro-kernel of cross_product_f64: 6x8 tile, 12 ymm accumulators.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#include <immintrin.h>

#include "gemm_f64_kernels.h"

namespace ganflow {

void f64_tile_avx2(long kc, const double* a, const double* b, double* acc) {
  constexpr int MR = kF64Avx2Mr, NR = kF64Avx2Nr;
  __m256d c0[MR], c1[MR];
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) c0[i] = c1[i] = _mm256_setzero_pd();
  for (long k = 0; k < kc; ++k) {
    const __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
      c0[i] = _mm256_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_pd(ai, b1, c1[i]);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 6
  for (int i = 0; i < MR; ++i) {
    _mm256_storeu_pd(acc + i * NR, c0[i]);
    _mm256_storeu_pd(acc + i * NR + 4, c1[i]);
  }
}

}  // namespace ganflow
#endif
