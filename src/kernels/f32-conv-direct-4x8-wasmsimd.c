/* f32-conv-direct-4x8-wasmsimd.c — direct convolution of one padded image in
   SIMD128 (see conv-direct.h): a tile of 4 output columns × up to 8 output
   channels in eight accumulators vacc{o}; each tap loads the 4 input values
   once and multiplies them by each channel's broadcast weight. The last
   column tile and the last channel group are computed whole and stored in
   part. */
#include <wasm_simd128.h>
#include "conv-direct.h"
#include "strided-load-wasmsimd.h"

void cnn_f32_conv_direct_4x8__wasmsimd(float *out, const float *padded, const float *weight,
                                       const float *bias, const cnn_geometry *g, int padded_h,
                                       int padded_w) {
    const int taps = g->kernel_h * g->kernel_w, weight_stride = g->in_channels * taps;
    const long out_plane = (long)g->out_height * g->out_width, padded_plane = (long)padded_h * padded_w;
    /* Channel groups innermost: the input rows of a tile stay in L1 across groups. */
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow += CNN_CONV_DIRECT_TILE_COLS)
            for (int oc0 = 0; oc0 < g->out_channels; oc0 += 8) {
                const int channels = g->out_channels - oc0 < 8 ? g->out_channels - oc0 : 8;
                /* Channels past the last one reuse its weights; their results are not stored. */
                const float *w[8];
                for (int o = 0; o < 8; o++) w[o] = weight + (long)(oc0 + (o < channels ? o : channels - 1)) * weight_stride;
                v128_t vacc0 = wasm_f32x4_splat(0.0f), vacc1 = vacc0, vacc2 = vacc0, vacc3 = vacc0;
                v128_t vacc4 = vacc0, vacc5 = vacc0, vacc6 = vacc0, vacc7 = vacc0;
                for (int c = 0; c < g->in_channels; c++)
                    for (int kh = 0; kh < g->kernel_h; kh++) {
                        const float *row = padded + c * padded_plane +
                                           (long)(oh * g->stride_h + kh * g->dilation_h) * padded_w +
                                           ow * g->stride_w;
                        const int tap0 = c * taps + kh * g->kernel_w;
                        for (int kw = 0; kw < g->kernel_w; kw++) {
                            const v128_t vin = cnn_load_strided_f32x4(row + kw * g->dilation_w, g->stride_w);
                            const int t = tap0 + kw;
                            vacc0 = wasm_f32x4_add(vacc0, wasm_f32x4_mul(wasm_v128_load32_splat(w[0] + t), vin));
                            vacc1 = wasm_f32x4_add(vacc1, wasm_f32x4_mul(wasm_v128_load32_splat(w[1] + t), vin));
                            vacc2 = wasm_f32x4_add(vacc2, wasm_f32x4_mul(wasm_v128_load32_splat(w[2] + t), vin));
                            vacc3 = wasm_f32x4_add(vacc3, wasm_f32x4_mul(wasm_v128_load32_splat(w[3] + t), vin));
                            vacc4 = wasm_f32x4_add(vacc4, wasm_f32x4_mul(wasm_v128_load32_splat(w[4] + t), vin));
                            vacc5 = wasm_f32x4_add(vacc5, wasm_f32x4_mul(wasm_v128_load32_splat(w[5] + t), vin));
                            vacc6 = wasm_f32x4_add(vacc6, wasm_f32x4_mul(wasm_v128_load32_splat(w[6] + t), vin));
                            vacc7 = wasm_f32x4_add(vacc7, wasm_f32x4_mul(wasm_v128_load32_splat(w[7] + t), vin));
                        }
                    }
                const v128_t vacc[8] = {vacc0, vacc1, vacc2, vacc3, vacc4, vacc5, vacc6, vacc7};
                const int columns = g->out_width - ow < 4 ? g->out_width - ow : 4;
                for (int o = 0; o < channels; o++) {
                    const v128_t vresult = wasm_f32x4_add(vacc[o], wasm_f32x4_splat(bias ? bias[oc0 + o] : 0.0f));
                    float *dst = out + (oc0 + o) * out_plane + (long)oh * g->out_width + ow;
                    if (columns == 4) {
                        wasm_v128_store(dst, vresult);
                    } else {
                        float lanes[4];
                        wasm_v128_store(lanes, vresult);
                        for (int j = 0; j < columns; j++) dst[j] = lanes[j];
                    }
                }
            }
}
