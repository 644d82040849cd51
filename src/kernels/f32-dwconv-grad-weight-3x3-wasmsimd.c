/* f32-dwconv-grad-weight-3x3-wasmsimd.c — weight gradient of a depthwise 3×3
   convolution over one padded plane in SIMD128, any stride and dilation: all
   nine taps at once, one accumulator each (the 4 lanes of dwconv.h), so a
   grad_out vector is loaded once for nine products and nine add chains
   overlap. A short last group has its products past the row masked to +0. */
#include <wasm_simd128.h>
#include "microkernels.h"
#include "strided-load-wasmsimd.h"

/* vacc[kh·3 + kw] += grad[0..count) · tap (kh, kw) of four output columns, +0 past count. */
static inline void accumulate_taps(v128_t vacc[9], const float *grad, int count, const float *window, long row_step,
                                   int dilation_w, int stride_w) {
    const v128_t vgrad = count >= 4
                             ? wasm_v128_load(grad)
                             : wasm_f32x4_make(grad[0], count > 1 ? grad[1] : 0.0f, count > 2 ? grad[2] : 0.0f, 0.0f);
    const v128_t vinside = wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(count));
    for (int kh = 0; kh < 3; kh++)
        for (int kw = 0; kw < 3; kw++) {
            const v128_t vtap = cnn_load_strided_f32x4(window + kh * row_step + kw * dilation_w, stride_w);
            v128_t vproduct = wasm_f32x4_mul(vgrad, vtap);
            if (count < 4) vproduct = wasm_v128_and(vproduct, vinside);
            vacc[kh * 3 + kw] = wasm_f32x4_add(vacc[kh * 3 + kw], vproduct);
        }
}

void cnn_f32_dwconv_grad_weight_3x3__wasmsimd(float *grad_weight, const float *grad_out, const float *padded,
                                              const cnn_geometry *g, int padded_w) {
    v128_t vacc[9];
    for (int t = 0; t < 9; t++) vacc[t] = wasm_f32x4_splat(0.0f);
    const long row_step = (long)g->dilation_h * padded_w;
    const int out_width = g->out_width, stride_w = g->stride_w, dilation_w = g->dilation_w;
    for (int oh = 0; oh < g->out_height; oh++) {
        const float *grad_row = grad_out + (long)oh * out_width;
        const float *padded_row = padded + (long)oh * g->stride_h * padded_w;
        int ow = 0;
        for (; ow + 4 <= out_width; ow += 4)
            accumulate_taps(vacc, grad_row + ow, 4, padded_row + (long)ow * stride_w, row_step, dilation_w, stride_w);
        if (ow < out_width)
            accumulate_taps(vacc, grad_row + ow, out_width - ow, padded_row + (long)ow * stride_w, row_step, dilation_w,
                            stride_w);
    }
    for (int t = 0; t < 9; t++)
        grad_weight[t] += (wasm_f32x4_extract_lane(vacc[t], 0) + wasm_f32x4_extract_lane(vacc[t], 1)) +
                          (wasm_f32x4_extract_lane(vacc[t], 2) + wasm_f32x4_extract_lane(vacc[t], 3));
}
