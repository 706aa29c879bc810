// Per-instruction-set float64 micro-kernels of cross_product_f64, each in its own translation unit with its
// own target pragma; only call one the CPU supports. No standard-library headers here (see gemm_kernels.h).
#pragma once

namespace ganflow {

/**
 * acc (MR x NR, row-major, leading dimension NR) = packed A panel (kc x MR, k-major) · packed B panel
 * (kc x NR, k-major). MR and NR are the kernel's tile sizes.
 */
using F64Tile = void (*)(long kc, const double* a, const double* b, double* acc);

struct F64Kernel {
  const char* isa;
  int mr;
  int nr;
  F64Tile tile;
};

void f64_tile_avx512(long kc, const double* a, const double* b, double* acc);
void f64_tile_avx2(long kc, const double* a, const double* b, double* acc);
void f64_tile_portable(long kc, const double* a, const double* b, double* acc);

constexpr int kF64Avx512Mr = 12, kF64Avx512Nr = 16;
constexpr int kF64Avx2Mr = 6, kF64Avx2Nr = 8;
constexpr int kF64PortableMr = 4, kF64PortableNr = 4;

}  // namespace ganflow
