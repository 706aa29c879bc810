// Blocked Householder tridiagonalisation (symmetric_tridiagonal_f64.h). The active matrix is kept
// contiguous (stride = its size) at the start of one scratch buffer with its upper triangle valid, so
// each panel's rank-2k update is a plain call of the float64 cross-product kernel; after a panel the
// trailing block is moved up in place (every row moves to a lower address, so rows are moved in order).
#include "symmetric_tridiagonal_f64.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "gemm_f64.h"
#include "thread_pool.h"

namespace ganflow {
namespace {

constexpr int64_t kPanel = 32;        // columns reduced per rank-2k update
constexpr int64_t kUnblocked = 128;   // an active size at or below this is finished as one panel
constexpr int kProductTasks = 8;      // fixed split of each matrix-vector product (result independent of threads)
constexpr int64_t kSplitFrom = 256;   // smaller products run as one task

// Adds A[j][k]·vj into y[k] for k in [from, to) and returns Σ A[j][k]·v[k] over the same k.
__attribute__((target("avx2,fma"))) double row_product_avx2(const double* row, const double* v, double* y,
                                                             int64_t from, int64_t to, double vj) {
  __m256d acc0 = _mm256_setzero_pd(), acc1 = _mm256_setzero_pd();
  const __m256d s = _mm256_set1_pd(vj);
  int64_t k = from;
  for (; k + 8 <= to; k += 8) {
    const __m256d a0 = _mm256_loadu_pd(row + k), a1 = _mm256_loadu_pd(row + k + 4);
    acc0 = _mm256_fmadd_pd(a0, _mm256_loadu_pd(v + k), acc0);
    acc1 = _mm256_fmadd_pd(a1, _mm256_loadu_pd(v + k + 4), acc1);
    _mm256_storeu_pd(y + k, _mm256_fmadd_pd(a0, s, _mm256_loadu_pd(y + k)));
    _mm256_storeu_pd(y + k + 4, _mm256_fmadd_pd(a1, s, _mm256_loadu_pd(y + k + 4)));
  }
  acc0 = _mm256_add_pd(acc0, acc1);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, acc0);
  double acc = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; k < to; ++k) {
    acc += row[k] * v[k];
    y[k] += row[k] * vj;
  }
  return acc;
}

double row_product_portable(const double* row, const double* v, double* y, int64_t from, int64_t to, double vj) {
  double acc0 = 0, acc1 = 0;
  int64_t k = from;
  for (; k + 2 <= to; k += 2) {
    acc0 += row[k] * v[k];
    acc1 += row[k + 1] * v[k + 1];
    y[k] += row[k] * vj;
    y[k + 1] += row[k + 1] * vj;
  }
  for (; k < to; ++k) {
    acc0 += row[k] * v[k];
    y[k] += row[k] * vj;
  }
  return acc0 + acc1;
}

using RowProduct = double (*)(const double*, const double*, double*, int64_t, int64_t, double);

RowProduct row_product() {
  static const RowProduct chosen = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                                       ? row_product_avx2
                                       : row_product_portable;
  return chosen;
}

double dot(const double* x, const double* y, int64_t from, int64_t to) {
  double acc = 0;
  for (int64_t k = from; k < to; ++k) acc += x[k] * y[k];
  return acc;
}

// y[s..m) = A[s..m, s..m]·v[s..m) for the active matrix a (stride m, upper triangle valid). Rows are split
// into tasks of equal triangle area, each with its own partial y; partials are summed in task order.
void symmetric_product(const double* a, int64_t m, int64_t s, const double* v, double* y,
                       std::vector<double>& partials) {
  const int64_t length = m - s;
  const int tasks = length >= kSplitFrom ? kProductTasks : 1;
  int64_t bounds[kProductTasks + 1];
  bounds[0] = s;
  for (int t = 1; t < tasks; ++t) {
    const double left = static_cast<double>(length) * std::sqrt(1.0 - static_cast<double>(t) / tasks);
    bounds[t] = std::clamp<int64_t>(m - static_cast<int64_t>(std::llround(left)), bounds[t - 1], m);
  }
  bounds[tasks] = m;
  const RowProduct kernel = row_product();
  auto work = [&](int t, int) {
    double* part = partials.data() + static_cast<int64_t>(t) * m;
    std::fill(part + bounds[t], part + m, 0.0);
    for (int64_t j = bounds[t]; j < bounds[t + 1]; ++j) {
      const double* row = a + j * m;
      const double acc = kernel(row, v, part, j + 1, m, v[j]);
      part[j] += acc + row[j] * v[j];
    }
  };
  if (tasks == 1) {
    work(0, 0);
  } else {
    global_pool().run(tasks, work);
  }
  std::copy(partials.data() + s, partials.data() + m, y + s);
  for (int t = 1; t < tasks; ++t) {
    const double* part = partials.data() + static_cast<int64_t>(t) * m;
    for (int64_t k = bounds[t]; k < m; ++k) y[k] += part[k];
  }
}

}  // namespace

void symmetric_tridiagonal_f64(const double* lower, int64_t n, double* diagonal, double* off_diagonal) {
  if (n <= 0) return;
  off_diagonal[0] = 0;
  // Upper-triangle copy (the transpose of the lower triangle), in tiles.
  std::vector<double> matrix(static_cast<size_t>(n * n));
  constexpr int64_t tile = 32;
  for (int64_t j0 = 0; j0 < n; j0 += tile)
    for (int64_t k0 = j0; k0 < n; k0 += tile)
      for (int64_t k = k0; k < std::min(n, k0 + tile); ++k)
        for (int64_t j = j0; j < std::min({n, j0 + tile, k + 1}); ++j) matrix[j * n + k] = lower[k * n + j];

  const int64_t reflector_rows = std::max(kPanel * n, kUnblocked * kUnblocked);
  std::vector<double> vt(static_cast<size_t>(reflector_rows)), wt(static_cast<size_t>(reflector_rows));
  std::vector<double> partials(static_cast<size_t>(kProductTasks * n));
  std::vector<double> pack_a(static_cast<size_t>(2 * kPanel * n)), pack_b(static_cast<size_t>(2 * kPanel * n));
  double* a = matrix.data();

  for (int64_t done = 0; done < n;) {
    const int64_t m = n - done;
    const int64_t width = m <= kUnblocked ? m : kPanel;
    // Panel: reduce columns 0..width-1 of the active matrix; V and W (stored transposed, stride m) hold
    // the pending two-sided update A − V·Wᵀ − W·Vᵀ of everything right of and below the panel.
    for (int64_t i = 0; i < width; ++i) {
      double* row = a + i * m;
      for (int64_t t = 0; t < i; ++t) {
        const double* vr = vt.data() + t * m;
        const double* wr = wt.data() + t * m;
        const double wi = wr[i], vi = vr[i];
        for (int64_t k = i; k < m; ++k) row[k] -= vr[k] * wi + wr[k] * vi;
      }
      diagonal[done + i] = row[i];
      if (i + 1 >= m) break;
      double* v = vt.data() + i * m;
      double* w = wt.data() + i * m;
      const double alpha = row[i + 1];
      const double tail = std::sqrt(dot(row, row, i + 2, m));
      if (tail == 0) {
        off_diagonal[done + i + 1] = alpha;
        std::fill(v + i + 1, v + m, 0.0);
        std::fill(w + i + 1, w + m, 0.0);
        continue;
      }
      const double beta = -std::copysign(std::hypot(alpha, tail), alpha);
      const double tau = (beta - alpha) / beta;
      const double scale = 1 / (alpha - beta);
      off_diagonal[done + i + 1] = beta;
      v[i + 1] = 1;
      for (int64_t k = i + 2; k < m; ++k) v[k] = row[k] * scale;
      symmetric_product(a, m, i + 1, v, w, partials);
      for (int64_t t = 0; t < i; ++t) {
        const double* vr = vt.data() + t * m;
        const double* wr = wt.data() + t * m;
        const double cw = dot(wr, v, i + 1, m), cv = dot(vr, v, i + 1, m);
        for (int64_t k = i + 1; k < m; ++k) w[k] -= vr[k] * cw + wr[k] * cv;
      }
      for (int64_t k = i + 1; k < m; ++k) w[k] *= tau;
      const double shift = -0.5 * tau * dot(w, v, i + 1, m);
      for (int64_t k = i + 1; k < m; ++k) w[k] += shift * v[k];
    }
    if (width == m) break;
    // Trailing block: move it to the front (stride m − width), then A −= V·Wᵀ + W·Vᵀ as one product
    // C += Pᵀ·Q with P = [−Vᵀ; −Wᵀ] and Q = [Wᵀ; Vᵀ] (2·width x rest).
    const int64_t rest = m - width;
    for (int64_t t = 0; t < width; ++t) {
      const double* vr = vt.data() + t * m + width;
      const double* wr = wt.data() + t * m + width;
      double* p_v = pack_a.data() + t * rest;
      double* p_w = pack_a.data() + (width + t) * rest;
      std::memcpy(pack_b.data() + t * rest, wr, rest * sizeof(double));
      std::memcpy(pack_b.data() + (width + t) * rest, vr, rest * sizeof(double));
      for (int64_t r = 0; r < rest; ++r) {
        p_v[r] = -vr[r];
        p_w[r] = -wr[r];
      }
    }
    for (int64_t r = 0; r < rest; ++r)
      std::memmove(a + r * rest + r, a + (r + width) * m + width + r, (rest - r) * sizeof(double));
    CrossProductF64Args g;
    g.a = pack_a.data();
    g.b = pack_b.data();
    g.c = a;
    g.k = 2 * width;
    g.m = rest;
    g.n = rest;
    g.upper = true;
    cross_product_f64(g);
    done += width;
  }
}

}  // namespace ganflow
