{
  "targets": [
    {
      "target_name": "ganflow_native",
      "sources": [
        "csrc/addon.cc",
        "csrc/thread_pool.cc",
        "csrc/scratch.cc",
        "csrc/gemm.cc",
        "csrc/gemm_portable.cc",
        "csrc/gemm_avx2.cc",
        "csrc/gemm_avx512.cc",
        "csrc/conv.cc",
        "csrc/elementwise.cc",
        "csrc/adam.cc",
        "csrc/batch_norm_training.cc",
        "csrc/gemm_f64.cc",
        "csrc/gemm_f64_avx2.cc",
        "csrc/gemm_f64_avx512.cc",
        "csrc/gemm_f64_binding.cc",
        "csrc/symmetric_tridiagonal_f64.cc"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags": ["-O3", "-fexceptions", "-pthread", "-fno-trapping-math", "-fno-math-errno", "-ffp-contract=off"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
