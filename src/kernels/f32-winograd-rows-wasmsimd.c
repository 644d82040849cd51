/* f32-winograd-rows-wasmsimd.c — Winograd F(m, r) along rows in SIMD128 (see winograd_rows.h):
   four consecutive tiles of the plane at once (across row breaks), one per lane, turned
   between tiles-in-lanes and columns-in-lanes by 4×4 transposes (m = 4) or interleaving
   (m = 2). A plane of fewer than
   four tiles takes the scalar tiles; otherwise the last group of four ends at the last
   tile, overlapping the one before (both write the same values). Same operations in the
   same order as the scalar twin. */
#include <wasm_simd128.h>
#include "microkernels.h"

/* r[j][i] = x[i][j] */
static inline void transpose(v128_t r[4], v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
    const v128_t v01lo = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), v23lo = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
    const v128_t v01hi = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7), v23hi = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
    r[0] = wasm_i32x4_shuffle(v01lo, v23lo, 0, 1, 4, 5);
    r[1] = wasm_i32x4_shuffle(v01lo, v23lo, 2, 3, 6, 7);
    r[2] = wasm_i32x4_shuffle(v01hi, v23hi, 0, 1, 4, 5);
    r[3] = wasm_i32x4_shuffle(v01hi, v23hi, 2, 3, 6, 7);
}

#define ADD              wasm_f32x4_add
#define SUB              wasm_f32x4_sub
#define MUL(constant, x) wasm_f32x4_mul(wasm_f32x4_splat(constant), x)

/* Where tiles q … q + 3 (numbered along rows of `tiles`, `tile` columns each) start in a
   plane of rows `row_len` floats apart: column[j] of their row, at offset[j] in the plane. */
static void tile_offsets(long offset[4], int column[4], int q, int tiles, int tile, long row_len) {
    int row = q / tiles, t = q % tiles;
    for (int j = 0; j < 4; j++, t++) {
        if (t == tiles) t = 0, row++;
        column[j] = tile * t;
        offset[j] = row * row_len + column[j];
    }
}

/* Tiles q … q + 3: d0 … d3 are the transpose of their first four floats, d4 … d7 of the next four. */
static void input_4x(float *v, long stride, const float *plane, int padded_w, int tiles, int tile, int q) {
    long offset[4];
    int column[4];
    tile_offsets(offset, column, q, tiles, tile, padded_w);
    const float *d0 = plane + offset[0], *d1 = plane + offset[1], *d2 = plane + offset[2], *d3 = plane + offset[3];
    v128_t vd[8];
    transpose(vd, wasm_v128_load(d0), wasm_v128_load(d1), wasm_v128_load(d2), wasm_v128_load(d3));
    transpose(vd + 4, wasm_v128_load(d0 + 4), wasm_v128_load(d1 + 4), wasm_v128_load(d2 + 4), wasm_v128_load(d3 + 4));
    const v128_t va = ADD(vd[1], vd[5]), vb = ADD(vd[2], vd[6]);
    const v128_t vc = ADD(SUB(vd[2], MUL(5.0f, vd[4])), MUL(4.0f, vd[6]));
    const v128_t ve = ADD(SUB(MUL(2.0f, vd[1]), MUL(10.0f, vd[3])), MUL(8.0f, vd[5]));
    const v128_t vf = MUL(2.0f, ADD(SUB(MUL(4.0f, vd[2]), MUL(5.0f, vd[4])), vd[6]));
    const v128_t vh = ADD(SUB(MUL(4.0f, vd[1]), MUL(5.0f, vd[3])), vd[5]);
    v += q;
    wasm_v128_store(v, ADD(MUL(4.0f, SUB(vd[0], vd[6])), MUL(21.0f, SUB(vd[4], vd[2]))));
    wasm_v128_store(v + stride, SUB(MUL(17.0f, ADD(vd[3], vd[4])), MUL(4.0f, ADD(va, vb))));
    wasm_v128_store(v + 2 * stride, ADD(MUL(4.0f, SUB(va, vb)), MUL(17.0f, SUB(vd[4], vd[3]))));
    wasm_v128_store(v + 3 * stride, ADD(vc, ve));
    wasm_v128_store(v + 4 * stride, SUB(vc, ve));
    wasm_v128_store(v + 5 * stride, ADD(vf, vh));
    wasm_v128_store(v + 6 * stride, SUB(vf, vh));
    wasm_v128_store(v + 7 * stride, ADD(MUL(4.0f, SUB(vd[7], vd[1])), MUL(21.0f, SUB(vd[3], vd[5]))));
}

void cnn_f32_winograd_rows_input__wasmsimd(float *v, long stride, const float *plane, int padded_w, int rows, int tiles,
                                           int tile) {
    const int count = rows * tiles;
    if (count < 4) {
        cnn_f32_winograd_rows_input__scalar(v, stride, plane, padded_w, rows, tiles, tile);
        return;
    }
    for (int q = 0; q < count; q += 4)
        input_4x(v, stride, plane, padded_w, tiles, tile, q + 4 <= count ? q : count - 4);
}

/* Tiles q … q + 3, `tile` (a constant: 4 or 2) columns each: Y_i with a tile per lane, turned
   into each tile's columns; a tile that ends past out_w stores only its columns inside. */
static inline __attribute__((always_inline)) void output_4x(float *plane, const float *m, long stride, int out_w,
                                                            int tiles, int tile, int q, v128_t vbias) {
    v128_t vm[8];
    for (int xi = 0; xi < 8; xi++) vm[xi] = wasm_v128_load(m + xi * stride + q);
    const v128_t vsum[3] = {ADD(vm[1], vm[2]), ADD(vm[3], vm[4]), ADD(vm[5], vm[6])};
    const v128_t vdifference[3] = {SUB(vm[1], vm[2]), SUB(vm[3], vm[4]), SUB(vm[5], vm[6])};
    v128_t vy[4];
    float power = 1.0f; /* 2^i */
    for (int i = 0; i < tile; i++, power *= 2.0f) {
        const v128_t *vs = i % 2 ? vdifference : vsum;
        v128_t y = ADD(ADD(vs[0], MUL(power, vs[1])), MUL(1.0f / power, vs[2]));
        if (i == 0) y = ADD(vm[0], y);
        if (i == tile - 1) y = ADD(y, vm[7]);
        vy[i] = ADD(y, vbias);
    }
    v128_t vcolumns[4]; /* tile j's columns: all four lanes (m = 4), or lanes 2(j mod 2), +1 of vcolumns[j / 2] */
    if (tile == 4)
        transpose(vcolumns, vy[0], vy[1], vy[2], vy[3]);
    else {
        vcolumns[0] = wasm_i32x4_shuffle(vy[0], vy[1], 0, 4, 1, 5);
        vcolumns[1] = wasm_i32x4_shuffle(vy[0], vy[1], 2, 6, 3, 7);
    }
    long offset[4];
    int column[4];
    tile_offsets(offset, column, q, tiles, tile, out_w);
    for (int j = 0; j < 4; j++) {
        float *out = plane + offset[j];
        if (column[j] + tile <= out_w) {
            if (tile == 4)
                wasm_v128_store(out, vcolumns[j]);
            else if (j % 2)
                wasm_v128_store64_lane(out, vcolumns[j / 2], 1);
            else
                wasm_v128_store64_lane(out, vcolumns[j / 2], 0);
            continue;
        }
        float lanes[4];
        wasm_v128_store(lanes, vcolumns[tile == 4 ? j : j / 2]);
        for (int i = 0; column[j] + i < out_w; i++) out[i] = lanes[tile == 4 ? i : 2 * (j % 2) + i];
    }
}

static inline __attribute__((always_inline)) void output_plane(float *plane, const float *m, long stride, int out_h,
                                                               int out_w, int tiles, int tile, float bias) {
    const int count = out_h * tiles;
    if (count < 4) {
        cnn_f32_winograd_rows_output__scalar(plane, m, stride, out_h, out_w, tiles, tile, bias);
        return;
    }
    const v128_t vbias = wasm_f32x4_splat(bias);
    for (int q = 0; q < count; q += 4)
        output_4x(plane, m, stride, out_w, tiles, tile, q + 4 <= count ? q : count - 4, vbias);
}

void cnn_f32_winograd_rows_output__wasmsimd(float *plane, const float *m, long stride, int out_h, int out_w, int tiles,
                                            int tile, float bias) {
    if (tile == 4)
        output_plane(plane, m, stride, out_h, out_w, tiles, 4, bias);
    else
        output_plane(plane, m, stride, out_h, out_w, tiles, 2, bias);
}
