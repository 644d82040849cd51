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
   Shapes: in [N, C, H, W], weight [OC, C, 3, 3], out [N, OC, OH, OW]; groups 1.

   The weight gradient runs the same algorithm transposed. For L = Σ_t ⟨grad_out_t, Y_t⟩,
     ∂L/∂g = Σ_t Gᵀ [ (A grad_out_t Aᵀ) ⊙ (Bᵀ d_t B) ] G
   and, summed over tiles and images in the transformed domain, 16 GEMMs again:
     Ĝ[ξ] [OC, T]    transformed grad_out tiles (zero past the bottom and right edges)
     Mᵀ[ξ] = V[ξ] · Ĝ[ξ]ᵀ   [C, OC], then grad_weight[oc][c] += Gᵀ M G (4×4 → 3×3). */
#include <string.h>
#include "../internal.h"
#include "../kernels/microkernels.h"

enum { TILE_IN = 4, POSITIONS = TILE_IN * TILE_IN };

/* Its largest scratch within the cap, so every size inside fits an int32: per position,
   max(C, OC)·T transformed tiles (T = batch·⌈OH/2⌉·⌈OW/2⌉) or C·OC transformed filters;
   the padded plane (2·⌈OH/2⌉ + 2)·(OW + 8) is at most 16·T of them. */
static int scratch_fits(const cnn_geometry *g) {
    const long long tiles = cnn_size_mul(cnn_size_mul(g->batch, (g->out_height + 1LL) / 2), (g->out_width + 1LL) / 2);
    const long long widest = g->in_channels > g->out_channels ? g->in_channels : g->out_channels;
    const long long filters = cnn_size_mul(g->in_channels, g->out_channels), inputs = cnn_size_mul(widest, tiles);
    return cnn_size_mul(POSITIONS, (inputs > filters ? inputs : filters) + 16) <= CNN_MAX_SCRATCH;
}

int cnn_winograd_applies(const cnn_geometry *g) {
    return g->kernel_h == 3 && g->kernel_w == 3 && g->stride_h == 1 && g->stride_w == 1 && g->dilation_h == 1 &&
           g->dilation_w == 1 && g->groups == 1 && g->in_channels >= CNN_WINOGRAD_MIN_CHANNELS &&
           g->out_channels >= CNN_WINOGRAD_MIN_CHANNELS && scratch_fits(g);
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

/* Tiles of a layer: T = batch · tiles_h · tiles_w, each covering 2×2 outputs. */
typedef struct {
    int tiles_h, tiles_w;
    long count;
} tiling;

static tiling tiling_of(const cnn_geometry *g) {
    tiling t = {(g->out_height + 1) / 2, (g->out_width + 1) / 2, 0};
    t.count = (long)g->batch * t.tiles_h * t.tiles_w;
    return t;
}

/* The zero-padded plane transform_input copies each input plane into: every tile (starting at
   2·th − pad_top, 2·tw − pad_left of the input) lies inside it; rows padded_w floats long. */
static int padded_width(const tiling *t) { return 2 * ((t->tiles_w + 3) / 4 * 4) + 4; }
static long padded_plane_floats(const tiling *t) { return (2L * t->tiles_h + 2) * padded_width(t); }

/* V[ξ][c][t] at v[ξ · v_stride + c · T + t], t = (n · tiles_h + th) · tiles_w + tw: each plane is copied into
   the padded plane, then transformed (kernels/winograd.h). */
static void transform_input(float *v, long v_stride, float *padded, const float *in, const cnn_geometry *g,
                            const tiling *t) {
    const int channels = g->in_channels, padded_w = padded_width(t);
    const long padded_plane = padded_plane_floats(t);
    for (int n = 0; n < g->batch; n++)
        for (int c = 0; c < channels; c++) {
            const float *plane = in + ((long)n * channels + c) * g->in_height * g->in_width;
            for (long i = 0; i < padded_plane; i++) padded[i] = 0.0f;
            for (int h = 0; h < g->in_height; h++)
                memcpy(padded + (long)(h + g->pad_top) * padded_w + g->pad_left, plane + (long)h * g->in_width,
                       (size_t)g->in_width * sizeof(float));
            cnn_winograd_input_microkernel(v + (long)c * t->count + (long)n * t->tiles_h * t->tiles_w, v_stride, padded,
                                           padded_w, t->tiles_h, t->tiles_w);
        }
}

/* Forward's scratch: U, V and M with their position strides, the padded plane, the GEMMs' packing. */
typedef struct {
    long u_stride, v_stride, m_stride;
    float *u, *v, *m, *padded, *packing;
} forward_buffers;

static void take_forward_buffers(forward_buffers *b, cnn_scratch *s, const cnn_geometry *g, const tiling *t) {
    const int channels = g->in_channels, out_channels = g->out_channels;
    b->u_stride = cnn_position_stride((long)out_channels * channels);
    b->v_stride = cnn_position_stride(channels * t->count), b->m_stride = cnn_position_stride(out_channels * t->count);
    b->u = cnn_scratch_take(s, (long long)POSITIONS * b->u_stride);
    b->v = cnn_scratch_take(s, (long long)POSITIONS * b->v_stride);
    b->m = cnn_scratch_take(s, (long long)POSITIONS * b->m_stride);
    b->padded = cnn_scratch_take(s, padded_plane_floats(t));
    b->packing = cnn_scratch_take(s, cnn_gemm_packing_floats(out_channels, (int)t->count, channels));
}

long long cnn_conv2d_winograd_scratch_floats(const cnn_geometry *g) {
    const tiling t = tiling_of(g);
    forward_buffers b;
    cnn_scratch s = {NULL, 0};
    take_forward_buffers(&b, &s, g, &t);
    return s.used;
}

void cnn_conv2d_winograd(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                         float *scratch) {
    const int channels = g->in_channels, out_channels = g->out_channels;
    const tiling t = tiling_of(g);
    forward_buffers b;
    cnn_scratch s = {scratch, 0};
    take_forward_buffers(&b, &s, g, &t);
    transform_input(b.v, b.v_stride, b.padded, in, g, &t);
    /* U[ξ][oc][c] */
    for (int oc = 0; oc < out_channels; oc++)
        for (int c = 0; c < channels; c++)
            transform_filter(b.u + (long)oc * channels + c, b.u_stride, weight + ((long)oc * channels + c) * 9);
    /* M[ξ] = U[ξ] · V[ξ] */
    for (int xi = 0; xi < POSITIONS; xi++)
        cnn_gemm_packed(b.m + xi * b.m_stride, (int)t.count, b.u + xi * b.u_stride, channels, 1, b.v + xi * b.v_stride,
                        (int)t.count, 1, out_channels, (int)t.count, channels, 0, b.packing);
    /* Y = Aᵀ M A + bias per output plane, cropped at the right and bottom edges. */
    for (int n = 0; n < g->batch; n++)
        for (int oc = 0; oc < out_channels; oc++)
            cnn_winograd_output_microkernel(out + ((long)n * out_channels + oc) * g->out_height * g->out_width,
                                            b.m + (long)oc * t.count + (long)n * t.tiles_h * t.tiles_w, b.m_stride,
                                            t.tiles_h, t.tiles_w, g->out_height, g->out_width, bias ? bias[oc] : 0.0f);
}

/* Ĝ = A go Aᵀ for every 2×2 tile go of one grad_out plane [out_h, out_w] (0 past its
   bottom and right edges), written at ĝ[ξ · stride + t], t = th · tiles_w + tw.
   A = [[1, 0], [1, 1], [1, −1], [0, −1]]. */
static void transform_grad_out(float *g_hat, long stride, const float *plane, int out_h, int out_w, int tiles_h,
                               int tiles_w) {
    for (int th = 0, t = 0; th < tiles_h; th++)
        for (int tw = 0; tw < tiles_w; tw++, t++) {
            float go[2][2], a_go[TILE_IN][2]; /* go, then A go */
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++) {
                    const int row = 2 * th + i, col = 2 * tw + j;
                    go[i][j] = row < out_h && col < out_w ? plane[(long)row * out_w + col] : 0.0f;
                }
            for (int j = 0; j < 2; j++) {
                a_go[0][j] = go[0][j];
                a_go[1][j] = go[0][j] + go[1][j];
                a_go[2][j] = go[0][j] - go[1][j];
                a_go[3][j] = -go[1][j];
            }
            for (int i = 0; i < TILE_IN; i++) { /* (A go) Aᵀ */
                float *row = g_hat + (long)i * TILE_IN * stride + t;
                row[0] = a_go[i][0];
                row[stride] = a_go[i][0] + a_go[i][1];
                row[2 * stride] = a_go[i][0] - a_go[i][1];
                row[3 * stride] = -a_go[i][1];
            }
        }
}

/* grad_weight (3×3) += Gᵀ M G for M[ξ] = m[ξ · stride]. */
static void accumulate_filter_grad(float *grad_weight, const float *m, long stride) {
    float mg[TILE_IN][3]; /* M G */
    for (int i = 0; i < TILE_IN; i++) {
        const float *row = m + (long)i * TILE_IN * stride;
        mg[i][0] = row[0] + 0.5f * (row[stride] + row[2 * stride]);
        mg[i][1] = 0.5f * (row[stride] - row[2 * stride]);
        mg[i][2] = 0.5f * (row[stride] + row[2 * stride]) + row[3 * stride];
    }
    for (int j = 0; j < 3; j++) { /* Gᵀ (M G) */
        grad_weight[j] += mg[0][j] + 0.5f * (mg[1][j] + mg[2][j]);
        grad_weight[3 + j] += 0.5f * (mg[1][j] - mg[2][j]);
        grad_weight[6 + j] += 0.5f * (mg[1][j] + mg[2][j]) + mg[3][j];
    }
}

/* The weight gradient's scratch: V, Ĝ and Mᵀ with their position strides, the padded plane,
   the GEMMs' packing. */
typedef struct {
    long v_stride, g_hat_stride, m_stride;
    float *v, *g_hat, *m, *padded, *packing;
} grad_weight_buffers;

static void take_grad_weight_buffers(grad_weight_buffers *b, cnn_scratch *s, const cnn_geometry *g, const tiling *t) {
    const int channels = g->in_channels, out_channels = g->out_channels;
    b->v_stride = cnn_position_stride(channels * t->count),
    b->g_hat_stride = cnn_position_stride(out_channels * t->count);
    b->m_stride = cnn_position_stride((long)channels * out_channels);
    b->v = cnn_scratch_take(s, (long long)POSITIONS * b->v_stride);
    b->g_hat = cnn_scratch_take(s, (long long)POSITIONS * b->g_hat_stride);
    b->m = cnn_scratch_take(s, (long long)POSITIONS * b->m_stride);
    b->padded = cnn_scratch_take(s, padded_plane_floats(t));
    b->packing = cnn_scratch_take(s, cnn_gemm_packing_floats(channels, out_channels, (int)t->count));
}

long long cnn_conv2d_winograd_grad_weight_scratch_floats(const cnn_geometry *g) {
    const tiling t = tiling_of(g);
    grad_weight_buffers b;
    cnn_scratch s = {NULL, 0};
    take_grad_weight_buffers(&b, &s, g, &t);
    return s.used;
}

void cnn_conv2d_winograd_grad_weight(float *grad_weight, const float *grad_out, const float *in, const cnn_geometry *g,
                                     float *scratch) {
    const int channels = g->in_channels, out_channels = g->out_channels;
    const tiling t = tiling_of(g);
    const long tiles_per_image = (long)t.tiles_h * t.tiles_w;
    grad_weight_buffers b;
    cnn_scratch s = {scratch, 0};
    take_grad_weight_buffers(&b, &s, g, &t);
    transform_input(b.v, b.v_stride, b.padded, in, g, &t);
    /* Ĝ[ξ][oc][t], t as in V */
    for (int n = 0; n < g->batch; n++)
        for (int oc = 0; oc < out_channels; oc++)
            transform_grad_out(b.g_hat + (long)oc * t.count + n * tiles_per_image, b.g_hat_stride,
                               grad_out + ((long)n * out_channels + oc) * g->out_height * g->out_width, g->out_height,
                               g->out_width, t.tiles_h, t.tiles_w);
    /* Mᵀ[ξ] [C, OC] = V[ξ] [C, T] · Ĝ[ξ]ᵀ [T, OC] */
    for (int xi = 0; xi < POSITIONS; xi++)
        cnn_gemm_packed(b.m + xi * b.m_stride, out_channels, b.v + xi * b.v_stride, (int)t.count, 1,
                        b.g_hat + xi * b.g_hat_stride, 1, (int)t.count, channels, out_channels, (int)t.count, 0,
                        b.packing);
    for (int oc = 0; oc < out_channels; oc++)
        for (int c = 0; c < channels; c++)
            accumulate_filter_grad(grad_weight + ((long)oc * channels + c) * 9, b.m + (long)c * out_channels + oc,
                                   b.m_stride);
}
