// N-API entry points of the float64 linear algebra: the cross product (gemm_f64.h: crossProductF64 and
// crossProductF64Isa) and the symmetric tridiagonal reduction (symmetric_tridiagonal_f64.h).
#include "gemm_f64_binding.h"

#include <string>

#include "gemm_f64.h"
#include "napi_args.h"
#include "symmetric_tridiagonal_f64.h"

namespace ganflow {
namespace {
using namespace napi_args;

double* f64(napi_env env, napi_value v, int64_t expected, const char* name) {
  bool is_typed = false;
  check(env, napi_is_typedarray(env, v, &is_typed), "is_typedarray");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (is_typed) check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr), "typedarray_info");
  if (!is_typed || type != napi_float64_array) throw Failure{std::string("native: ") + name + " must be a Float64Array"};
  if (static_cast<int64_t>(length) < expected)
    throw Failure{std::string("native: ") + name + " has " + std::to_string(length) + " elements, needs " +
                  std::to_string(expected)};
  return static_cast<double*>(data);
}

// crossProductF64(a, b, out, k, m, n, upper, shape): out (m x n) += aᵀ (k x m) · b (k x n);
// shape 0 = dense, 1 = a is lower trapezoidal (a[s][i] = 0 for s < i), 2 = b is.
napi_value CrossProductF64(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[8];
    arg_value(env, info, 8, v);
    CrossProductF64Args g;
    g.k = i64(env, v[3], "k");
    g.m = i64(env, v[4], "m");
    g.n = i64(env, v[5], "n");
    g.a = f64(env, v[0], g.k * g.m, "a");
    g.b = f64(env, v[1], g.k * g.n, "b");
    g.c = f64(env, v[2], g.m * g.n, "out");
    g.upper = boolean(env, v[6]);
    const int64_t shape = i64(env, v[7], "shape");
    if (shape > 2) throw Failure{"native: shape must be 0 (dense), 1 (a lower) or 2 (b lower)"};
    g.a_lower = shape == 1;
    g.b_lower = shape == 2;
    cross_product_f64(g);
    return undefined(env);
  });
}

napi_value CrossProductF64Isa(napi_env env, napi_callback_info) {
  return guarded(env, [&] { return str(env, cross_product_f64_isa()); });
}

// symmetricTridiagonalF64(a, n, diagonal, offDiagonal): reduces the symmetric matrix whose lower triangle is
// a (row-major n x n, not modified) to diagonal (n) and offDiagonal (n; [i] couples i-1 and i, [0] = 0).
napi_value SymmetricTridiagonalF64(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    napi_value v[4];
    arg_value(env, info, 4, v);
    const int64_t n = i64(env, v[1], "n");
    const double* a = f64(env, v[0], n * n, "a");
    double* diagonal = f64(env, v[2], n, "diagonal");
    double* off_diagonal = f64(env, v[3], n, "offDiagonal");
    symmetric_tridiagonal_f64(a, n, diagonal, off_diagonal);
    return undefined(env);
  });
}

}  // namespace

void register_gemm_f64(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "crossProductF64", NAPI_AUTO_LENGTH, CrossProductF64, nullptr, &f);
  napi_set_named_property(env, exports, "crossProductF64", f);
  napi_create_function(env, "crossProductF64Isa", NAPI_AUTO_LENGTH, CrossProductF64Isa, nullptr, &f);
  napi_set_named_property(env, exports, "crossProductF64Isa", f);
  napi_create_function(env, "symmetricTridiagonalF64", NAPI_AUTO_LENGTH, SymmetricTridiagonalF64, nullptr, &f);
  napi_set_named_property(env, exports, "symmetricTridiagonalF64", f);
}

}  // namespace ganflow
