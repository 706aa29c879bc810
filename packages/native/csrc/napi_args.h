// Small helpers for N-API entry points: argument fetching and checked access to Float32Arrays.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ganflow {
namespace napi_args {

struct Failure {
  std::string message;
};

inline void check(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) throw Failure{std::string("native: N-API call failed: ") + what};
}

inline napi_value arg_value(napi_env env, napi_callback_info info, size_t count, napi_value* argv) {
  size_t argc = count;
  check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "get_cb_info");
  if (argc < count) throw Failure{"native: expected " + std::to_string(count) + " arguments, got " + std::to_string(argc)};
  return nullptr;
}

inline float* f32(napi_env env, napi_value v, int64_t expected, const char* name) {
  bool is_typed = false;
  check(env, napi_is_typedarray(env, v, &is_typed), "is_typedarray");
  if (!is_typed) throw Failure{std::string("native: ") + name + " must be a Float32Array"};
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr), "typedarray_info");
  if (type != napi_float32_array) throw Failure{std::string("native: ") + name + " must be a Float32Array"};
  if (expected >= 0 && static_cast<int64_t>(length) < expected)
    throw Failure{std::string("native: ") + name + " has " + std::to_string(length) + " elements, needs " +
                  std::to_string(expected)};
  return static_cast<float*>(data);
}

/**
 * A per-channel parameter: null / undefined gives `fallback` for every channel, a Float32Array of 1 value is
 * broadcast, one of `channels` values is copied; any other length throws, naming `what` (e.g. "batchNorm scale").
 */
inline std::vector<float> per_channel(napi_env env, napi_value p, const char* what, int64_t channels, float fallback) {
  napi_valuetype t;
  napi_typeof(env, p, &t);
  std::vector<float> out(channels, fallback);
  if (t == napi_null || t == napi_undefined) return out;
  const float* src = f32(env, p, 1, what);
  size_t len = 0;
  napi_get_typedarray_info(env, p, nullptr, &len, nullptr, nullptr, nullptr);
  if (len == 1) out.assign(channels, src[0]);
  else if (static_cast<int64_t>(len) == channels) out.assign(src, src + channels);
  else throw Failure{std::string("native: ") + what + " must have 1 or `channels` values"};
  return out;
}

inline int64_t i64(napi_env env, napi_value v, const char* name) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw Failure{std::string("native: ") + name + " must be a number"};
  if (d < 0 || d != static_cast<double>(static_cast<int64_t>(d)))
    throw Failure{std::string("native: ") + name + " must be a non-negative integer"};
  return static_cast<int64_t>(d);
}

inline double num(napi_env env, napi_value v, const char* name) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw Failure{std::string("native: ") + name + " must be a number"};
  return d;
}

inline bool boolean(napi_env env, napi_value v) {
  bool b = false;
  napi_coerce_to_bool(env, v, &v);
  napi_get_value_bool(env, v, &b);
  return b;
}

inline napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

inline napi_value str(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

template <typename F>
napi_value guarded(napi_env env, F&& body) {
  try {
    return body();
  } catch (const Failure& f) {
    napi_throw_error(env, "ERR_GANFLOW_NATIVE", f.message.c_str());
    return nullptr;
  }
}

}  // namespace napi_args
}  // namespace ganflow
