/* winograd_rows.c — stride-1 convolution with 5- or 7-wide kernels by Winograd's minimal
   filtering along each row (Lavin & Gray 2016, the 1-D case), summed directly over kernel
   rows: F(4, 5) or F(2, 7), both with the same 8 positions (m + r = 9).

   Output row y, columns mt … mt + m − 1, takes from tap row p = (c, kh) — input channel c,
   kernel row kh — the 1-D correlation of the 8 floats d of padded input row y + kh from
   column mt with the r weights g = weight[oc][c][kh][·]:
     out[y][mt …] = Aᵀ [ (G g) ⊙ (Bᵀ d) ]
   by the points a_ξ = 0, 1, −1, 2, −2, 1/2, −1/2 and ∞ (ξ = 7):
     G[ξ][k] = a_ξ^k / divisor_ξ,  G[7][k] = [k = r − 1] / 4      (POINT, DIVISOR below)
     Aᵀ[i][ξ] = a_ξ^i,             Aᵀ[i][7] = [i = m − 1]
   and Bᵀ, the interpolation at those points scaled to small integers, as formulas in
   kernels/winograd_rows.h. m outputs cost 8 multiplies per tap row instead of m·r (20 or 14).
   Summed over the tap rows, the products are 8 GEMMs, one per position ξ:
     U[ξ][oc][p]         = (G weight[oc][c][kh][·])[ξ]            [OC, C·KH]
     V[ξ][c][r][t]       = (Bᵀ padded[c][r][mt … mt + 7])[ξ]      [C, R, T]
     M[ξ][oc][y·T + t]   = Σ_p U[ξ][oc][p] · V[ξ][c][y + kh][t]
   with R = H + pad_top + pad_bottom padded rows and T = ⌈OW/m⌉ tiles a row. Since
     V[ξ][c][y + kh][t] = V[ξ][(c·R + kh)·T + q],   q = y·T + t,
   the B row of tap row p is contiguous in q at a fixed offset: an implicit GEMM
   (kernels/gemm.h, igemm) over the OH·T tiles of an image. Each output plane is then
   Aᵀ M + bias. Image by image; groups 1.

   The weight gradient runs the same algorithm transposed. For L = Σ ⟨grad_out, out⟩,
     ∂L/∂g = Σ_{y, t} Gᵀ [ (A go) ⊙ (Bᵀ d) ],   go = grad_out[y][mt …] (0 past the right edge)
   (A go)[ξ] = Σ_i a_ξ^i go_i, (A go)[7] = go_{m−1}, so with Ĝ[ξ][oc][q] = (A go)[ξ], summed over
   the images in the transformed domain:
     Mᵀ[ξ][p][oc] = Σ_q V[ξ][(c·R + kh)·T + q] · Ĝ[ξ][oc][q]      (kernels/wgrad.h, a row of Q per image)
     grad_weight[oc][c][kh][·] += Gᵀ Mᵀ[·][p][oc]. */
#include <string.h>
#include "../internal.h"
#include "../kernels/microkernels.h"

#define INLINE static inline __attribute__((always_inline))

enum { POSITIONS = 8, FINITE_POINTS = 7, MAX_KERNEL_W = 7, MAX_TILE = 4 };
static const double POINT[FINITE_POINTS] = {0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5};
static const double DIVISOR[FINITE_POINTS] = {4.0, 18.0, 18.0, 360.0, 360.0, 45.0 / 16.0, 45.0 / 16.0};
static const double INFINITE_POINT_DIVISOR = 4.0;

/* The tap rows C·KH and output channels below which the 4×8 microkernels' tile setup and
   store, and rows padded to whole tiles, cost more than the transforms save. Measured
   against the implicit GEMM, 5×5 stride 1 at batch 64 (forward; weight gradient):
   C·KH 5: 1.04×; 0.97×, 10: 0.79×; 0.75× (but 1.07× for a grad_input into 8 channels
   at 14²), 15: 0.73×; 0.69×, 20: 0.67×; 0.63×, 40: 0.66–0.83×; 0.62–0.65×; 7×7: C·KH 14:
   0.97×; 0.91×, 21: 0.89×; 0.88×, 56: 0.69–0.74×; 0.65–0.69×. One output channel ran
   1.3–3.4× slower (grad_input of a first layer), two 0.70–0.73× forward. */
enum { MIN_TAP_ROWS = 12, MIN_OUT_CHANNELS = 2 };

/* Images whose tiles one weight-gradient GEMM sums over, for fewer loads and stores of its
   tiles (measured on MNIST conv2: 4 images took 0.74–0.83× the time of 1; 8 or 16 no less). */
enum { IMAGES_PER_GEMM = 4 };

typedef struct {
    int tile;                  /* m = 9 − r */
    int rows, tiles, padded_w; /* R, T, m·T + r − 1 */
    long tiles_image;          /* Q = OH·T */
} rows_layout;

/* The layout of g; 0 when a scratch block would pass the cap (then every index fits an int32).
   Per position, for up to IMAGES_PER_GEMM images: V [C, R, T], M and Ĝ [OC rounded up to NR, OH·T],
   U [OC rounded up to MR, C·KH]; and the padded image [C, R, m·T + r − 1]. */
static int rows_layout_of(const cnn_geometry *g, rows_layout *L) {
    const long long rows = (long long)g->in_height + g->pad_top + g->pad_bottom;
    const int tile = POSITIONS + 1 - g->kernel_w;
    const long long tiles = (g->out_width + tile - 1LL) / tile;
    const long long v_image = cnn_size_mul(cnn_size_mul(g->in_channels, rows), tiles);
    const long long m_image = cnn_size_mul(cnn_size_mul(g->out_channels + CNN_GEMM_NR, g->out_height), tiles);
    const long long weights = cnn_size_mul(g->out_channels + CNN_GEMM_MR, cnn_size_mul(g->in_channels, g->kernel_h));
    const long long widest =
        v_image > m_image ? (v_image > weights ? v_image : weights) : (m_image > weights ? m_image : weights);
    const long long padded = cnn_size_mul(cnn_size_mul(g->in_channels, rows), tile * tiles + g->kernel_w - 1);
    if (cnn_size_mul(POSITIONS, cnn_size_mul(widest, IMAGES_PER_GEMM) + 16) > CNN_MAX_SCRATCH ||
        padded > CNN_MAX_SCRATCH)
        return 0;
    L->tile = tile;
    L->rows = (int)rows, L->tiles = (int)tiles, L->padded_w = (int)(tile * tiles + g->kernel_w - 1);
    L->tiles_image = (long)g->out_height * tiles;
    return 1;
}

int cnn_winograd_rows_applies(const cnn_geometry *g) {
    rows_layout L;
    return (g->kernel_w == 5 || g->kernel_w == 7) && g->stride_h == 1 && g->stride_w == 1 && g->dilation_h == 1 &&
           g->dilation_w == 1 && g->groups == 1 && (long)g->in_channels * g->kernel_h >= MIN_TAP_ROWS &&
           g->out_channels >= MIN_OUT_CHANNELS && rows_layout_of(g, &L);
}

/* u[ξ · stride] = (G g)[ξ] for one row g of kernel_w weights, in double, rounded once. */
static void transform_filter_row(float *u, long stride, const float *g, int kernel_w) {
    for (int xi = 0; xi < FINITE_POINTS; xi++) {
        double sum = 0.0, power = 1.0;
        for (int k = 0; k < kernel_w; k++, power *= POINT[xi]) sum += power * g[k];
        u[xi * stride] = (float)(sum / DIVISOR[xi]);
    }
    u[FINITE_POINTS * stride] = (float)(g[kernel_w - 1] / INFINITE_POINT_DIVISOR);
}

/* u: U[ξ] at u + ξ·u_stride, packed as panels of MR output channels by tap rows
   (kernels/gemm.h's A), 0 past OC. */
static void transform_weight(float *u, long u_stride, const float *weight, int out_channels, int tap_rows,
                             int kernel_w) {
    for (int oc = 0; oc < out_channels; oc += CNN_GEMM_MR)
        for (int p = 0; p < tap_rows; p++)
            for (int i = 0; i < CNN_GEMM_MR; i++, u++) {
                if (oc + i >= out_channels) {
                    for (int xi = 0; xi < POSITIONS; xi++) u[xi * u_stride] = 0.0f;
                    continue;
                }
                transform_filter_row(u, u_stride, weight + ((long)(oc + i) * tap_rows + p) * kernel_w, kernel_w);
            }
}

/* M[ξ] = U[ξ] · V[ξ] for one image, tile by tile: each 8-tile block of B rows is read by
   every MR-channel panel of U[ξ] while it is in L1. */
static void multiply(float *m, long m_stride, const float *u, long u_stride, const float *v, long v_stride,
                     const int32_t *tap_offset, const float *zeros, int tap_rows, int out_channels, long tiles) {
    for (int xi = 0; xi < POSITIONS; xi++)
        for (long q = 0; q < tiles; q += CNN_GEMM_NR)
            for (int oc = 0; oc < out_channels; oc += CNN_GEMM_MR)
                cnn_igemm_microkernel(tap_rows, u + xi * u_stride + (long)oc * tap_rows, v + xi * v_stride + q,
                                      tap_offset, zeros, m + xi * m_stride + oc * tiles + q, (int)tiles,
                                      out_channels - oc < CNN_GEMM_MR ? out_channels - oc : CNN_GEMM_MR,
                                      tiles - q < CNN_GEMM_NR ? (int)(tiles - q) : CNN_GEMM_NR, 0);
}

/* V of one image [C, H, W]: each plane copied into its zero-padded rows (padding stays 0), then transformed. */
static void transform_image(float *v, long v_stride, float *padded, const float *image, const cnn_geometry *g,
                            const rows_layout *L) {
    for (int c = 0; c < g->in_channels; c++) {
        const float *plane = image + (long)c * g->in_height * g->in_width;
        float *padded_c = padded + (long)c * L->rows * L->padded_w;
        for (int h = 0; h < g->in_height; h++)
            memcpy(padded_c + (long)(h + g->pad_top) * L->padded_w + g->pad_left, plane + (long)h * g->in_width,
                   (size_t)g->in_width * sizeof(float));
        cnn_winograd_rows_input_microkernel(v + (long)c * L->rows * L->tiles, v_stride, padded_c, L->padded_w, L->rows,
                                            L->tiles, L->tile);
    }
}

/* tap_offset[p] = (c·R + kh)·T for the tap rows p = c·KH + kh < C·KH, then tap_offset[0] up to count. */
static void fill_tap_offsets(int32_t *tap_offset, int count, const cnn_geometry *g, const rows_layout *L) {
    for (int c = 0, p = 0; c < g->in_channels; c++)
        for (int kh = 0; kh < g->kernel_h; kh++, p++) tap_offset[p] = (int32_t)(((long)c * L->rows + kh) * L->tiles);
    for (int p = g->in_channels * g->kernel_h; p < count; p++) tap_offset[p] = tap_offset[0];
}

/* Forward's scratch: the padded image, U, V and M with their position strides, the tap offsets. */
typedef struct {
    long u_stride, v_stride, m_stride;
    float *padded, *u, *v, *m;
    int32_t *tap_offset;
} forward_buffers;

static void take_forward_buffers(forward_buffers *b, cnn_scratch *s, const cnn_geometry *g, const rows_layout *L) {
    const int channels = g->in_channels, out_channels = g->out_channels, tap_rows = channels * g->kernel_h;
    b->u_stride = (long)(out_channels + CNN_GEMM_MR - 1) / CNN_GEMM_MR * CNN_GEMM_MR * tap_rows;
    b->v_stride = cnn_position_stride((long)channels * L->rows * L->tiles);
    b->m_stride = cnn_position_stride(out_channels * L->tiles_image);
    b->padded = cnn_scratch_take(s, (long long)channels * L->rows * L->padded_w);
    b->u = cnn_scratch_take(s, (long long)POSITIONS * b->u_stride);
    b->v = cnn_scratch_take(s, (long long)POSITIONS * b->v_stride);
    b->m = cnn_scratch_take(s, (long long)POSITIONS * b->m_stride);
    b->tap_offset = (int32_t *)cnn_scratch_take(s, tap_rows);
}

long long cnn_conv2d_winograd_rows_scratch_floats(const cnn_geometry *g) {
    rows_layout L;
    forward_buffers b;
    cnn_scratch s = {NULL, 0};
    if (!rows_layout_of(g, &L)) return CNN_SIZE_OVER;
    take_forward_buffers(&b, &s, g, &L);
    return s.used;
}

void cnn_conv2d_winograd_rows(float *out, const float *in, const float *weight, const float *bias,
                              const cnn_geometry *g, float *scratch) {
    rows_layout L;
    rows_layout_of(g, &L); /* applies: the plan asked */
    const int channels = g->in_channels, out_channels = g->out_channels, tap_rows = channels * g->kernel_h;
    const long in_image = (long)channels * g->in_height * g->in_width, out_plane = (long)g->out_height * g->out_width;
    forward_buffers b;
    cnn_scratch s = {scratch, 0};
    take_forward_buffers(&b, &s, g, &L);
    const float zeros[CNN_GEMM_MR] = {0};
    memset(b.padded, 0, (size_t)channels * L.rows * L.padded_w * sizeof(float));
    memset(b.v, 0, (size_t)(POSITIONS * b.v_stride) * sizeof(float)); /* the tile tails read the padding */
    transform_weight(b.u, b.u_stride, weight, out_channels, tap_rows, g->kernel_w);
    fill_tap_offsets(b.tap_offset, tap_rows, g, &L);
    for (int n = 0; n < g->batch; n++) {
        transform_image(b.v, b.v_stride, b.padded, in + n * in_image, g, &L);
        multiply(b.m, b.m_stride, b.u, b.u_stride, b.v, b.v_stride, b.tap_offset, zeros, tap_rows, out_channels,
                 L.tiles_image);
        for (int oc = 0; oc < out_channels; oc++)
            cnn_winograd_rows_output_microkernel(out + ((long)n * out_channels + oc) * out_plane,
                                                 b.m + oc * L.tiles_image, b.m_stride, g->out_height, g->out_width,
                                                 L.tiles, L.tile, bias ? bias[oc] : 0.0f);
    }
}

/* Ĝ of one image's grad_out [OC, OH, OW], packed for the weight-gradient microkernel, panels
   of NR channels panel_step floats apart: ĝ[ξ·stride + panel·panel_step + q·NR + j] = (A go)[ξ]
   of channel panel·NR + j (0 past OC). */
/* tile: a constant (4 or 2) in each copy. */
INLINE void transform_grad_out_tiles(float *g_hat, long stride, long panel_step, const float *grad_out,
                                     const cnn_geometry *g, const rows_layout *L, int panels, int tile) {
    static const float PAIR_POINT[3] = {1.0f, 2.0f, 0.5f}; /* positions 1 + 2k, 2 + 2k hold ±PAIR_POINT[k] */
    for (int oc = 0; oc < panels * CNN_GEMM_NR; oc++)
        for (int y = 0, q = 0; y < g->out_height; y++)
            for (int t = 0; t < L->tiles; t++, q++) {
                const int left = g->out_width - tile * t;
                const int columns = oc >= g->out_channels ? 0 : left < tile ? left : tile;
                float go[MAX_TILE] = {0}; /* indexed by constants only, so it stays in registers */
                if (columns > 0) {
                    const float *row = grad_out + ((long)oc * g->out_height + y) * g->out_width + tile * t;
                    for (int i = 0; i < MAX_TILE; i++)
                        if (i < columns) go[i] = row[i];
                }
                float *at = g_hat + (oc / CNN_GEMM_NR) * panel_step + (long)q * CNN_GEMM_NR + oc % CNN_GEMM_NR;
                at[0] = go[0];
                for (int k = 0; k < 3; k++) { /* Σ a^i go_i at a = ±PAIR_POINT[k]: even powers ± odd ones */
                    const float a = PAIR_POINT[k];
                    const float even = go[0] + a * a * go[2], odd = a * go[1] + a * a * a * go[3];
                    at[(1 + 2 * k) * stride] = even + odd, at[(2 + 2 * k) * stride] = even - odd;
                }
                at[FINITE_POINTS * stride] = go[tile - 1];
            }
}

static void transform_grad_out(float *g_hat, long stride, long panel_step, const float *grad_out, const cnn_geometry *g,
                               const rows_layout *L, int panels) {
    if (L->tile == 4)
        transform_grad_out_tiles(g_hat, stride, panel_step, grad_out, g, L, panels, 4);
    else
        transform_grad_out_tiles(g_hat, stride, panel_step, grad_out, g, L, panels, 2);
}

/* grad_weight (one row of kernel_w = r) += Gᵀ m for m[ξ] = m[ξ · stride], in double:
     k-th weight += Σ_{ξ < 7} a_ξ^k m_ξ / divisor_ξ + [k = r − 1] m_7 / 4 */
static void accumulate_filter_row_grad(float *grad_weight, const float *m, long stride, int kernel_w) {
    double sum[MAX_KERNEL_W] = {0};
    for (int xi = 0; xi < FINITE_POINTS; xi++) {
        double power = 1.0;
        for (int k = 0; k < kernel_w; k++, power *= POINT[xi]) sum[k] += power * m[xi * stride] / DIVISOR[xi];
    }
    sum[kernel_w - 1] += m[FINITE_POINTS * stride] / INFINITE_POINT_DIVISOR;
    for (int k = 0; k < kernel_w; k++) grad_weight[k] += (float)sum[k];
}

/* The weight gradient's scratch, for chunks of `chunk` images: the padded image, V, Ĝ (panels
   of NR channels panel_step apart) and Mᵀ with their position strides, the tap offsets. */
typedef struct {
    int chunk, panels, ldc, padded_taps;
    long v_image, panel_step, v_stride, g_hat_stride, m_stride;
    float *padded, *v, *g_hat, *m;
    int32_t *tap_offset;
} grad_weight_buffers;

static void take_grad_weight_buffers(grad_weight_buffers *b, cnn_scratch *s, const cnn_geometry *g,
                                     const rows_layout *L) {
    const int channels = g->in_channels, tap_rows = channels * g->kernel_h;
    b->panels = (g->out_channels + CNN_GEMM_NR - 1) / CNN_GEMM_NR, b->ldc = b->panels * CNN_GEMM_NR;
    b->padded_taps = (tap_rows + CNN_GEMM_MR - 1) / CNN_GEMM_MR * CNN_GEMM_MR;
    b->chunk = g->batch < IMAGES_PER_GEMM ? g->batch : IMAGES_PER_GEMM;
    b->v_image = (long)channels * L->rows * L->tiles;
    b->v_stride = cnn_position_stride(b->chunk * b->v_image), b->panel_step = b->chunk * L->tiles_image * CNN_GEMM_NR;
    b->g_hat_stride = cnn_position_stride(b->panels * b->panel_step);
    b->m_stride = cnn_position_stride((long)b->padded_taps * b->ldc);
    b->padded = cnn_scratch_take(s, (long long)channels * L->rows * L->padded_w);
    b->v = cnn_scratch_take(s, (long long)POSITIONS * b->v_stride);
    b->g_hat = cnn_scratch_take(s, (long long)POSITIONS * b->g_hat_stride);
    b->m = cnn_scratch_take(s, (long long)POSITIONS * b->m_stride); /* Mᵀ[ξ] [taps, ldc] */
    b->tap_offset = (int32_t *)cnn_scratch_take(s, b->padded_taps);
}

long long cnn_conv2d_winograd_rows_grad_weight_scratch_floats(const cnn_geometry *g) {
    rows_layout L;
    grad_weight_buffers b;
    cnn_scratch s = {NULL, 0};
    if (!rows_layout_of(g, &L)) return CNN_SIZE_OVER;
    take_grad_weight_buffers(&b, &s, g, &L);
    return s.used;
}

void cnn_conv2d_winograd_rows_grad_weight(float *grad_weight, const float *grad_out, const float *in,
                                          const cnn_geometry *g, float *scratch) {
    rows_layout L;
    rows_layout_of(g, &L); /* applies: the plan asked */
    const int channels = g->in_channels, out_channels = g->out_channels, tap_rows = channels * g->kernel_h;
    const long in_image = (long)channels * g->in_height * g->in_width;
    const long out_image = (long)out_channels * g->out_height * g->out_width;
    grad_weight_buffers b;
    cnn_scratch s = {scratch, 0};
    take_grad_weight_buffers(&b, &s, g, &L);
    memset(b.padded, 0, (size_t)channels * L.rows * L.padded_w * sizeof(float));
    memset(b.m, 0, (size_t)(POSITIONS * b.m_stride) * sizeof(float));
    fill_tap_offsets(b.tap_offset, b.padded_taps, g, &L);
    /* Chunks of images: each tap row's B row is then `images` rows of Q, v_image floats apart. */
    for (int first = 0; first < g->batch; first += b.chunk) {
        const int images = g->batch - first < b.chunk ? g->batch - first : b.chunk;
        for (int n = 0; n < images; n++) {
            transform_image(b.v + n * b.v_image, b.v_stride, b.padded, in + (first + n) * in_image, g, &L);
            transform_grad_out(b.g_hat + n * L.tiles_image * CNN_GEMM_NR, b.g_hat_stride, b.panel_step,
                               grad_out + (first + n) * out_image, g, &L, b.panels);
        }
        for (int xi = 0; xi < POSITIONS; xi++)
            for (int p = 0; p < tap_rows; p += CNN_GEMM_MR)
                for (int panel = 0; panel < b.panels; panel++)
                    cnn_wgrad_microkernel(images, (int)L.tiles_image, b.v + xi * b.v_stride, b.tap_offset + p,
                                          (int)b.v_image, b.g_hat + xi * b.g_hat_stride + panel * b.panel_step,
                                          b.m + xi * b.m_stride + (long)p * b.ldc + panel * CNN_GEMM_NR, b.ldc,
                                          tap_rows - p < CNN_GEMM_MR ? tap_rows - p : CNN_GEMM_MR);
    }
    for (int oc = 0; oc < out_channels; oc++)
        for (int p = 0; p < tap_rows; p++)
            accumulate_filter_row_grad(grad_weight + ((long)oc * tap_rows + p) * g->kernel_w,
                                       b.m + (long)p * b.ldc + oc, b.m_stride, g->kernel_w);
}
