// Registers the float64 cross-product entry points (gemm_f64_binding.cc) on the addon's exports.
#pragma once
#include <node_api.h>

namespace ganflow {
void register_gemm_f64(napi_env env, napi_value exports);
}
