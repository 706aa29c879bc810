#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "scratch.h"
#include "thread_pool.h"

namespace ganflow {
namespace {

// Target size of one im2col chunk, in floats (about 2 MiB: stays in L2/L3 between im2col and GEMM).
constexpr int64_t kChunkFloats = 512 * 1024;
// Below this many output rows per thread, parallelise inside the GEMM instead of over row chunks.
constexpr int64_t kMinRowsPerThread = 256;

bool is_pointwise(const ConvShape& s) {
  return s.f_d == 1 && s.f_h == 1 && s.f_w == 1 && s.stride_d == 1 && s.stride_h == 1 && s.stride_w == 1 &&
         s.pad_front == 0 && s.pad_top == 0 && s.pad_left == 0 && s.out_d == s.in_d && s.out_h == s.in_h &&
         s.out_w == s.in_w;
}

int64_t chunk_rows(const ConvShape& s) {
  return std::max<int64_t>(48, kChunkFloats / std::max<int64_t>(1, s.patch()));
}

// Row stride of an im2col buffer: patch() padded off multiples of 1 KiB, whose rows would all map to the same cache
// sets when the GEMM's packing reads down a column of them.
int64_t col_stride(const ConvShape& s) {
  const int64_t K = s.patch();
  return K % 256 == 0 ? K + 16 : K;
}

// Image and output coordinates of global output row m.
struct OutputPixel {
  int64_t n, oz, oy, ox;
};
inline OutputPixel output_pixel(const ConvShape& s, int64_t m) {
  const int64_t per_image = s.out_pixels(), plane = s.out_h * s.out_w;
  const int64_t r = m % per_image;
  return {m / per_image, r / plane, (r % plane) / s.out_w, r % s.out_w};
}

// Short runs (a single-channel tap row is 4 floats) are cheaper as plain loops than as library calls.
inline void copy_floats(float* dst, const float* src, int64_t n) {
  if (n > 32) return static_cast<void>(std::memcpy(dst, src, n * sizeof(float)));
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
}
inline void fill_zero(float* dst, int64_t n) {
  if (n > 32) return static_cast<void>(std::memset(dst, 0, n * sizeof(float)));
  for (int64_t i = 0; i < n; ++i) dst[i] = 0.0f;
}

// Writes the columns of filter taps [tap0, tap1) (tap = (kd * f_h + kh) * f_w + kw, in_c columns each) of im2col rows
// [m0, m1) (global output-row indices) into col, row stride ld. Runs of taps along w that read neighbouring pixels
// (dilation 1) are copied with one memcpy.
void im2col_taps(const ConvShape& s, const float* x, int64_t m0, int64_t m1, int64_t tap0, int64_t tap1, float* col,
                 int64_t ld) {
  const int64_t C = s.in_c;
  const int64_t fhw = s.f_h * s.f_w;
  for (int64_t m = m0; m < m1; ++m) {
    const auto [n, oz, oy, ox] = output_pixel(s, m);
    float* dst = col + (m - m0) * ld;
    const float* xn = x + n * s.in_pixels() * C;
    const int64_t ix0 = ox * s.stride_w - s.pad_left;
    int64_t kd = tap0 / fhw, kh = (tap0 / s.f_w) % s.f_h, kw0 = tap0 % s.f_w;
    for (int64_t t = tap0; t < tap1;) {
      const int64_t kw1 = std::min(s.f_w, kw0 + (tap1 - t));  // taps of this (kd, kh) row within the range
      const int64_t iz = oz * s.stride_d - s.pad_front + kd * s.dil_d;
      const int64_t iy = oy * s.stride_h - s.pad_top + kh * s.dil_h;
      if (iz < 0 || iz >= s.in_d || iy < 0 || iy >= s.in_h) {
        fill_zero(dst, (kw1 - kw0) * C);
      } else {
        const float* xrow = xn + (iz * s.in_h + iy) * s.in_w * C;
        if (s.dil_w == 1) {
          // valid taps: 0 <= ix0 + kw < in_w
          const int64_t lo = std::min(kw1, std::max(kw0, -ix0)), hi = std::max(lo, std::min(kw1, s.in_w - ix0));
          fill_zero(dst, (lo - kw0) * C);
          copy_floats(dst + (lo - kw0) * C, xrow + (ix0 + lo) * C, (hi - lo) * C);
          fill_zero(dst + (hi - kw0) * C, (kw1 - hi) * C);
        } else {
          for (int64_t kw = kw0; kw < kw1; ++kw) {
            const int64_t ix = ix0 + kw * s.dil_w;
            float* d = dst + (kw - kw0) * C;
            if (ix < 0 || ix >= s.in_w) fill_zero(d, C);
            else copy_floats(d, xrow + ix * C, C);
          }
        }
      }
      dst += (kw1 - kw0) * C;
      t += kw1 - kw0;
      kw0 = 0;
      if (++kh == s.f_h) kh = 0, ++kd;
    }
  }
}

// Row table of the im2col block rows [m0, m1) x taps [t0, t1): a row whose taps are one in-bounds run of neighbouring
// pixels (taps within one (kd, kh) row of the filter, dilation 1 along w) points straight into x, any other row
// (borders, several filter rows) is written into buf (row stride ld) and points there. The GEMM reads A through it.
void im2col_rows(const ConvShape& s, const float* x, int64_t m0, int64_t m1, int64_t t0, int64_t t1, float* buf,
                 int64_t ld, const float** rows) {
  const int64_t C = s.in_c, fhw = s.f_h * s.f_w;
  const bool one_run = s.dil_w == 1 && t0 / s.f_w == (t1 - 1) / s.f_w;
  const int64_t kd = t0 / fhw, kh = (t0 / s.f_w) % s.f_h, kw0 = t0 % s.f_w, kw1 = kw0 + (t1 - t0);
  for (int64_t m = m0; m < m1; ++m) {
    if (one_run) {
      const auto [n, oz, oy, ox] = output_pixel(s, m);
      const int64_t iz = oz * s.stride_d - s.pad_front + kd * s.dil_d;
      const int64_t iy = oy * s.stride_h - s.pad_top + kh * s.dil_h;
      const int64_t ix = ox * s.stride_w - s.pad_left + kw0;
      if (iz >= 0 && iz < s.in_d && iy >= 0 && iy < s.in_h && ix >= 0 && ix + (kw1 - kw0) <= s.in_w) {
        rows[m - m0] = x + (n * s.in_pixels() + (iz * s.in_h + iy) * s.in_w + ix) * C;
        continue;
      }
    }
    float* dst = buf + (m - m0) * ld;
    im2col_taps(s, x, m, m + 1, t0, t1, dst, ld);
    rows[m - m0] = dst;
  }
}

// Writes im2col columns [k0, k1) of rows [m0, m1) into col, row stride ld: whole taps through im2col_taps, a tap cut
// by the range (in_c not dividing the GEMM's K block) one column range at a time.
void im2col_columns(const ConvShape& s, const float* x, int64_t m0, int64_t m1, int64_t k0, int64_t k1, float* col,
                    int64_t ld) {
  const int64_t C = s.in_c;
  if (k0 % C == 0 && (k1 % C == 0)) return im2col_taps(s, x, m0, m1, k0 / C, k1 / C, col, ld);
  std::vector<float> tap(C);
  for (int64_t t = k0 / C; t * C < k1; ++t) {
    const int64_t lo = std::max(k0, t * C), hi = std::min(k1, (t + 1) * C);
    for (int64_t m = m0; m < m1; ++m) {
      im2col_taps(s, x, m, m + 1, t, t + 1, tap.data(), C);
      std::memcpy(col + (m - m0) * ld + (lo - k0), tap.data() + (lo - t * C), (hi - lo) * sizeof(float));
    }
  }
}

// Writes whole im2col rows [m0, m1) into col (row stride col_stride()).
void im2col(const ConvShape& s, const float* x, int64_t m0, int64_t m1, float* col) {
  im2col_taps(s, x, m0, m1, 0, s.f_d * s.f_h * s.f_w, col, col_stride(s));
}

// d[i] += s[i] (the scatter-add of col2im), at the widest vector width the CPU has.
__attribute__((target_clones("avx512f", "avx2", "default")))
void add_floats(float* __restrict d, const float* __restrict s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] += s[i];
}

// Adds the columns of filter taps [tap0, tap1) of col rows [m0, m1) (row stride ld) back into dx: the adjoint of
// im2col_taps. Rows must belong to images owned by the caller.
void col2im_add_taps(const ConvShape& s, const float* col, int64_t m0, int64_t m1, int64_t tap0, int64_t tap1,
                     int64_t ld, float* dx) {
  const int64_t C = s.in_c;
  const int64_t fhw = s.f_h * s.f_w;
  for (int64_t m = m0; m < m1; ++m) {
    const auto [n, oz, oy, ox] = output_pixel(s, m);
    const float* src = col + (m - m0) * ld;
    float* dn = dx + n * s.in_pixels() * C;
    const int64_t ix0 = ox * s.stride_w - s.pad_left;
    int64_t kd = tap0 / fhw, kh = (tap0 / s.f_w) % s.f_h, kw0 = tap0 % s.f_w;
    for (int64_t t = tap0; t < tap1;) {
      const int64_t kw1 = std::min(s.f_w, kw0 + (tap1 - t));
      const int64_t iz = oz * s.stride_d - s.pad_front + kd * s.dil_d;
      const int64_t iy = oy * s.stride_h - s.pad_top + kh * s.dil_h;
      if (iz >= 0 && iz < s.in_d && iy >= 0 && iy < s.in_h) {
        float* drow = dn + (iz * s.in_h + iy) * s.in_w * C;
        if (s.dil_w == 1) {
          const int64_t lo = std::min(kw1, std::max(kw0, -ix0)), hi = std::max(lo, std::min(kw1, s.in_w - ix0));
          const float* sp = src + (lo - kw0) * C;
          float* d = drow + (ix0 + lo) * C;
          add_floats(d, sp, (hi - lo) * C);
        } else {
          for (int64_t kw = kw0; kw < kw1; ++kw) {
            const int64_t ix = ix0 + kw * s.dil_w;
            if (ix < 0 || ix >= s.in_w) continue;
            const float* sp = src + (kw - kw0) * C;
            float* d = drow + ix * C;
            add_floats(d, sp, C);
          }
        }
      }
      src += (kw1 - kw0) * C;
      t += kw1 - kw0;
      kw0 = 0;
      if (++kh == s.f_h) kh = 0, ++kd;
    }
  }
}

GemmArgs plain_gemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
                    float* c, int64_t ldc) {
  GemmArgs g;
  g.m = m, g.n = n, g.k = k, g.a = a, g.lda = lda, g.b = b, g.ldb = ldb, g.c = c, g.ldc = ldc;
  return g;
}

}  // namespace

void conv_forward(const ConvShape& s, const float* x, const float* filter, float* y) {
  const int64_t M = s.batch * s.out_pixels(), K = s.patch(), N = s.out_c;
  if (M == 0 || N == 0) return;
  if (is_pointwise(s)) return sgemm(plain_gemm(M, N, K, x, K, filter, N, y, N));
  ThreadPool& pool = global_pool();
  const int threads = pool.size();
  const PackedB pb = pack_b_once(plain_gemm(M, N, K, nullptr, K, filter, N, y, N),
                                 scratch(0, ScratchSlot::kSharedB, packed_b_floats(K, N)));
  PackedB first_block;
  if (packed_b_rows(pb, 0, std::min(K, kGemmKc), &first_block)) {
    // The filter is packed once and shared. Tasks own chunks of output rows (as many per thread as balance allows)
    // and go through K one GEMM block at a time: the im2col of those KC columns, then a GEMM accumulating into y, so
    // the columns, the filter slice and the y rows all stay in cache. Each y element is summed in the same order
    // however the rows are chunked: results do not depend on the thread count.
    constexpr int64_t kRows = 192;
    const int64_t chunks = (M + kRows - 1) / kRows;
    const int64_t balanced = (chunks + threads - 1) / threads * threads;
    const int64_t rows = (M + balanced - 1) / balanced;
    const int64_t C = s.in_c;
    pool.run(static_cast<int>((M + rows - 1) / rows), [&](int t, int thread) {
      const int64_t m0 = t * rows, m1 = std::min(M, m0 + rows);
      std::vector<const float*> row_table(m1 - m0);
      for (int64_t p0 = 0; p0 < K; p0 += kGemmKc) {
        const int64_t kc = std::min(kGemmKc, K - p0), ld = kc % 256 == 0 ? kc + 16 : kc;
        float* col = scratch(thread, ScratchSlot::kColumns, (m1 - m0) * ld);
        GemmArgs g = plain_gemm(m1 - m0, N, kc, col, ld, nullptr, N, y + m0 * N, N);
        if (p0 % C == 0 && kc % C == 0) {  // whole taps: rows that are runs of x are read in place
          im2col_rows(s, x, m0, m1, p0 / C, (p0 + kc) / C, col, ld, row_table.data());
          g.a_rows = row_table.data();
        } else {
          im2col_columns(s, x, m0, m1, p0, p0 + kc, col, ld);
        }
        // this task's own slice of the packed filter: tasks run their K blocks out of step with each other, so a
        // slice shared between them could be overwritten with another block's between being set and being read
        PackedB slice;
        packed_b_rows(pb, p0, kc, &slice);
        g.accumulate = p0 > 0;
        sgemm_packed_on_thread(g, slice, thread);
      }
    });
    return;
  }
  // Wide outputs (several GEMM column blocks): chunks of whole im2col rows (about 2 MiB each) and one GEMM per chunk.
  int64_t rows = chunk_rows(s);
  const int64_t per_thread = (M + threads - 1) / threads;
  if (per_thread < rows) rows = std::max<int64_t>(16, per_thread);
  const int64_t chunks = (M + rows - 1) / rows;
  pool.run(static_cast<int>(chunks), [&](int t, int thread) {
    const int64_t m0 = t * rows, m1 = std::min(M, m0 + rows);
    float* col = scratch(thread, ScratchSlot::kColumns, (m1 - m0) * col_stride(s));
    im2col(s, x, m0, m1, col);
    sgemm_packed_on_thread(plain_gemm(m1 - m0, N, K, col, col_stride(s), nullptr, N, y + m0 * N, N), pb, thread);
  });
}

void conv_backprop_input(const ConvShape& s, const float* dy, const float* filter, float* dx) {
  const int64_t per_image = s.out_pixels(), K = s.patch(), N = s.out_c, C = s.in_c;
  const int64_t image_floats = s.in_pixels() * C;
  if (s.batch == 0) return;
  if (per_image == 0) return static_cast<void>(std::memset(dx, 0, s.batch * image_floats * sizeof(float)));
  // dcol[rows, K] = dy[rows, out_c] * filter^T  (filter is stored K x out_c).
  auto dcol_gemm = [&](int64_t m0, int64_t m1, float* dcol) {
    GemmArgs g = plain_gemm(m1 - m0, K, N, dy + m0 * N, N, filter, N, dcol, K);
    g.trans_b = true;
    return g;
  };
  if (is_pointwise(s)) return sgemm(dcol_gemm(0, s.batch * per_image, dx));
  ThreadPool& pool = global_pool();
  const int threads = pool.size();
  const PackedB pb = pack_b_once(dcol_gemm(0, 0, nullptr), scratch(0, ScratchSlot::kSharedB, packed_b_floats(N, K)));
  // Slices of whole taps, about 256 columns of dcol each, when the packed filter can be cut there: each slice's
  // dcol block is computed and scattered while it is in cache.
  const int64_t taps = s.f_d * s.f_h * s.f_w;
  const int64_t taps_per_slice = std::max<int64_t>(1, 256 / C);
  const int64_t slices = (taps + taps_per_slice - 1) / taps_per_slice;
  PackedB probe;
  const bool sliced = slices > 1 && packed_b_columns(pb, taps_per_slice * C, std::min(K - taps_per_slice * C, taps_per_slice * C), &probe);
  // Tasks own groups of whole images (so the scatter-add of col2im never races); a group holds enough rows
  // for an efficient GEMM, and there are at least as many groups as threads when the batch allows. Each dx element
  // receives its terms in the same order however the batch is grouped: row by row (one GEMM chunk of rows), or,
  // sliced, slice by slice within a chunk of a fixed number of images (so that too is independent of the threads).
  const int64_t rows = sliced ? std::max<int64_t>(1, 256 / per_image) * per_image : chunk_rows(s);
  int64_t group = std::max<int64_t>(1, std::min<int64_t>(rows, 256) / per_image);
  if (!sliced) group = std::min(group, std::max<int64_t>(1, (s.batch + threads - 1) / threads));
  const int64_t groups = (s.batch + group - 1) / group;
  pool.run(static_cast<int>(groups), [&](int t, int thread) {
    const int64_t first = t * group, last = std::min(s.batch, (t + 1) * group);
    std::memset(dx + first * image_floats, 0, (last - first) * image_floats * sizeof(float));
    const int64_t begin = first * per_image, end = last * per_image;
    for (int64_t m0 = begin; m0 < end; m0 += rows) {
      const int64_t m1 = std::min(end, m0 + rows);
      if (!sliced) {
        float* dcol = scratch(thread, ScratchSlot::kColumns, (m1 - m0) * K);
        sgemm_packed_on_thread(dcol_gemm(m0, m1, dcol), pb, thread);
        col2im_add_taps(s, dcol, m0, m1, 0, taps, K, dx);
        continue;
      }
      for (int64_t t0 = 0; t0 < taps; t0 += taps_per_slice) {
        const int64_t t1 = std::min(taps, t0 + taps_per_slice), width = (t1 - t0) * C;
        float* dcol = scratch(thread, ScratchSlot::kColumns, (m1 - m0) * width);
        PackedB slice;
        packed_b_columns(pb, t0 * C, width, &slice);
        sgemm_packed_on_thread(plain_gemm(m1 - m0, width, N, dy + m0 * N, N, nullptr, width, dcol, width), slice, thread);
        col2im_add_taps(s, dcol, m0, m1, t0, t1, width, dx);
      }
    }
  });
}

void conv_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dfilter) {
  const int64_t M = s.batch * s.out_pixels(), K = s.patch(), N = s.out_c;
  if (M == 0) {
    std::memset(dfilter, 0, K * N * sizeof(float));
    return;
  }
  if (is_pointwise(s)) {
    GemmArgs g = plain_gemm(K, N, M, x, K, dy, N, dfilter, N);
    g.trans_a = true;
    return sgemm(g);
  }
  // dfilter[K, out_c] = col^T[K, M] * dy[M, out_c], computed in slices of whole filter taps (about 256 of the K
  // columns, so a slice's block of dfilter stays in cache) and accumulated over KC-sized row chunks of M: each chunk
  // is the im2col of those taps only, and the GEMM's inner dimension.
  const int64_t taps = s.f_d * s.f_h * s.f_w;
  const int64_t taps_per_slice = std::max<int64_t>(1, 256 / std::max<int64_t>(1, s.in_c));
  const int64_t slices = (taps + taps_per_slice - 1) / taps_per_slice;
  constexpr int64_t kRowChunk = 256;
  // dW rows of the taps of `slice` over output rows [b, e), into out (row stride N); the first chunk overwrites.
  auto slice_rows = [&](int64_t slice, int64_t b, int64_t e, float* out, int thread) {
    const int64_t t0 = slice * taps_per_slice, t1 = std::min(taps, t0 + taps_per_slice);
    const int64_t width = (t1 - t0) * s.in_c, ld = width % 256 == 0 ? width + 16 : width;
    const float* row_table[kRowChunk];
    for (int64_t m0 = b; m0 < e; m0 += kRowChunk) {
      const int64_t m1 = std::min(e, m0 + kRowChunk);
      float* col = scratch(thread, ScratchSlot::kColumns, (m1 - m0) * ld);
      im2col_rows(s, x, m0, m1, t0, t1, col, ld, row_table);
      GemmArgs g = plain_gemm(width, N, m1 - m0, col, ld, dy + m0 * N, N, out + t0 * s.in_c * N, N);
      g.a_rows = row_table;
      g.trans_a = true;
      g.accumulate = m0 > b;
      sgemm_on_thread(g, thread);
    }
  };
  ThreadPool& pool = global_pool();
  const int threads = pool.size();
  if (threads == 1 || slices >= 2 * threads || M < threads * kMinRowsPerThread) {
    // Tasks own slices (disjoint blocks of dfilter): no reduction, the same result for any thread count.
    pool.run(static_cast<int>(slices), [&](int slice, int thread) { slice_rows(slice, 0, M, dfilter, thread); });
    return;
  }
  // Few slices (e.g. one input channel): a fixed partition of the rows into one contiguous range per thread, a
  // partial dfilter per range, then a reduction in range order: deterministic for a given thread count.
  float* partials = scratch(0, ScratchSlot::kTile, static_cast<size_t>(threads) * K * N);
  pool.run(threads, [&](int p, int thread) {
    int64_t b, e;
    split_range(M, threads, p, &b, &e);
    for (int64_t slice = 0; slice < slices; ++slice) slice_rows(slice, b, e, partials + static_cast<int64_t>(p) * K * N, thread);
  });
  const int64_t total = K * N;
  const int tasks = threads * 4;
  pool.run(tasks, [&](int t, int) {
    int64_t b, e;
    split_range(total, tasks, t, &b, &e);
    for (int64_t i = b; i < e; ++i) dfilter[i] = partials[i];
    for (int p = 1; p < threads; ++p) {
      const float* part = partials + static_cast<int64_t>(p) * total;
      for (int64_t i = b; i < e; ++i) dfilter[i] += part[i];
    }
  });
}

}  // namespace ganflow
