/* winograd.h — the input transform of Winograd F(2×2, 3×3) (see winograd.c): for every
   4×4 tile d of a zero-padded plane, V = Bᵀ d B, written as V[ξ][t] for the 16 positions
   ξ (stride between positions) and the tile's index t = th · tiles_w + tw. The tile
   (th, tw) starts at row 2·th, column 2·tw of the padded plane, which holds at least
   2·tiles_h + 2 rows and 2·round_up(tiles_w, 4) + 4 columns, so every read is inside it. */
#ifndef CNN_KERNELS_WINOGRAD_H
#define CNN_KERNELS_WINOGRAD_H

/* V of one tile, scalar: the reference both twins use at the right edge. */
void cnn_winograd_input_tile(float *v, long stride, const float *tile, int padded_w);

void cnn_f32_winograd_input__scalar(float *v, long stride, const float *padded, int padded_w,
                                    int tiles_h, int tiles_w);
#ifdef __wasm_simd128__
void cnn_f32_winograd_input_4x__wasmsimd(float *v, long stride, const float *padded, int padded_w,
                                         int tiles_h, int tiles_w);
#define CNN_WINOGRAD_INPUT cnn_f32_winograd_input_4x__wasmsimd
#else
#define CNN_WINOGRAD_INPUT cnn_f32_winograd_input__scalar
#endif

#endif
