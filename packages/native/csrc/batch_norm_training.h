// Batch norm in training mode (batch statistics) with an optional ReLU / LeakyReLU, fused forward and backward.
#pragma once
#include <node_api.h>

namespace ganflow {

/** Adds batchNormTrainingForward / batchNormTrainingBackward to the addon's exports. */
void register_batch_norm_training(napi_env env, napi_value exports);

}  // namespace ganflow
