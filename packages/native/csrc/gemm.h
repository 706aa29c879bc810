// Single-precision GEMM: C[M,N] = op(A)[M,K] * op(B)[K,N] (+ C), row-major, cache-blocked with packed
// panels and a register-tiled micro-kernel chosen at run time for the CPU (AVX-512, AVX2+FMA, portable).
#pragma once
#include <cstdint>

namespace ganflow {

struct GemmArgs {
  bool trans_a = false;  // A is stored K x M (lda >= M) instead of M x K
  bool trans_b = false;  // B is stored N x K (ldb >= K) instead of K x N
  int64_t m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int64_t lda = 0;
  const float* b = nullptr;
  int64_t ldb = 0;
  float* c = nullptr;
  int64_t ldc = 0;
  bool accumulate = false;  // C += op(A) op(B) instead of C = op(A) op(B)
  // When set, row r of the stored A (M rows, or K rows when trans_a) is a_rows[r] instead of a + r * lda: e.g. rows of
  // a convolution's im2col that are plain runs of its input, left in place. Only the *_on_thread entry points take it.
  const float* const* a_rows = nullptr;
};

/**
 * Runs the GEMM on the global thread pool, splitting C into tiles (each element of C is computed by
 * exactly one task in a fixed order, so results do not depend on the thread count).
 */
void sgemm(const GemmArgs& args);

/** Runs the GEMM on the calling thread only, using the scratch buffers of pool thread `thread`. */
void sgemm_on_thread(const GemmArgs& args, int thread);

/**
 * B packed once for many GEMMs that share it (e.g. a convolution filter used by every row chunk).
 * Build with pack_b_once (threaded), then call sgemm_packed_on_thread with A/C args whose n, k match.
 */
struct PackedB {
  int64_t n = 0, k = 0;
  float* data = nullptr;  // owned by the caller-provided buffer
};
/** Floats needed to hold op(B) (k x n) packed for the current kernel. */
int64_t packed_b_floats(int64_t k, int64_t n);
/** Packs op(B) of `args` (its b, ldb, trans_b, k, n) into dst (packed_b_floats(k, n) floats) on the pool. */
PackedB pack_b_once(const GemmArgs& args, float* dst);
/** The packing's K block: slices of a packed B start at multiples of it. */
constexpr int64_t kGemmKc = 256;
/**
 * Rows [p0, p0 + kc) of a packed B (p0 a multiple of kGemmKc, kc <= kGemmKc) as a packed B of their own, for a GEMM
 * over that slice of K; false (and nothing written) when B spans several column blocks, which slices cannot express.
 */
bool packed_b_rows(const PackedB& b, int64_t p0, int64_t kc, PackedB* out);
/**
 * Columns [n0, n0 + nw) of a packed B as a packed B of their own (n0 a multiple of the kernel's column panel); false
 * (and nothing written) unless B's K fits one K block and n0 is panel-aligned.
 */
bool packed_b_columns(const PackedB& b, int64_t n0, int64_t nw, PackedB* out);
/** C = op(A) * B (+ C) using a pre-packed B, on the calling thread (scratch of pool thread `thread`). */
void sgemm_packed_on_thread(const GemmArgs& args, const PackedB& b, int thread);

/** Instruction set of the kernel in use: "avx512", "avx2", "sse" or "scalar". */
const char* gemm_isa();
/** The widest instruction set this CPU (and this build) supports. */
const char* gemm_best_isa();
/** Selects a kernel by name; returns false (and changes nothing) if the CPU or build lacks it. */
bool gemm_select_isa(const char* name);

}  // namespace ganflow
