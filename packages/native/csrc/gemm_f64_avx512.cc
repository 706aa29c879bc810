// AVX-512F float64 micro-kernel of cross_product_f64: 12x16 tile, 24 zmm accumulators.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx512f,avx2,fma")
#include <immintrin.h>

#include "gemm_f64_kernels.h"

namespace ganflow {

void f64_tile_avx512(long kc, const double* a, const double* b, double* acc) {
  constexpr int MR = kF64Avx512Mr, NR = kF64Avx512Nr;
  __m512d c0[MR], c1[MR];
#pragma GCC unroll 12
  for (int i = 0; i < MR; ++i) c0[i] = c1[i] = _mm512_setzero_pd();
  for (long k = 0; k < kc; ++k) {
    const __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
#pragma GCC unroll 12
    for (int i = 0; i < MR; ++i) {
      const __m512d ai = _mm512_set1_pd(a[i]);
      c0[i] = _mm512_fmadd_pd(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_pd(ai, b1, c1[i]);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 12
  for (int i = 0; i < MR; ++i) {
    _mm512_storeu_pd(acc + i * NR, c0[i]);
    _mm512_storeu_pd(acc + i * NR + 8, c1[i]);
  }
}

}  // namespace ganflow
#endif
