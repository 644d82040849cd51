/* gemm.h — the contract of the GEMM microkernels (the list of kernels: microkernels.h).

   A microkernel computes one MR × NR tile of C:
     C[0:m, 0:n] (+)= Σ_p a[p·MR + i] · B_p[j]   for p < k,
   a packed as k columns of MR rows (zero-padded past the valid m). Row p of B is
     gemm:  B_p = b + p·NR            a packed panel (zero-padded past the valid n)
     igemm: B_p = b + b_offsets[p]    rows read in place, e.g. from a padded image
                                      (the implicit-GEMM convolution, conv_implicit.c)
   and must have NR readable floats. igemm's sums start from init[i] (MR floats, e.g. a
   convolution's bias; zeros to add to C), gemm's from 0:
     igemm: C[i][j] (+)= init[i] + Σ_p … The register tile is always full and only the
   store handles the tail (m ≤ MR, n ≤ NR). Both come from one body per twin, the
   row address its only difference. Kernels never allocate. */
#ifndef CNN_KERNELS_GEMM_H
#define CNN_KERNELS_GEMM_H

#include <stdint.h>

#define CNN_GEMM_MR 4
#define CNN_GEMM_NR 8

typedef void cnn_gemm_kernel(int k, const float *a_packed, const float *b_packed, float *c, int ldc, int m, int n,
                             int accumulate);
typedef void cnn_igemm_kernel(int k, const float *a_packed, const float *b, const int32_t *b_offsets, const float *init,
                              float *c, int ldc, int m, int n, int accumulate);
/* Pixel tiles of a convolution (conv_implicit.c): MR output pixels by NR output channels,
     out[j·out_plane + i] (+)= init[j] + Σ_p pixels[i][tap_offsets[p]] · b_packed[p·NR + j]
   for i < m pixels (consecutive in one output plane) and j < n channels; pixels[i] is
   pixel i's window in the padded image (all MR readable), b_packed the weights as k rows of
   NR channels, init NR floats. Summed from init in p order, in both twins. */
typedef void cnn_igemm_pixels_kernel(int k, const float *const *pixels, const int32_t *tap_offsets,
                                     const float *b_packed, const float *init, float *out, long out_plane, int m, int n,
                                     int accumulate);

#endif
