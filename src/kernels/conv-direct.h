/* conv-direct.h — direct convolution for few input channels (the MNIST and
   RGB first layers), where im2col + GEMM spends more time moving data than
   multiplying. One image; the op first copies the input into a zero-padded
   buffer, so every window lies inside it and no tap needs a bounds check:
     padded [C, padded_h, padded_w], weight [OC, C, KH, KW], out [OC, OH, OW],
     out[oc][oh][ow] = Σ_c Σ_kh Σ_kw weight[oc][c][kh][kw] · padded[c][oh·stride_h + kh·dilation_h]
                                                                  [ow·stride_w + kw·dilation_w] + bias[oc]
   summed in (c, kh, kw) order, bias added last, in both twins. padded_w leaves
   room for the last group of 4 columns: padded_w ≥ (round_up(OW, 4) − 1)·stride_w
   + dilation_w·(KW − 1) + 1. groups = 1; geometry already validated. */
#ifndef CNN_KERNELS_CONV_DIRECT_H
#define CNN_KERNELS_CONV_DIRECT_H

#include "../cnn.h"

/* The direct kernels pay off up to this many input channels: measured side by
   side with im2col + GEMM, 1→8 5×5 (MNIST, batch 64) ran faster direct, while
   3→64 3×3 on 224² ran faster through the GEMM. */
#define CNN_CONV_DIRECT_MAX_CHANNELS 1
/* Output columns per SIMD tile; the padded width leaves room for a full last tile. */
#define CNN_CONV_DIRECT_TILE_COLS 4

void cnn_f32_conv_direct__scalar(float *out, const float *padded, const float *weight,
                                 const float *bias, const cnn_geometry *g, int padded_h,
                                 int padded_w);
#ifdef __wasm_simd128__
void cnn_f32_conv_direct_4x8__wasmsimd(float *out, const float *padded, const float *weight,
                                       const float *bias, const cnn_geometry *g, int padded_h,
                                       int padded_w);
#define CNN_CONV_DIRECT_IMAGE cnn_f32_conv_direct_4x8__wasmsimd
#else
#define CNN_CONV_DIRECT_IMAGE cnn_f32_conv_direct__scalar
#endif

#endif
