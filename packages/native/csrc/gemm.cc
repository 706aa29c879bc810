#include "gemm.h"

#include <algorithm>
#include <cstring>
#include <vector>
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

#include "gemm_kernels.h"
#include "scratch.h"
#include "thread_pool.h"

namespace ganflow {
namespace {

// Block sizes: a KC x NR panel of B stays in L1 while a MC x KC block of A streams from L2.
constexpr int64_t kKc = kGemmKc;
constexpr int64_t kNc = 3072;
constexpr int64_t kMcRows = 144;  // rounded down to a multiple of MR

const GemmKernel kPortable{
#if defined(__x86_64__) || defined(_M_X64)
    "sse",
#else
    "scalar",
#endif
    kPortableMr, kPortableNr, macro_kernel_portable};
#if defined(__x86_64__) || defined(_M_X64)
const GemmKernel kAvx2{"avx2", kAvx2Mr, kAvx2Nr, macro_kernel_avx2};
const GemmKernel kAvx512{"avx512", kAvx512Mr, kAvx512Nr, macro_kernel_avx512};
#endif

const GemmKernel* best_kernel() {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return &kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &kAvx2;
#endif
  return &kPortable;
}

const GemmKernel* g_kernel = nullptr;
const GemmKernel& kernel() {
  if (!g_kernel) g_kernel = best_kernel();
  return *g_kernel;
}

inline int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// Row r of the stored A.
inline const float* a_row(const GemmArgs& g, int64_t r) { return g.a_rows ? g.a_rows[r] : g.a + r * g.lda; }

// Packs rows [i0, i0+mc) x cols [p0, p0+kc) of op(A) into panels of mr rows (zero-padded).
void pack_a(const GemmArgs& g, int mr, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
  for (int64_t i = 0; i < mc; i += mr) {
    const int64_t rows = std::min<int64_t>(mr, mc - i);
    float* panel = dst + i * kc;
    if (!g.trans_a) {
      int64_t r = 0;
#if defined(__SSE2__)
      // Four rows at a time through 4 x 4 register transposes (the scalar loop writes one float per store at
      // stride mr; this is most of the packing cost of an im2col'd convolution).
      for (; r + 4 <= rows; r += 4) {
        const float* s0 = a_row(g, i0 + i + r) + p0;
        const float* s1 = a_row(g, i0 + i + r + 1) + p0;
        const float* s2 = a_row(g, i0 + i + r + 2) + p0;
        const float* s3 = a_row(g, i0 + i + r + 3) + p0;
        int64_t p = 0;
        for (; p + 4 <= kc; p += 4) {
          __m128 a0 = _mm_loadu_ps(s0 + p), a1 = _mm_loadu_ps(s1 + p), a2 = _mm_loadu_ps(s2 + p), a3 = _mm_loadu_ps(s3 + p);
          _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
          float* d = panel + p * mr + r;
          _mm_storeu_ps(d, a0);
          _mm_storeu_ps(d + mr, a1);
          _mm_storeu_ps(d + 2 * mr, a2);
          _mm_storeu_ps(d + 3 * mr, a3);
        }
        for (; p < kc; ++p) {
          float* d = panel + p * mr + r;
          d[0] = s0[p], d[1] = s1[p], d[2] = s2[p], d[3] = s3[p];
        }
      }
#endif
      for (; r < rows; ++r) {
        const float* src = a_row(g, i0 + i + r) + p0;
        for (int64_t p = 0; p < kc; ++p) panel[p * mr + r] = src[p];
      }
    } else {
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = a_row(g, p0 + p) + i0 + i;
        float* d = panel + p * mr;
        std::memcpy(d, src, rows * sizeof(float));
      }
    }
    if (rows < mr)
      for (int64_t p = 0; p < kc; ++p)
        for (int64_t r = rows; r < mr; ++r) panel[p * mr + r] = 0.0f;
  }
}

// Packs NR-column panels [panel_begin, panel_end) of the kc x nc block at (p0, j0) of op(B).
void pack_b(const GemmArgs& g, int nr, int64_t p0, int64_t kc, int64_t j0, int64_t nc, int64_t panel_begin,
            int64_t panel_end, float* dst) {
  for (int64_t pj = panel_begin; pj < panel_end; ++pj) {
    const int64_t j = pj * nr;
    const int64_t cols = std::min<int64_t>(nr, nc - j);
    float* panel = dst + j * kc;
    if (!g.trans_b) {
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = g.b + (p0 + p) * g.ldb + j0 + j;
        float* d = panel + p * nr;
        std::memcpy(d, src, cols * sizeof(float));
        for (int64_t q = cols; q < nr; ++q) d[q] = 0.0f;
      }
    } else {
      // Transposing gather in 8 x 8 blocks (8 source rows read together, 8 panel rows written together), so
      // both sides stay within a few cache lines instead of striding a whole panel per element.
      int64_t p = 0;
      for (; p + 8 <= kc; p += 8) {
        for (int64_t q = 0; q < cols; ++q) {
          const float* src = g.b + (j0 + j + q) * g.ldb + p0 + p;
          float* d = panel + p * nr + q;
          for (int u = 0; u < 8; ++u) d[u * nr] = src[u];
        }
      }
      for (; p < kc; ++p)
        for (int64_t q = 0; q < cols; ++q) panel[p * nr + q] = g.b[(j0 + j + q) * g.ldb + p0 + p];
      for (int64_t q = cols; q < nr; ++q)
        for (int64_t p = 0; p < kc; ++p) panel[p * nr + q] = 0.0f;
    }
  }
}

void zero_or_keep(const GemmArgs& g) {
  if (g.accumulate) return;
  for (int64_t i = 0; i < g.m; ++i) std::memset(g.c + i * g.ldc, 0, g.n * sizeof(float));
}

}  // namespace

// C (m x 1) = op(A) b (+ C): a matrix-vector product (the MLP's 1-logit layer), where padding one column to a
// whole NR panel would waste most of the tile. Each element's sum runs in a fixed order (independent of threads).
void sgemv(const GemmArgs& g) {
  const int64_t b_step = g.trans_b ? 1 : g.ldb;  // op(B) is k x 1: column 0 of B, or row 0 of B stored 1 x k
  std::vector<float> bv(g.k);
  for (int64_t p = 0; p < g.k; ++p) bv[p] = g.b[p * b_step];
  if (g.trans_a) {  // A stored k x m: C += A[p, :] * b[p], row by row
    std::vector<float> acc(g.m, 0.0f);
    for (int64_t p = 0; p < g.k; ++p) {
      const float* row = a_row(g, p);
      const float bp = bv[p];
      for (int64_t i = 0; i < g.m; ++i) acc[i] += row[i] * bp;
    }
    for (int64_t i = 0; i < g.m; ++i) g.c[i * g.ldc] = g.accumulate ? g.c[i * g.ldc] + acc[i] : acc[i];
    return;
  }
  // 16 independent partial sums in four 4-float vectors (GCC vector extension: SSE on any x86-64)
  typedef float v4 __attribute__((vector_size(16)));
  const auto load = [](const float* x) {
    v4 v;
    std::memcpy(&v, x, sizeof v);
    return v;
  };
  for (int64_t i = 0; i < g.m; ++i) {
    const float* row = a_row(g, i);
    v4 s0 = {0, 0, 0, 0}, s1 = s0, s2 = s0, s3 = s0;
    int64_t p = 0;
    for (; p + 16 <= g.k; p += 16) {
      s0 += load(row + p) * load(&bv[p]);
      s1 += load(row + p + 4) * load(&bv[p + 4]);
      s2 += load(row + p + 8) * load(&bv[p + 8]);
      s3 += load(row + p + 12) * load(&bv[p + 12]);
    }
    const v4 t = (s0 + s1) + (s2 + s3);
    float sum = (t[0] + t[1]) + (t[2] + t[3]);
    for (; p < g.k; ++p) sum += row[p] * bv[p];
    g.c[i * g.ldc] = g.accumulate ? g.c[i * g.ldc] + sum : sum;
  }
}

void sgemm_on_thread(const GemmArgs& g, int thread) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) return zero_or_keep(g);
  if (g.n == 1) return sgemv(g);
  const GemmKernel& kr = kernel();
  const int64_t mc_max = kMcRows / kr.mr * kr.mr;
  for (int64_t jc = 0; jc < g.n; jc += kNc) {
    const int64_t nc = std::min(kNc, g.n - jc);
    const int64_t panels = (nc + kr.nr - 1) / kr.nr;
    for (int64_t pc = 0; pc < g.k; pc += kKc) {
      const int64_t kc = std::min(kKc, g.k - pc);
      float* pb = scratch(thread, ScratchSlot::kPackB, round_up(nc, kr.nr) * kc);
      pack_b(g, kr.nr, pc, kc, jc, nc, 0, panels, pb);
      float* pa = scratch(thread, ScratchSlot::kPackA, mc_max * kc);
      for (int64_t ic = 0; ic < g.m; ic += mc_max) {
        const int64_t mc = std::min(mc_max, g.m - ic);
        pack_a(g, kr.mr, ic, mc, pc, kc, pa);
        kr.macro(mc, nc, kc, pa, pb, g.c + ic * g.ldc + jc, g.ldc, g.accumulate || pc > 0);
      }
    }
  }
}

namespace {

// Up to this many multiply-adds a threaded GEMM is one pool dispatch of row or column slabs (below); above it the
// blocked path's shared packing of B pays for its several dispatches per GEMM.
constexpr double kSlabMacs = 128.0 * 1024 * 1024;

// One dispatch: C split into one slab per thread along whichever of M (in MR-row tiles) or N (in NR-column panels)
// has more tiles; each slab is an independent sgemm_on_thread that packs its own panels (the other operand's
// packing is repeated per slab, which is cheap when that operand is the small one: 64 x 500 activations, say).
// Every C element sees the same sequence of multiply-adds as on one thread, so results do not depend on threads.
void sgemm_slabs(const GemmArgs& g, const GemmKernel& kr, ThreadPool& pool) {
  const int64_t row_tiles = (g.m + kr.mr - 1) / kr.mr, col_tiles = (g.n + kr.nr - 1) / kr.nr;
  const bool by_rows = row_tiles >= col_tiles;
  const int64_t tiles = by_rows ? row_tiles : col_tiles;
  const int slabs = static_cast<int>(std::min<int64_t>(tiles, pool.size()));
  if (slabs <= 1) return sgemm_on_thread(g, 0);
  pool.run(slabs, [&](int t, int thread) {
    int64_t tb, te;
    split_range(tiles, slabs, t, &tb, &te);
    GemmArgs s = g;
    if (by_rows) {
      const int64_t i0 = tb * kr.mr, i1 = std::min(g.m, te * kr.mr);
      s.m = i1 - i0;
      s.a = g.trans_a ? g.a + i0 : g.a + i0 * g.lda;
      s.c = g.c + i0 * g.ldc;
    } else {
      const int64_t j0 = tb * kr.nr, j1 = std::min(g.n, te * kr.nr);
      s.n = j1 - j0;
      s.b = g.trans_b ? g.b + j0 * g.ldb : g.b + j0;
      s.c = g.c + j0;
    }
    sgemm_on_thread(s, thread);
  });
}

}  // namespace

void sgemm(const GemmArgs& g) {
  if (g.a_rows) return sgemm_on_thread(g, 0);  // row tables are not split into slabs or blocks here
  ThreadPool& pool = global_pool();
  const int threads = pool.size();
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) return zero_or_keep(g);
  if (threads == 1 || g.n == 1 || static_cast<double>(g.m) * g.n * g.k < 64.0 * 64 * 64) return sgemm_on_thread(g, 0);
  const GemmKernel& kr = kernel();
  if (static_cast<double>(g.m) * g.n * g.k <= kSlabMacs) return sgemm_slabs(g, kr, pool);
  const int64_t mc_max = kMcRows / kr.mr * kr.mr;
  const int64_t m_blocks = (g.m + mc_max - 1) / mc_max;
  for (int64_t jc = 0; jc < g.n; jc += kNc) {
    const int64_t nc = std::min(kNc, g.n - jc);
    const int64_t panels = (nc + kr.nr - 1) / kr.nr;
    // Split columns too when there are too few row blocks to keep every thread busy.
    int64_t n_split = 1;
    while (m_blocks * n_split < 4 * threads && n_split * 2 <= panels) n_split *= 2;
    for (int64_t pc = 0; pc < g.k; pc += kKc) {
      const int64_t kc = std::min(kKc, g.k - pc);
      float* pb = scratch(0, ScratchSlot::kPackB, round_up(nc, kr.nr) * kc);
      const int pack_tasks = static_cast<int>(std::min<int64_t>(panels, threads * 4));
      pool.run(pack_tasks, [&](int t, int) {
        int64_t b, e;
        split_range(panels, pack_tasks, t, &b, &e);
        pack_b(g, kr.nr, pc, kc, jc, nc, b, e, pb);
      });
      const bool acc = g.accumulate || pc > 0;
      pool.run(static_cast<int>(m_blocks * n_split), [&](int t, int thread) {
        const int64_t ib = t / n_split, js = t % n_split;
        const int64_t ic = ib * mc_max, mc = std::min(mc_max, g.m - ic);
        int64_t p_begin, p_end;
        split_range(panels, static_cast<int>(n_split), static_cast<int>(js), &p_begin, &p_end);
        if (p_begin >= p_end) return;
        const int64_t j = p_begin * kr.nr, ncs = std::min(nc, p_end * kr.nr) - j;
        float* pa = scratch(thread, ScratchSlot::kPackA, mc_max * kc);
        pack_a(g, kr.mr, ic, mc, pc, kc, pa);
        kr.macro(mc, ncs, kc, pa, pb + j * kc, g.c + ic * g.ldc + jc + j, g.ldc, acc);
      });
    }
  }
}

int64_t packed_b_floats(int64_t k, int64_t n) {
  const GemmKernel& kr = kernel();
  // Full NC blocks are multiples of nr; only the last block is padded.
  const int64_t full = n / kNc * kNc, rest = n - full;
  return k * (full + round_up(rest, kr.nr));
}

// Layout: for each NC block starting at column jc (padded width ncp): for each KC block at row pc: ncp x kc
// panels; the block (jc, pc) starts at jc * K + pc * ncp.
PackedB pack_b_once(const GemmArgs& g, float* dst) {
  const GemmKernel& kr = kernel();
  PackedB packed{g.n, g.k, dst};
  struct Piece {
    int64_t jc, nc, pc, kc, p_begin, p_end;
  };
  std::vector<Piece> pieces;
  for (int64_t jc = 0; jc < g.n; jc += kNc) {
    const int64_t nc = std::min(kNc, g.n - jc);
    const int64_t panels = (nc + kr.nr - 1) / kr.nr;
    for (int64_t pc = 0; pc < g.k; pc += kKc) {
      const int64_t kc = std::min(kKc, g.k - pc);
      for (int64_t p = 0; p < panels; p += 8) pieces.push_back({jc, nc, pc, kc, p, std::min(panels, p + 8)});
    }
  }
  global_pool().run(static_cast<int>(pieces.size()), [&](int t, int) {
    const Piece& q = pieces[t];
    const int64_t ncp = round_up(q.nc, kr.nr);
    pack_b(g, kr.nr, q.pc, q.kc, q.jc, q.nc, q.p_begin, q.p_end, dst + q.jc * g.k + q.pc * ncp);
  });
  return packed;
}

bool packed_b_rows(const PackedB& b, int64_t p0, int64_t kc, PackedB* out) {
  if (b.n > kNc || p0 % kKc != 0 || kc > kKc || p0 + kc > b.k) return false;
  *out = PackedB{b.n, kc, b.data + p0 * round_up(b.n, kernel().nr)};
  return true;
}

// With K <= KC each NC block is one KC block of whole NR panels (block jc at jc * K, panel j at j * K), so column
// n0 of the whole matrix starts at n0 * K.
bool packed_b_columns(const PackedB& b, int64_t n0, int64_t nw, PackedB* out) {
  if (b.k > kKc || n0 % kernel().nr != 0 || nw <= 0 || n0 + nw > b.n) return false;
  *out = PackedB{nw, b.k, b.data + n0 * b.k};
  return true;
}

void sgemm_packed_on_thread(const GemmArgs& g, const PackedB& b, int thread) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) return zero_or_keep(g);
  const GemmKernel& kr = kernel();
  const int64_t mc_max = kMcRows / kr.mr * kr.mr;
  for (int64_t jc = 0; jc < g.n; jc += kNc) {
    const int64_t nc = std::min(kNc, g.n - jc);
    const int64_t ncp = round_up(nc, kr.nr);
    for (int64_t pc = 0; pc < g.k; pc += kKc) {
      const int64_t kc = std::min(kKc, g.k - pc);
      const float* pb = b.data + jc * g.k + pc * ncp;
      float* pa = scratch(thread, ScratchSlot::kPackA, mc_max * kc);
      for (int64_t ic = 0; ic < g.m; ic += mc_max) {
        const int64_t mc = std::min(mc_max, g.m - ic);
        pack_a(g, kr.mr, ic, mc, pc, kc, pa);
        kr.macro(mc, nc, kc, pa, pb, g.c + ic * g.ldc + jc, g.ldc, g.accumulate || pc > 0);
      }
    }
  }
}

const char* gemm_isa() { return kernel().isa; }
const char* gemm_best_isa() { return best_kernel()->isa; }

bool gemm_select_isa(const char* name) {
  const GemmKernel* candidates[] = {
#if defined(__x86_64__) || defined(_M_X64)
      &kAvx512, &kAvx2,
#endif
      &kPortable};
  const GemmKernel* best = best_kernel();
  bool reachable = false;  // kernels at or below the best one are usable
  for (const GemmKernel* k : candidates) {
    if (k == best) reachable = true;
    if (reachable && std::strcmp(k->isa, name) == 0) {
      g_kernel = k;
      return true;
    }
  }
  return false;
}

}  // namespace ganflow
