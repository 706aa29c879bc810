// Double-precision cross product C += Aᵀ·B for row-major matrices whose shared dimension runs down the
// rows (A is k x m, B is k x n, C is m x n): the scatter matrix of a sample matrix and the other dense
// products of the FID maths in @ganflow/metrics. Cache-blocked with packed panels, threaded on the global
// pool, register-tiled micro-kernel chosen at run time (AVX-512, AVX2+FMA, portable).
#pragma once
#include <cstdint>

namespace ganflow {

struct CrossProductF64Args {
  const double* a = nullptr;  // k x m
  const double* b = nullptr;  // k x n
  double* c = nullptr;        // m x n, accumulated into
  int64_t k = 0, m = 0, n = 0;
  // Only C[i][j] with j >= (i & ~3) is written (the upper triangle plus the lower halves of diagonal 4x4
  // blocks, as @ganflow/metrics' accumulateCrossProduct documents); everything further below is untouched.
  bool upper = false;
  bool a_lower = false;  // A[s][i] == 0 for s < i: rows of A above a block's first column are skipped
  bool b_lower = false;  // B[s][j] == 0 for s < j: likewise for B
};

/**
 * Runs the product on the global thread pool. Each element of C is summed by exactly one task in a fixed
 * order, so the result does not depend on the thread count.
 */
void cross_product_f64(const CrossProductF64Args& args);

/** Instruction set of the float64 kernel in use: "avx512", "avx2" or "portable". */
const char* cross_product_f64_isa();

}  // namespace ganflow
