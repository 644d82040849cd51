/* winograd.h — the input and output transforms of Winograd F(2×2, 3×3) (see winograd.c).

   Input: for every
   4×4 tile d of a zero-padded plane, V = Bᵀ d B, written as V[ξ][t] for the 16 positions
   ξ (stride between positions) and the tile's index t = th · tiles_w + tw. The tile
   (th, tw) starts at row 2·th, column 2·tw of the padded plane, which holds at least
   2·tiles_h + 2 rows and 2·round_up(tiles_w, 4) + 4 columns, so every read is inside it. */
#ifndef CNN_KERNELS_WINOGRAD_H
#define CNN_KERNELS_WINOGRAD_H

/* V of one tile, scalar: the reference both twins use at the right edge. */
void cnn_winograd_input_tile(float *v, long stride, const float *tile, int padded_w);

typedef void cnn_winograd_input_kernel(float *v, long stride, const float *padded, int padded_w, int tiles_h,
                                       int tiles_w);
/* Output: for every tile t of one output plane [out_h, out_w], Y = Aᵀ m A + bias with
   m[ξ] = m[ξ · stride + t], written at rows 2·th, 2·th + 1 and columns 2·tw, 2·tw + 1,
   cropped at the bottom and right edges. */
void cnn_winograd_output_tile(float *plane, int out_h, int out_w, int th, int tw, const float *m, long stride,
                              float bias);
typedef void cnn_winograd_output_kernel(float *plane, const float *m, long stride, int tiles_h, int tiles_w, int out_h,
                                        int out_w, float bias);

#endif
