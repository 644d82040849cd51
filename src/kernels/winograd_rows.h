/* winograd_rows.h — the transforms of Winograd F(m, r) along rows with 8 positions,
   m + r = 9: F(4, 5) and F(2, 7) (see winograd_rows.c).

   The kernels take a plane, its tiles numbered q = row · tiles + t along rows, m output
   columns a tile. Input: tile (row, t) of a zero-padded plane of rows of
   padded_w ≥ m·tiles + 8 − m floats is its 8 floats d = plane[row · padded_w + m·t …].
   V = Bᵀ d (the same for every m) is written as v[ξ · stride + q] for the 8 positions ξ:
     V0 = 4(d0 − d6) + 21(d4 − d2)
     V1 = 17(d3 + d4) − 4(a + b),  V2 = 4(a − b) + 17(d4 − d3)      a = d1 + d5, b = d2 + d6
     V3 = c + e,  V4 = c − e        c = d2 − 5d4 + 4d6, e = 2d1 − 10d3 + 8d5
     V5 = f + h,  V6 = f − h        f = 2(4d2 − 5d4 + d6), h = 4d1 − 5d3 + d5
     V7 = 4(d7 − d1) + 21(d3 − d5)
   Output: tile (row, t) of an output plane [out_h, out_w] is Y = Aᵀ m + bias,
   m[ξ] = m[ξ · stride + q], written at plane[row · out_w + m·t …] (columns past out_w not):
     Y_i = ([i = 0] m0 + P_i) + [i = m − 1] m7 + bias,
     P_i = (s1 + 2^i s2) + 2^−i s3 for i even, with s_k = m_{2k−1} + m_{2k},
           (d1 + 2^i d2) + 2^−i d3 for i odd,  with d_k = m_{2k−1} − m_{2k}
   (the points ±1, ±2, ±1/2 at positions 1–6, ∞ at 7) for t < tiles = ⌈out_w / m⌉. Both
   twins do the same operations in the same order. */
#ifndef CNN_KERNELS_WINOGRAD_ROWS_H
#define CNN_KERNELS_WINOGRAD_ROWS_H

/* One tile, scalar: the reference both twins use where four tiles do not fit. d: the tile's
   first input float; out: its first output column, `columns` (1 … m) of them written. */
void cnn_winograd_rows_input_tile(float *v, long stride, const float *d);
void cnn_winograd_rows_output_tile(float *out, int columns, const float *m, long stride, float bias, int tile);

typedef void cnn_winograd_rows_input_kernel(float *v, long stride, const float *plane, int padded_w, int rows,
                                            int tiles, int tile);
typedef void cnn_winograd_rows_output_kernel(float *plane, const float *m, long stride, int out_h, int out_w, int tiles,
                                             int tile, float bias);

#endif
