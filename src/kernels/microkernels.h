/* microkernels.h — the one list of microkernels. Each entry names
     role       what a route calls it for; the route calls cnn_<role>_microkernel
     type       its function type, with the contract, in the family header (gemm.h, wgrad.h,
                dwconv.h, pool.h, winograd.h, winograd_rows.h)
     isa        the instruction set of the kernel: wasmsimd (built with -msimd128) or scalar
     kernel     the kernel, in src/kernels/f32-<op>-<tile>-<isa>.c
     twin       its scalar twin, which stays: same type, same order of operations
     tile_rows, tile_cols   what one step of the kernel covers: MR × NR for the GEMM family,
                1 × (output columns, lanes or Winograd tiles per SIMD group) for a plane kernel;
                the tests take every tail of it.
   From the list come
     - the declarations of every kernel and twin (below),
     - cnn_<role>_microkernel, the function a route calls: the kernel where the build has its
       isa, else the twin. A constant, so the compiler makes the call direct,
     - the twin tests (tests/native/test_microkernels.c): each kernel against its twin at every
       tail of its tile, in the wasm build (tests/native/run-wasm.sh); the twins alone natively.
   So listing a SIMD kernel is what makes the routes use it and the tests test it;
   tests/microkernels.test.mjs fails when a kernel file or a route goes around the list. */
#ifndef CNN_KERNELS_MICROKERNELS_H
#define CNN_KERNELS_MICROKERNELS_H

#include "dwconv.h"
#include "gemm.h"
#include "pool.h"
#include "wgrad.h"
#include "winograd.h"
#include "winograd_rows.h"

/* X(role, type, isa, kernel, twin, tile_rows, tile_cols) */
#define CNN_MICROKERNELS(X)                                                                                            \
    /* GEMM family: MR × NR tiles of C */                                                                             \
    X(gemm, cnn_gemm_kernel, wasmsimd, cnn_f32_gemm_4x8__wasmsimd, cnn_f32_gemm_4x8__scalar, CNN_GEMM_MR, CNN_GEMM_NR) \
    X(igemm, cnn_igemm_kernel, wasmsimd, cnn_f32_igemm_4x8__wasmsimd, cnn_f32_igemm_4x8__scalar, CNN_GEMM_MR,          \
      CNN_GEMM_NR)                                                                                                     \
    X(igemm_pixels, cnn_igemm_pixels_kernel, wasmsimd, cnn_f32_igemm_pixels_4x8__wasmsimd,                             \
      cnn_f32_igemm_pixels_4x8__scalar, CNN_GEMM_MR, CNN_GEMM_NR)                                                      \
    X(wgrad, cnn_wgrad_kernel, wasmsimd, cnn_f32_wgrad_4x8__wasmsimd, cnn_f32_wgrad_4x8__scalar, CNN_GEMM_MR,          \
      CNN_GEMM_NR)                                                                                                     \
    /* Depthwise convolution: any window; 3×3 stride 1, any dilation; 3×3 stride 2 undilated */                      \
    X(dwconv, cnn_dwconv_plane_kernel, wasmsimd, cnn_f32_dwconv__wasmsimd, cnn_f32_dwconv__scalar, 1,                  \
      CNN_DWCONV_TILE_COLS)                                                                                            \
    X(dwconv_3x3s1, cnn_dwconv_plane_kernel, wasmsimd, cnn_f32_dwconv_3x3s1__wasmsimd, cnn_f32_dwconv_3x3s1__scalar,   \
      1, CNN_DWCONV_TILE_COLS)                                                                                         \
    X(dwconv_3x3s2, cnn_dwconv_plane_kernel, wasmsimd, cnn_f32_dwconv_3x3s2__wasmsimd, cnn_f32_dwconv_3x3s2__scalar,   \
      1, CNN_DWCONV_TILE_COLS)                                                                                         \
    /* Its weight gradient: any window, in 16 lanes; 3×3, any stride and dilation, in 4 lanes */                      \
    X(dwconv_grad_weight, cnn_dwconv_grad_weight_plane_kernel, wasmsimd, cnn_f32_dwconv_grad_weight__wasmsimd,         \
      cnn_f32_dwconv_grad_weight__scalar, 1, 16)                                                                       \
    X(dwconv_grad_weight_3x3, cnn_dwconv_grad_weight_plane_kernel, wasmsimd, cnn_f32_dwconv_grad_weight_3x3__wasmsimd, \
      cnn_f32_dwconv_grad_weight_3x3__scalar, 1, 4)                                                                    \
    /* Pooling: blocks of four output cells */                                                                         \
    X(max_pool, cnn_max_pool_plane_kernel, wasmsimd, cnn_f32_maxpool__wasmsimd, cnn_f32_maxpool__scalar, 1, 4)         \
    X(max_pool_values, cnn_pool_plane_kernel, wasmsimd, cnn_f32_maxpool_values__wasmsimd,                              \
      cnn_f32_maxpool_values__scalar, 1, 4)                                                                            \
    X(avg_pool, cnn_pool_plane_kernel, wasmsimd, cnn_f32_avgpool__wasmsimd, cnn_f32_avgpool__scalar, 1, 4)             \
    /* Winograd transforms, four tiles at a time: F(2×2, 3×3), then F(4, 5) and F(2, 7) along rows */                \
    X(winograd_input, cnn_winograd_input_kernel, wasmsimd, cnn_f32_winograd_input_4x__wasmsimd,                        \
      cnn_f32_winograd_input__scalar, 1, 4)                                                                            \
    X(winograd_output, cnn_winograd_output_kernel, wasmsimd, cnn_f32_winograd_output_4x__wasmsimd,                     \
      cnn_f32_winograd_output__scalar, 1, 4)                                                                           \
    X(winograd_rows_input, cnn_winograd_rows_input_kernel, wasmsimd, cnn_f32_winograd_rows_input__wasmsimd,            \
      cnn_f32_winograd_rows_input__scalar, 1, 4)                                                                       \
    X(winograd_rows_output, cnn_winograd_rows_output_kernel, wasmsimd, cnn_f32_winograd_rows_output__wasmsimd,         \
      cnn_f32_winograd_rows_output__scalar, 1, 4)

/* CNN_PICK_<isa>(kernel, twin): the kernel where this build has the isa, else the twin. */
#ifdef __wasm_simd128__
#define CNN_PICK_wasmsimd(kernel, twin) kernel
#else
#define CNN_PICK_wasmsimd(kernel, twin) twin
#endif
#define CNN_PICK_scalar(kernel, twin) twin

#define CNN_DECLARE_MICROKERNEL(role, type, isa, kernel, twin, tile_rows, tile_cols)                                   \
    type kernel;                                                                                                       \
    type twin;                                                                                                         \
    static type *const cnn_##role##_microkernel = CNN_PICK_##isa(kernel, twin);
CNN_MICROKERNELS(CNN_DECLARE_MICROKERNEL)
#undef CNN_DECLARE_MICROKERNEL

#endif
