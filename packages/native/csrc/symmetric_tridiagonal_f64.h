// Householder reduction of a dense real symmetric float64 matrix to tridiagonal form (eigenvalues only,
// the reflectors are not kept): the first phase of @ganflow/metrics' symmetric eigenvalue solver.
// Blocked like LAPACK dsytrd/dlatrd: each panel of columns is reduced with threaded symmetric
// matrix-vector products, then the trailing matrix gets one rank-2k update on the threaded float64
// cross-product kernel (gemm_f64.h).
#pragma once
#include <cstdint>

namespace ganflow {

/**
 * Reduces the symmetric n x n matrix whose lower triangle is `lower` (row-major; nothing above the
 * diagonal is read, nothing is written) to a tridiagonal matrix with the same eigenvalues:
 * diagonal[i] (i < n) and off_diagonal[i] coupling rows i-1 and i (off_diagonal[0] = 0).
 */
void symmetric_tridiagonal_f64(const double* lower, int64_t n, double* diagonal, double* off_diagonal);

}  // namespace ganflow
