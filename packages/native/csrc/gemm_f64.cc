#include "gemm_f64.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "gemm_f64_kernels.h"
#include "thread_pool.h"

namespace ganflow {

// Portable micro-kernel (any CPU): 4x4 tile in plain loops.
void f64_tile_portable(long kc, const double* a, const double* b, double* acc) {
  constexpr int MR = kF64PortableMr, NR = kF64PortableNr;
  double c[MR * NR] = {0};
  for (long k = 0; k < kc; ++k) {
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) c[i * NR + j] += a[i] * b[j];
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR * NR; ++i) acc[i] = c[i];
}

namespace {

// Blocks: a KC-deep panel of B (NR columns) stays in L1, the MC x KC block of A in L2. MC and NC are
// multiples of every kernel's MR and NR.
constexpr int64_t kKc = 256;
constexpr int64_t kMc = 192;
constexpr int64_t kNc = 384;

const F64Kernel kPortable{"portable", kF64PortableMr, kF64PortableNr, f64_tile_portable};
#if defined(__x86_64__) || defined(_M_X64)
const F64Kernel kAvx2{"avx2", kF64Avx2Mr, kF64Avx2Nr, f64_tile_avx2};
const F64Kernel kAvx512{"avx512", kF64Avx512Mr, kF64Avx512Nr, f64_tile_avx512};
#endif

// The widest instruction set the float32 GEMM found on this CPU (gemm.h) picks the float64 tile too.
const F64Kernel& kernel() {
  static const F64Kernel* chosen = [] {
#if defined(__x86_64__) || defined(_M_X64)
    const char* best = gemm_best_isa();
    if (std::strcmp(best, "avx512") == 0) return &kAvx512;
    if (std::strcmp(best, "avx2") == 0) return &kAvx2;
#endif
    return &kPortable;
  }();
  return *chosen;
}

// Packs columns [c0, c0+cols) of rows [p0, p0+kc) of the row-major matrix x (leading dimension ld) into
// panels of `width` columns, k-major inside a panel, zero-padding the last panel.
void pack(const double* x, int64_t ld, int64_t p0, int64_t kc, int64_t c0, int64_t cols, int width, double* dst) {
  for (int64_t q = 0; q < cols; q += width) {
    const int64_t w = std::min<int64_t>(width, cols - q);
    double* panel = dst + q * kc;
    for (int64_t p = 0; p < kc; ++p) {
      const double* src = x + (p0 + p) * ld + c0 + q;
      double* d = panel + p * width;
      int64_t j = 0;
      for (; j < w; ++j) d[j] = src[j];
      for (; j < width; ++j) d[j] = 0.0;
    }
  }
}

// One MC x NC block of C: every KC slice of the shared dimension, packed and multiplied tile by tile.
void block(const CrossProductF64Args& g, const F64Kernel& kern, int64_t i0, int64_t mc, int64_t j0, int64_t nc,
           std::vector<double>& pa, std::vector<double>& pb) {
  const int mr = kern.mr, nr = kern.nr;
  int64_t s_begin = 0;
  if (g.a_lower) s_begin = std::max(s_begin, i0);
  if (g.b_lower) s_begin = std::max(s_begin, j0);
  // Whole KC slices only, so the partial sums (and the rounding) are those of the dense product.
  s_begin = s_begin / kKc * kKc;
  const int64_t mc_padded = (mc + mr - 1) / mr * mr, nc_padded = (nc + nr - 1) / nr * nr;
  pa.resize(static_cast<size_t>(mc_padded * kKc));
  pb.resize(static_cast<size_t>(nc_padded * kKc));
  double acc[16 * 16];
  for (int64_t p0 = s_begin; p0 < g.k; p0 += kKc) {
    const int64_t kc = std::min(kKc, g.k - p0);
    pack(g.a, g.m, p0, kc, i0, mc, mr, pa.data());
    pack(g.b, g.n, p0, kc, j0, nc, nr, pb.data());
    for (int64_t jj = 0; jj < nc; jj += nr) {
      const int64_t cols = std::min<int64_t>(nr, nc - jj);
      for (int64_t ii = 0; ii < mc; ii += mr) {
        const int64_t rows = std::min<int64_t>(mr, mc - ii);
        const int64_t row0 = i0 + ii, col0 = j0 + jj;
        // Tiles entirely below the written part of an upper product are skipped.
        if (g.upper && col0 + cols - 1 < (row0 & ~int64_t{3})) continue;
        kern.tile(kc, pa.data() + ii * kc, pb.data() + jj * kc, acc);
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t i = row0 + r;
          double* ci = g.c + i * g.n;
          const int64_t first = g.upper ? std::max<int64_t>(0, (i & ~int64_t{3}) - col0) : 0;
          for (int64_t q = first; q < cols; ++q) ci[col0 + q] += acc[r * nr + q];
        }
      }
    }
  }
}

}  // namespace

void cross_product_f64(const CrossProductF64Args& g) {
  if (g.k <= 0 || g.m <= 0 || g.n <= 0) return;
  const F64Kernel& kern = kernel();
  struct Task {
    int64_t i0, mc, j0, nc;
  };
  std::vector<Task> tasks;
  for (int64_t i0 = 0; i0 < g.m; i0 += kMc) {
    const int64_t mc = std::min(kMc, g.m - i0);
    for (int64_t j0 = 0; j0 < g.n; j0 += kNc) {
      const int64_t nc = std::min(kNc, g.n - j0);
      if (g.upper && j0 + nc - 1 < (i0 & ~int64_t{3})) continue;  // block entirely below the diagonal
      tasks.push_back({i0, mc, j0, nc});
    }
  }
  global_pool().run(static_cast<int>(tasks.size()), [&](int t, int) {
    thread_local std::vector<double> pa, pb;
    const Task& task = tasks[static_cast<size_t>(t)];
    block(g, kern, task.i0, task.mc, task.j0, task.nc, pa, pb);
  });
}

const char* cross_product_f64_isa() { return kernel().isa; }

}  // namespace ganflow
