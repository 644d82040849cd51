/* dwconv.h — depthwise convolution kernels over one [H, W] plane (groups =
   in_channels = out_channels): each channel has its own KH × KW kernel.
     out[oh][ow] = Σ_kh Σ_kw weight[kh][kw] · in[oh·stride_h − pad_top + kh·dilation_h]
                                                  [ow·stride_w − pad_left + kw·dilation_w] + bias
   summed in tap order over the taps inside the input, then the bias added, in
   both twins, so their results are identical. Geometry is already validated. */
#ifndef CNN_KERNELS_DWCONV_H
#define CNN_KERNELS_DWCONV_H

#include "../cnn.h"
#include "window.h"

/* One output cell, scalar: the reference the SIMD kernel uses at the borders. */
float cnn_dwconv_cell(const float *in, const float *weight, float bias, const cnn_geometry *g,
                      int out_row, int out_col);

void cnn_f32_dwconv__scalar(float *out, const float *in, const float *weight, float bias,
                            const cnn_geometry *g);
#ifdef __wasm_simd128__
void cnn_f32_dwconv__wasmsimd(float *out, const float *in, const float *weight, float bias,
                              const cnn_geometry *g);
#define CNN_DWCONV_PLANE cnn_f32_dwconv__wasmsimd
#else
#define CNN_DWCONV_PLANE cnn_f32_dwconv__scalar
#endif

#endif
