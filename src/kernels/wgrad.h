/* wgrad.h — the contract of the weight-gradient microkernels of the implicit-GEMM convolution
   (conv_implicit.c). One MR × NR tile of grad_weightᵀ [taps, out channels]:
     c[i][j] += Σ_{oh < out_rows} Σ_{ow < out_cols} a[tap_offsets[i] + oh·row_step + ow] · b[(oh·out_cols + ow)·NR + j]
   a is the padded image (its column phases make each tap's row contiguous), so
   row i of A is tap i's window slid over the output; b is grad_out packed as
   [pixel][NR out channels]. Rows past m are computed from valid taps and not
   stored. Summed in (oh, ow) order then added to c, in both twins. */
#ifndef CNN_KERNELS_WGRAD_H
#define CNN_KERNELS_WGRAD_H

#include <stdint.h>
#include "gemm.h"

typedef void cnn_wgrad_kernel(int out_rows, int out_cols, const float *a, const int32_t *tap_offsets, int row_step,
                              const float *b_packed, float *c, int ldc, int m);

#endif
