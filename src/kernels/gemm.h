/* gemm.h — the GEMM microkernels and the one list that drives dispatch and tests.

   A microkernel computes one MR × NR tile of C from packed panels:
     C[0:m, 0:n] (+)= Σ_p a[p·MR + i] · b[p·NR + j]   for p < k,
   a packed as k columns of MR rows, b as k rows of NR columns, both zero-padded
   past the valid m × n, so the register tile is always full and only the
   store handles the tail (m ≤ MR, n ≤ NR). Kernels never allocate. */
#ifndef CNN_KERNELS_GEMM_H
#define CNN_KERNELS_GEMM_H

#define CNN_GEMM_MR 4
#define CNN_GEMM_NR 8

typedef void (*cnn_gemm_microkernel)(int k, const float *a_packed, const float *b_packed,
                                     float *c, int ldc, int m, int n, int accumulate);

void cnn_f32_gemm_4x8__scalar(int k, const float *a_packed, const float *b_packed, float *c,
                              int ldc, int m, int n, int accumulate);
#ifdef __wasm_simd128__
void cnn_f32_gemm_4x8__wasmsimd(int k, const float *a_packed, const float *b_packed, float *c,
                                int ldc, int m, int n, int accumulate);
#define CNN_GEMM_MICROKERNEL cnn_f32_gemm_4x8__wasmsimd
#else
#define CNN_GEMM_MICROKERNEL cnn_f32_gemm_4x8__scalar
#endif

#endif
