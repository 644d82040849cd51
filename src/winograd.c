/* winograd.c — 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3)
   (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).

   Each 2×2 output tile comes from a 4×4 input tile d (tiles overlap by 2):
     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
   with
     Bᵀ = | 1  0 −1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
          | 0  1  1  0 |         | 1/2  1/2  1/2 |          | 0  1 −1 −1 |
          | 0 −1  1  0 |         | 1/2 −1/2  1/2 |
          | 0  1  0 −1 |         | 0    0    1  |
   so a tile costs 16 multiplies per (input, output) channel pair instead of 36.
   Summed over input channels, the element-wise products become 16 GEMMs, one
   per position ξ of the 4×4 transformed tile:
     U[ξ] [OC, C]   transformed weights
     V[ξ] [C, T]    transformed input tiles, T = N · tiles_h · tiles_w
     M[ξ] = U[ξ] · V[ξ]   [OC, T], then Y = Aᵀ M A per tile, plus the bias.
   Shapes: in [N, C, H, W], weight [OC, C, 3, 3], out [N, OC, OH, OW]; groups 1. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "kernels/winograd.h"

enum { TILE_IN = 4, POSITIONS = TILE_IN * TILE_IN };

int cnn_winograd_applies(const cnn_geometry *g) {
    return g->kernel_h == 3 && g->kernel_w == 3 && g->stride_h == 1 && g->stride_w == 1 &&
           g->dilation_h == 1 && g->dilation_w == 1 && g->groups == 1 &&
           g->in_channels >= CNN_WINOGRAD_MIN_CHANNELS && g->out_channels >= CNN_WINOGRAD_MIN_CHANNELS;
}

/* U = G g Gᵀ for one 3×3 filter, written with stride between positions. */
static void transform_filter(float *u, long stride, const float *g) {
    float gg[TILE_IN][3]; /* G g */
    for (int j = 0; j < 3; j++) {
        gg[0][j] = g[j];
        gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
        gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
        gg[3][j] = g[6 + j];
    }
    for (int i = 0; i < TILE_IN; i++) { /* (G g) Gᵀ */
        u[(i * TILE_IN + 0) * stride] = gg[i][0];
        u[(i * TILE_IN + 1) * stride] = 0.5f * (gg[i][0] + gg[i][1] + gg[i][2]);
        u[(i * TILE_IN + 2) * stride] = 0.5f * (gg[i][0] - gg[i][1] + gg[i][2]);
        u[(i * TILE_IN + 3) * stride] = gg[i][2];
    }
}

cnn_status cnn_conv2d_winograd(float *out, const float *in, const float *weight, const float *bias,
                               const cnn_geometry *g) {
    const int channels = g->in_channels, out_channels = g->out_channels;
    const int tiles_h = (g->out_height + 1) / 2, tiles_w = (g->out_width + 1) / 2;
    const long tiles = (long)g->batch * tiles_h * tiles_w;
    float *u = cnn_alloc_floats("conv2d", (long long)POSITIONS * out_channels * channels);
    float *v = cnn_alloc_floats("conv2d", (long long)POSITIONS * channels * tiles);
    float *m = cnn_alloc_floats("conv2d", (long long)POSITIONS * out_channels * tiles);
    const int padded_w = 2 * ((tiles_w + 3) / 4 * 4) + 4;
    const long padded_plane = (2L * tiles_h + 2) * padded_w;
    float *padded = cnn_alloc_floats("conv2d", padded_plane);
    cnn_status status = u && v && m && padded ? CNN_OK : CNN_OUT_OF_MEMORY;
    if (status) goto done;

    /* U[ξ][oc][c] */
    for (int oc = 0; oc < out_channels; oc++)
        for (int c = 0; c < channels; c++)
            transform_filter(u + (long)oc * channels + c, (long)out_channels * channels,
                             weight + ((long)oc * channels + c) * 9);
    /* V[ξ][c][t], t = (n · tiles_h + th) · tiles_w + tw: each plane is copied into a
       zero-padded buffer so that every tile (starting at 2·th − pad_top, 2·tw − pad_left
       of the input) lies inside it, then transformed (kernels/winograd.h). */
    for (int n = 0; n < g->batch; n++)
        for (int c = 0; c < channels; c++) {
            const float *plane = in + ((long)n * channels + c) * g->in_height * g->in_width;
            for (long i = 0; i < padded_plane; i++) padded[i] = 0.0f;
            for (int h = 0; h < g->in_height; h++)
                memcpy(padded + (long)(h + g->pad_top) * padded_w + g->pad_left,
                       plane + (long)h * g->in_width, (size_t)g->in_width * sizeof(float));
            CNN_WINOGRAD_INPUT(v + (long)c * tiles + (long)n * tiles_h * tiles_w, (long)channels * tiles,
                               padded, padded_w, tiles_h, tiles_w);
        }
    /* M[ξ] = U[ξ] · V[ξ] */
    for (int xi = 0; xi < POSITIONS && !status; xi++)
        status = cnn_gemm("conv2d", m + (long)xi * out_channels * tiles, (int)tiles,
                          u + (long)xi * out_channels * channels, channels, 1,
                          v + (long)xi * channels * tiles, (int)tiles, 1, out_channels, (int)tiles,
                          channels, 0);
    if (status) goto done;
    /* Y = Aᵀ M A + bias per output plane, cropped at the right and bottom edges. */
    for (int n = 0; n < g->batch; n++)
        for (int oc = 0; oc < out_channels; oc++)
            CNN_WINOGRAD_OUTPUT(out + ((long)n * out_channels + oc) * g->out_height * g->out_width,
                                m + (long)oc * tiles + (long)n * tiles_h * tiles_w, (long)out_channels * tiles,
                                tiles_h, tiles_w, g->out_height, g->out_width, bias ? bias[oc] : 0.0f);
done:
    free(padded);
    free(u);
    free(v);
    free(m);
    return status;
}
