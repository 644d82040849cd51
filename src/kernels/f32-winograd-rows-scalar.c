/* f32-winograd-rows-scalar.c — Winograd F(m, r) along rows, the scalar twin (see winograd_rows.h). */
#include "microkernels.h"

void cnn_winograd_rows_input_tile(float *v, long stride, const float *d) {
    const float a = d[1] + d[5], b = d[2] + d[6];
    const float c = (d[2] - 5.0f * d[4]) + 4.0f * d[6], e = (2.0f * d[1] - 10.0f * d[3]) + 8.0f * d[5];
    const float f = 2.0f * ((4.0f * d[2] - 5.0f * d[4]) + d[6]), h = (4.0f * d[1] - 5.0f * d[3]) + d[5];
    v[0] = 4.0f * (d[0] - d[6]) + 21.0f * (d[4] - d[2]);
    v[stride] = 17.0f * (d[3] + d[4]) - 4.0f * (a + b);
    v[2 * stride] = 4.0f * (a - b) + 17.0f * (d[4] - d[3]);
    v[3 * stride] = c + e;
    v[4 * stride] = c - e;
    v[5 * stride] = f + h;
    v[6 * stride] = f - h;
    v[7 * stride] = 4.0f * (d[7] - d[1]) + 21.0f * (d[3] - d[5]);
}

void cnn_winograd_rows_output_tile(float *out, int columns, const float *m, long stride, float bias, int tile) {
    const float sum[3] = {m[stride] + m[2 * stride], m[3 * stride] + m[4 * stride], m[5 * stride] + m[6 * stride]};
    const float difference[3] = {m[stride] - m[2 * stride], m[3 * stride] - m[4 * stride],
                                 m[5 * stride] - m[6 * stride]};
    float power = 1.0f; /* 2^i */
    for (int i = 0; i < columns; i++, power *= 2.0f) {
        const float *s = i % 2 ? difference : sum;
        float y = (s[0] + power * s[1]) + (1.0f / power) * s[2];
        if (i == 0) y = m[0] + y;
        if (i == tile - 1) y = y + m[7 * stride];
        out[i] = y + bias;
    }
}

void cnn_f32_winograd_rows_input__scalar(float *v, long stride, const float *plane, int padded_w, int rows, int tiles,
                                         int tile) {
    for (int row = 0, q = 0; row < rows; row++)
        for (int t = 0; t < tiles; t++, q++)
            cnn_winograd_rows_input_tile(v + q, stride, plane + (long)row * padded_w + tile * t);
}

void cnn_f32_winograd_rows_output__scalar(float *plane, const float *m, long stride, int out_h, int out_w, int tiles,
                                          int tile, float bias) {
    for (int row = 0, q = 0; row < out_h; row++)
        for (int t = 0; t < tiles; t++, q++)
            cnn_winograd_rows_output_tile(plane + (long)row * out_w + tile * t,
                                          out_w - tile * t < tile ? out_w - tile * t : tile, m + q, stride, bias, tile);
}
