/* winograd_rows.h — the transforms of Winograd F(2, 5) along rows (see winograd_rows.c).

   Input: a tile t of a zero-padded row is its 6 floats d = row[2t … 2t + 5]; the row holds
   at least 2·tiles + 4 floats. V = Bᵀ d is written as v[ξ · stride + t] for the 6
   positions ξ:
     V0 = 4(d0 − d2) + (d4 − d2)      V3 = 2(d3 − d1) + (d4 − d2)
     V1 = (d3 + d4) − 4(d1 + d2)      V4 = 2(d1 − d3) + (d4 − d2)
     V2 = 4(d1 − d2) + (d4 − d3)      V5 = 4(d1 − d3) + (d5 − d3)
   Output: tile t of an output row of out_w floats is Y = Aᵀ m + bias, m[ξ] = m[ξ · stride + t]:
     row[2t]     = ((m0 + (m1 + m2)) + (m3 + m4)) + bias
     row[2t + 1] = (((m1 − m2) + 2(m3 − m4)) + m5) + bias      (when 2t + 1 < out_w)
   for t < ⌈out_w / 2⌉. Both twins do the same operations in the same order. */
#ifndef CNN_KERNELS_WINOGRAD_ROWS_H
#define CNN_KERNELS_WINOGRAD_ROWS_H

/* One tile, scalar: the reference both twins use where four tiles do not fit. */
void cnn_winograd_rows_input_tile(float *v, long stride, const float *row, int t);
void cnn_winograd_rows_output_tile(float *row, const float *m, long stride, int t, int out_w, float bias);

void cnn_f32_winograd_rows_input__scalar(float *v, long stride, const float *row, int tiles);
void cnn_f32_winograd_rows_output__scalar(float *row, const float *m, long stride, int out_w, float bias);
#ifdef __wasm_simd128__
void cnn_f32_winograd_rows_input__wasmsimd(float *v, long stride, const float *row, int tiles);
void cnn_f32_winograd_rows_output__wasmsimd(float *row, const float *m, long stride, int out_w, float bias);
#define CNN_WINOGRAD_ROWS_INPUT cnn_f32_winograd_rows_input__wasmsimd
#define CNN_WINOGRAD_ROWS_OUTPUT cnn_f32_winograd_rows_output__wasmsimd
#else
#define CNN_WINOGRAD_ROWS_INPUT cnn_f32_winograd_rows_input__scalar
#define CNN_WINOGRAD_ROWS_OUTPUT cnn_f32_winograd_rows_output__scalar
#endif

#endif
