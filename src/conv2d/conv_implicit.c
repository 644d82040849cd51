/* conv_implicit.c — convolution as an implicit GEMM: the GEMM microkernel reads its
   B rows straight from a zero-padded copy of each image, so nothing is unfolded
   (no im2col matrix, no packed B panel).

   The padded image keeps each column phase apart, so that a strided row of taps is
   contiguous: padded column u (= w + pad_left) of padded row r (= h + pad_top) of
   channel c, with s = stride_w, lives at
     image[((c·s + u mod s)·rows + r)·row_len + ⌊u / s⌋].
   Output row oh, columns ow0 + j, tap p = (c, kh, kw) reads padded row oh·sh + kh·dh and
   column (ow0 + j)·s + kw·dw: phase kw·dw mod s, index ow0 + j + ⌊kw·dw / s⌋. So with
     tap_offset[p] = ((c·s + kw·dw mod s)·rows + kh·dh)·row_len + ⌊kw·dw / s⌋
   the tile's B row p is the 8 floats at image + oh·sh·row_len + ow0 + tap_offset[p] and
     out[oc][oh][ow0 + j] = bias[oc] + Σ_p weight[oc][p] · B[p][j]         (kernels/gemm.h, igemm)
   row_len holds whole 8-column tiles: the last tile of a row reads past OW, and
   the microkernel stores only the valid columns.
   When rows of OW columns would waste more of those 8-column tiles than the channels
   waste of 8-channel panels (the MNIST layers: OW 14 or 28), pixel tiles take over:
   MR consecutive output pixels, wherever their rows break, by NR output channels, each
   pixel's window read at its own base, the weights packed as the B panel (kernels/gemm.h).

   Backward (grad_in is a forward pass too: conv2d_grad_input.c):
     grad_weight[oc][p] += Σ_{oh, ow} grad_out[oc][oh][ow] · image[tap_offset[p] + oh·sh·row_len + ow]
       (kernels/wgrad.h), per image, into grad_weightᵀ, added to grad_weight at the end. */
#include <string.h>
#include "../internal.h"
#include "../kernels/microkernels.h"

typedef struct {
    int channels, phases, rows, row_len;
    long plane; /* rows · row_len: one phase of one channel */
} padded_layout;

static long long round_up(long long value, long long multiple) { return (value + multiple - 1) / multiple * multiple; }

/* The padded image holds only what the output reads, so padding past the reach of every
   window costs nothing:
     rows    = (OH − 1)·stride_h + (KH − 1)·dilation_h + 1            (≤ H + pad_top + pad_bottom)
     row_len = round_up(OW, NR) + ⌊(KW − 1)·dilation_w / stride_w⌋    (per phase, stride_w phases)
   It is taken only when its size channels·stride_w·rows·row_len fits the limit and is at most
   what im2col would unfold, taps·OH·OW (plus the input): a window whose taps land far apart in
   the padding (dilation near 2^22 with padding 2^23) would otherwise copy a huge padded row
   to read 5 cells of it. 0 when it is not taken. */
static int padded_layout_of(const cnn_geometry *g, padded_layout *L) {
    const long long rows =
        (long long)(g->out_height - 1) * g->stride_h + (long long)(g->kernel_h - 1) * g->dilation_h + 1;
    const long long reach = (long long)(g->kernel_w - 1) * g->dilation_w / g->stride_w;
    const long long row_len = round_up(g->out_width, CNN_GEMM_NR) + reach;
    const long long plane = cnn_size_mul(rows, row_len);
    const long long size = cnn_size_mul(cnn_size_mul(plane, g->stride_w), g->in_channels);
    const long long unfolded =
        cnn_size_mul(cnn_size_mul((long long)g->in_channels / g->groups * g->kernel_h, g->kernel_w),
                     (long long)g->out_height * g->out_width);
    const long long in_image = (long long)g->in_channels * g->in_height * g->in_width; /* ≤ limit: geometry */
    if (size > CNN_MAX_SCRATCH || size > unfolded + in_image) return 0;
    L->channels = g->in_channels, L->phases = g->stride_w, L->rows = (int)rows, L->row_len = (int)row_len;
    L->plane = (long)plane;
    return 1;
}

int cnn_conv_implicit_applies(const cnn_geometry *g) {
    padded_layout L;
    return padded_layout_of(g, &L);
}

/* Copies image [channels, H, W] into the inside of a zeroed padded image. Stride 1 copies
   whole rows; otherwise column u = w + pad_left goes to phase u mod s, index ⌊u / s⌋,
   both stepped along the row. */
static void pad_image(float *padded, const float *in, const cnn_geometry *g, const padded_layout *L) {
    /* the input cells inside the padded rows and columns (none when the padding reaches past them) */
    const long long s = L->phases, columns = (long long)L->row_len * s - g->pad_left,
                    rows = (long long)L->rows - g->pad_top;
    const int width = (int)(g->in_width < columns ? g->in_width : columns > 0 ? columns : 0);
    const int height = (int)(g->in_height < rows ? g->in_height : rows > 0 ? rows : 0);
    if (width == 0) return;
    for (int c = 0; c < L->channels; c++)
        for (int h = 0; h < height; h++) {
            const float *src = in + ((long)c * g->in_height + h) * g->in_width;
            float *row = padded + (long)c * s * L->plane + (long)(h + g->pad_top) * L->row_len;
            if (s == 1) {
                memcpy(row + g->pad_left, src, (size_t)width * sizeof(float));
                continue;
            }
            for (int w = 0, phase = g->pad_left % s, index = g->pad_left / s; w < width; w++) {
                row[(long)phase * L->plane + index] = src[w];
                if (++phase == s) phase = 0, index++;
            }
        }
}

static void fill_tap_offsets(int32_t *tap_offset, const cnn_geometry *g, const padded_layout *L, int channels) {
    const int s = L->phases;
    for (int c = 0, p = 0; c < channels; c++)
        for (int kh = 0; kh < g->kernel_h; kh++)
            for (int kw = 0; kw < g->kernel_w; kw++, p++) {
                const int column = kw * g->dilation_w;
                tap_offset[p] = (int32_t)(((long)c * s + column % s) * L->plane +
                                          (long)kh * g->dilation_h * L->row_len + column / s);
            }
}

/* b_packed: rows [channels, count] as panels of NR channels by column (0 past channels):
   the weights [OC/G, taps] for pixel tiles, grad_out [OC/G, pixels] for the weight gradient. */
static void pack_panels(float *b_packed, const float *rows, int channels, long count) {
    for (int r = 0; r < channels; r += CNN_GEMM_NR)
        for (long p = 0; p < count; p++)
            for (int j = 0; j < CNN_GEMM_NR; j++)
                *b_packed++ = r + j < channels ? rows[(long)(r + j) * count + p] : 0.0f;
}

/* a_packed: for each group, panels of MR output channels by taps (see kernels/gemm.h). */
static void pack_weight(float *a_packed, const float *weight, int out_channels, int taps) {
    for (int r = 0; r < out_channels; r += CNN_GEMM_MR)
        for (int p = 0; p < taps; p++)
            for (int i = 0; i < CNN_GEMM_MR; i++)
                *a_packed++ = r + i < out_channels ? weight[(long)(r + i) * taps + p] : 0.0f;
}

/* One group of one image: out_g [group_out, OH, OW] (+)= its output, tile by tile, each
   8-column tile's B rows read by every MR-channel panel of a_packed while they are in L1. */
static void convolve_group(float *out_g, const float *image, const float *a_packed, const float *init,
                           const int32_t *tap_offset, int taps, int group_out, const cnn_geometry *g,
                           const padded_layout *L, int accumulate) {
    const long out_plane = (long)g->out_height * g->out_width;
    for (int oh = 0; oh < g->out_height; oh++)
        for (int ow = 0; ow < g->out_width; ow += CNN_GEMM_NR) {
            const float *b = image + (long)oh * g->stride_h * L->row_len + ow;
            const int n = g->out_width - ow < CNN_GEMM_NR ? g->out_width - ow : CNN_GEMM_NR;
            for (int oc = 0; oc < group_out; oc += CNN_GEMM_MR)
                cnn_igemm_microkernel(taps, a_packed + (long)oc * taps, b, tap_offset, init + oc,
                                      out_g + oc * out_plane + (long)oh * g->out_width + ow, (int)out_plane,
                                      group_out - oc < CNN_GEMM_MR ? group_out - oc : CNN_GEMM_MR, n, accumulate);
        }
}

/* Pixel tiles when they compute fewer products than row tiles (padding both to whole tiles). */
static int pixel_tiles_pay(const cnn_geometry *g, int group_out) {
    const long long row_tiles =
        (long long)g->out_height * round_up(g->out_width, CNN_GEMM_NR) * round_up(group_out, CNN_GEMM_MR);
    const long long pixel_tiles =
        round_up((long long)g->out_height * g->out_width, CNN_GEMM_MR) * round_up(group_out, CNN_GEMM_NR);
    return pixel_tiles < row_tiles;
}

/* The same as convolve_group, by pixel tiles: b_packed holds the group's weights as NR-channel
   panels, init its bias padded to whole panels. */
static void convolve_group_by_pixels(float *out_g, const float *image, const float *b_packed, const float *init,
                                     const int32_t *tap_offset, int taps, int group_out, const cnn_geometry *g,
                                     const padded_layout *L, int accumulate) {
    const long out_plane = (long)g->out_height * g->out_width;
    for (long first = 0; first < out_plane; first += CNN_GEMM_MR) {
        const int m = out_plane - first < CNN_GEMM_MR ? (int)(out_plane - first) : CNN_GEMM_MR;
        const float *pixels[CNN_GEMM_MR];
        for (int i = 0; i < CNN_GEMM_MR; i++) { /* past the plane's end: the last pixel again */
            const long pixel = first + (i < m ? i : m - 1);
            const int oh = (int)(pixel / g->out_width), ow = (int)(pixel % g->out_width);
            pixels[i] = image + (long)oh * g->stride_h * L->row_len + ow;
        }
        for (int oc = 0; oc < group_out; oc += CNN_GEMM_NR)
            cnn_igemm_pixels_microkernel(taps, pixels, tap_offset, b_packed + (long)oc * taps, init + oc,
                                         out_g + oc * out_plane + first, out_plane, m,
                                         group_out - oc < CNN_GEMM_NR ? group_out - oc : CNN_GEMM_NR, accumulate);
    }
}

/* Forward's scratch: the padded image, per group the weights as panels (MR channels for row
   tiles, NR for pixel tiles) and the bias padded to whole NR panels, the tap offsets. */
typedef struct {
    int by_pixels, taps;
    long group_panels, group_init;
    float *padded, *packed_weight, *init;
    int32_t *tap_offset;
} forward_buffers;

static void take_forward_buffers(forward_buffers *b, cnn_scratch *s, const cnn_geometry *g, const padded_layout *L) {
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    b->taps = channels * g->kernel_h * g->kernel_w;
    b->by_pixels = pixel_tiles_pay(g, group_out);
    b->group_panels = round_up(group_out, b->by_pixels ? CNN_GEMM_NR : CNN_GEMM_MR) * b->taps;
    b->group_init = round_up(group_out, CNN_GEMM_NR);
    b->padded = cnn_scratch_take(s, (long long)L->channels * L->phases * L->plane);
    b->packed_weight = cnn_scratch_take(s, (long long)g->groups * b->group_panels);
    b->init = cnn_scratch_take(s, (long long)g->groups * b->group_init);
    b->tap_offset = (int32_t *)cnn_scratch_take(s, b->taps);
}

long long cnn_conv2d_implicit_scratch_floats(const cnn_geometry *g) {
    padded_layout L;
    forward_buffers b;
    cnn_scratch s = {NULL, 0};
    if (!padded_layout_of(g, &L)) return CNN_SIZE_OVER;
    take_forward_buffers(&b, &s, g, &L);
    return s.used;
}

void cnn_conv2d_implicit(float *out, const float *in, const float *weight, const float *bias, const cnn_geometry *g,
                         int accumulate, float *scratch) {
    padded_layout L;
    padded_layout_of(g, &L); /* applies: the caller asked */
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    const long out_plane = (long)g->out_height * g->out_width, out_image = g->out_channels * out_plane;
    const long in_image = (long)g->in_channels * g->in_height * g->in_width,
               padded_size = L.channels * L.phases * L.plane;
    forward_buffers b;
    cnn_scratch s = {scratch, 0};
    take_forward_buffers(&b, &s, g, &L);
    const int taps = b.taps;
    for (long i = 0; i < padded_size; i++) b.padded[i] = 0.0f;
    for (int group = 0; group < g->groups; group++) {
        for (int oc = 0; oc < b.group_init; oc++)
            b.init[group * b.group_init + oc] =
                bias && !accumulate && oc < group_out ? bias[group * group_out + oc] : 0.0f;
        const float *weight_g = weight + (long)group * group_out * taps;
        if (b.by_pixels)
            pack_panels(b.packed_weight + group * b.group_panels, weight_g, group_out, taps);
        else
            pack_weight(b.packed_weight + group * b.group_panels, weight_g, group_out, taps);
    }
    fill_tap_offsets(b.tap_offset, g, &L, channels);
    for (int n = 0; n < g->batch; n++) {
        pad_image(b.padded, in + n * in_image, g, &L);
        for (int group = 0; group < g->groups; group++) {
            float *out_g = out + n * out_image + group * group_out * out_plane;
            const float *image = b.padded + (long)group * channels * L.phases * L.plane;
            const float *packed_g = b.packed_weight + group * b.group_panels, *init_g = b.init + group * b.group_init;
            if (b.by_pixels)
                convolve_group_by_pixels(out_g, image, packed_g, init_g, b.tap_offset, taps, group_out, g, &L,
                                         accumulate);
            else
                convolve_group(out_g, image, packed_g, init_g, b.tap_offset, taps, group_out, g, &L, accumulate);
        }
    }
}

/* The weight gradient's scratch: the padded image, grad_out as NR-channel panels, grad_weightᵀ
   [taps rounded up to MR, ldc] per group, the tap offsets (as many as those rows). */
typedef struct {
    int taps, ldc;
    long group_rows, transposed_size;
    float *padded, *b_packed, *transposed;
    int32_t *tap_offset;
} grad_weight_buffers;

static void take_grad_weight_buffers(grad_weight_buffers *b, cnn_scratch *s, const cnn_geometry *g,
                                     const padded_layout *L) {
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    b->taps = channels * g->kernel_h * g->kernel_w, b->ldc = (int)round_up(group_out, CNN_GEMM_NR);
    b->group_rows = round_up(b->taps, CNN_GEMM_MR), b->transposed_size = g->groups * b->group_rows * b->ldc;
    b->padded = cnn_scratch_take(s, (long long)L->channels * L->phases * L->plane);
    b->b_packed = cnn_scratch_take(s, (long long)b->ldc * g->out_height * g->out_width);
    b->transposed = cnn_scratch_take(s, b->transposed_size);
    b->tap_offset = (int32_t *)cnn_scratch_take(s, b->group_rows);
}

long long cnn_conv2d_implicit_grad_weight_scratch_floats(const cnn_geometry *g) {
    padded_layout L;
    grad_weight_buffers b;
    cnn_scratch s = {NULL, 0};
    if (!padded_layout_of(g, &L)) return CNN_SIZE_OVER;
    take_grad_weight_buffers(&b, &s, g, &L);
    return s.used;
}

void cnn_conv2d_implicit_grad_weight(float *grad_weight, const float *grad_out, const float *in, const cnn_geometry *g,
                                     float *scratch) {
    padded_layout L;
    padded_layout_of(g, &L); /* applies: the plan asked */
    const int channels = g->in_channels / g->groups, group_out = g->out_channels / g->groups;
    const long pixels = (long)g->out_height * g->out_width,
               in_image = (long)g->in_channels * g->in_height * g->in_width;
    const long padded_size = L.channels * L.phases * L.plane;
    grad_weight_buffers b;
    cnn_scratch s = {scratch, 0};
    take_grad_weight_buffers(&b, &s, g, &L);
    const int taps = b.taps, ldc = b.ldc;
    for (long i = 0; i < padded_size; i++) b.padded[i] = 0.0f;
    for (long i = 0; i < b.transposed_size; i++) b.transposed[i] = 0.0f;
    fill_tap_offsets(b.tap_offset, g, &L, channels);
    for (int p = taps; p < b.group_rows; p++) b.tap_offset[p] = b.tap_offset[0];
    /* The step between output rows' windows; it stays within the image unless there is one row. */
    const int row_step = g->out_height > 1 ? g->stride_h * L.row_len : 0;
    for (int n = 0; n < g->batch; n++) {
        pad_image(b.padded, in + n * in_image, g, &L);
        for (int group = 0; group < g->groups; group++) {
            const float *image = b.padded + (long)group * channels * L.phases * L.plane;
            const float *grad_out_g = grad_out + ((long)n * g->out_channels + (long)group * group_out) * pixels;
            float *transposed_g = b.transposed + group * b.group_rows * ldc;
            pack_panels(b.b_packed, grad_out_g, group_out, pixels);
            for (int p = 0; p < taps; p += CNN_GEMM_MR)
                for (int oc = 0; oc < group_out; oc += CNN_GEMM_NR)
                    cnn_wgrad_microkernel(g->out_height, g->out_width, image, b.tap_offset + p, row_step,
                                          b.b_packed + oc * pixels, transposed_g + (long)p * ldc + oc, ldc,
                                          taps - p < CNN_GEMM_MR ? taps - p : CNN_GEMM_MR);
        }
    }
    for (int group = 0; group < g->groups; group++)
        for (int oc = 0; oc < group_out; oc++)
            for (int p = 0; p < taps; p++)
                grad_weight[((long)group * group_out + oc) * taps + p] +=
                    b.transposed[(group * b.group_rows + p) * ldc + oc];
}
