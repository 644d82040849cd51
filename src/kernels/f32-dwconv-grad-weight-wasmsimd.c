/* f32-dwconv-grad-weight-wasmsimd.c — weight gradient of a depthwise
   convolution over one padded plane in SIMD128, any kernel, stride and
   dilation: per tap, four accumulators (the 16 lanes of dwconv.h) take sixteen
   columns of grad_out times the (strided) tap at a time. The last group of a
   row may be short: its grad_out lanes past the row are never read and its
   products there are masked to +0, which leaves a lane sum as it was. */
#include <wasm_simd128.h>
#include "dwconv.h"
#include "strided-load-wasmsimd.h"

/* grad_row[0..count) · tap lanes, +0 in the lanes past count (count ≥ 1). */
static v128_t products(const float *grad_row, const float *tap, int stride, int count) {
    const v128_t vtap = cnn_load_strided_f32x4(tap, stride);
    if (count >= 4) return wasm_f32x4_mul(wasm_v128_load(grad_row), vtap);
    const v128_t vgrad =
        wasm_f32x4_make(grad_row[0], count > 1 ? grad_row[1] : 0.0f, count > 2 ? grad_row[2] : 0.0f, 0.0f);
    const v128_t vinside = wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(count));
    return wasm_v128_and(wasm_f32x4_mul(vgrad, vtap), vinside);
}

void cnn_f32_dwconv_grad_weight__wasmsimd(float *grad_weight, const float *grad_out, const float *padded,
                                          const cnn_geometry *g, int padded_w) {
    const int out_width = g->out_width, stride = g->stride_w;
    for (int kh = 0; kh < g->kernel_h; kh++)
        for (int kw = 0; kw < g->kernel_w; kw++) {
            v128_t vacc0 = wasm_f32x4_splat(0.0f), vacc1 = vacc0, vacc2 = vacc0, vacc3 = vacc0;
            for (int oh = 0; oh < g->out_height; oh++) {
                const float *grad_row = grad_out + (long)oh * out_width;
                const float *tap_row =
                    padded + ((long)oh * g->stride_h + (long)kh * g->dilation_h) * padded_w + (long)kw * g->dilation_w;
                int ow = 0;
                for (; ow + 16 <= out_width; ow += 16) {
                    const float *tap = tap_row + (long)ow * stride;
                    vacc0 = wasm_f32x4_add(
                        vacc0, wasm_f32x4_mul(wasm_v128_load(grad_row + ow), cnn_load_strided_f32x4(tap, stride)));
                    vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(wasm_v128_load(grad_row + ow + 4),
                                                                 cnn_load_strided_f32x4(tap + 4 * stride, stride)));
                    vacc2 = wasm_f32x4_add(vacc2, wasm_f32x4_mul(wasm_v128_load(grad_row + ow + 8),
                                                                 cnn_load_strided_f32x4(tap + 8 * stride, stride)));
                    vacc3 = wasm_f32x4_add(vacc3, wasm_f32x4_mul(wasm_v128_load(grad_row + ow + 12),
                                                                 cnn_load_strided_f32x4(tap + 12 * stride, stride)));
                }
                /* The last, shorter group of sixteen: lanes 0–3, 4–7, … as far as the row goes. */
                if (ow < out_width)
                    vacc0 = wasm_f32x4_add(
                        vacc0, products(grad_row + ow, tap_row + (long)ow * stride, stride, out_width - ow));
                if (ow + 4 < out_width)
                    vacc1 = wasm_f32x4_add(vacc1, products(grad_row + ow + 4, tap_row + (long)(ow + 4) * stride, stride,
                                                           out_width - ow - 4));
                if (ow + 8 < out_width)
                    vacc2 = wasm_f32x4_add(vacc2, products(grad_row + ow + 8, tap_row + (long)(ow + 8) * stride, stride,
                                                           out_width - ow - 8));
                if (ow + 12 < out_width)
                    vacc3 = wasm_f32x4_add(vacc3, products(grad_row + ow + 12, tap_row + (long)(ow + 12) * stride,
                                                           stride, out_width - ow - 12));
            }
            const v128_t vquarter = wasm_f32x4_add(wasm_f32x4_add(vacc0, vacc1), wasm_f32x4_add(vacc2, vacc3));
            const float half01 = wasm_f32x4_extract_lane(vquarter, 0) + wasm_f32x4_extract_lane(vquarter, 1);
            const float half23 = wasm_f32x4_extract_lane(vquarter, 2) + wasm_f32x4_extract_lane(vquarter, 3);
            grad_weight[kh * g->kernel_w + kw] += half01 + half23;
        }
}
