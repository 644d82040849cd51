/* dwconv.h — the contract of the depthwise convolution kernels over one plane (groups = in_channels
   = out_channels: each channel has its own KH × KW kernel). The op first copies
   the plane into a zero-padded buffer, so every window lies inside it and no
   tap needs a bounds check:
     padded [padded_h, padded_w], weight [KH, KW], out [OH, OW],
     out[oh][ow] = bias + Σ_kh Σ_kw weight[kh][kw] · padded[oh·stride_h + kh·dilation_h]
                                                         [ow·stride_w + kw·dilation_w]
   summed from the bias, taps in (kh, kw) order, in every kernel of both twins,
   so they agree to the bit. A padding tap adds weight · 0, as the im2col and
   direct paths do; for finite weights that changes nothing, as a sum that
   starts at a bias of +0 is never −0. padded_w leaves room for the last group
   of 4 columns: padded_w ≥ (round_up(OW, 4) − 1)·stride_w + dilation_w·(KW − 1) + 1.
   The kernels read only out_height/width, kernel, stride and dilation of the
   geometry; the padding is in the buffer already.

   Weight gradient of one plane (accumulating):
     grad_weight[kh][kw] += Σ_oh Σ_ow grad_out[oh][ow] · padded[oh·stride_h + kh·dilation_h]
                                                               [ow·stride_w + kw·dilation_w]
   summed in lanes: lane j takes the columns ow ≡ j (mod lanes) of every row,
   rows in order, starting from +0. The general kernels use 16 lanes (four
   accumulators per tap, one tap at a time): m_j = (lane_j + lane_4+j) +
   (lane_8+j + lane_12+j) for j < 4, and the tap gets (m_0 + m_1) + (m_2 + m_3).
   The 3×3 kernels use 4 lanes (one accumulator per tap, all nine taps at once):
   the tap gets (lane_0 + lane_1) + (lane_2 + lane_3). */
#ifndef CNN_KERNELS_DWCONV_H
#define CNN_KERNELS_DWCONV_H

#include "../cnn.h"

/* Output columns per SIMD group; the padded width leaves room for a full last group. */
#define CNN_DWCONV_TILE_COLS 4

/* Forward: any kernel size, stride and dilation, or specialised (see the list, microkernels.h). */
typedef void cnn_dwconv_plane_kernel(float *out, const float *padded, const float *weight, float bias,
                                     const cnn_geometry *g, int padded_w);
/* Weight gradient, accumulating. */
typedef void cnn_dwconv_grad_weight_plane_kernel(float *grad_weight, const float *grad_out, const float *padded,
                                                 const cnn_geometry *g, int padded_w);

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
/* The last group of an output row may be shorter than four columns: stores
   the first min(count, 4) lanes only. */
static inline void cnn_dwconv_store_first_lanes(float *p, v128_t v, int count) {
    if (count >= 4) {
        wasm_v128_store(p, v);
    } else if (count >= 2) {
        wasm_v128_store64_lane(p, v, 0);
        if (count == 3) wasm_v128_store32_lane(p + 2, v, 2);
    } else {
        wasm_v128_store32_lane(p, v, 0);
    }
}
#endif

#endif
