// Fused Adam update (one pass over a variable, its gradient and both moments).
#pragma once
#include <node_api.h>

namespace ganflow {
void register_adam(napi_env env, napi_value exports);
}
