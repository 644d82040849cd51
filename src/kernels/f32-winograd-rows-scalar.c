/* f32-winograd-rows-scalar.c — Winograd F(2, 5) along rows, the scalar twin (see winograd_rows.h). */
#include "winograd_rows.h"

void cnn_winograd_rows_input_tile(float *v, long stride, const float *row, int t) {
    const float *d = row + 2 * t;
    v[t] = 4.0f * (d[0] - d[2]) + (d[4] - d[2]);
    v[stride + t] = (d[3] + d[4]) - 4.0f * (d[1] + d[2]);
    v[2 * stride + t] = 4.0f * (d[1] - d[2]) + (d[4] - d[3]);
    v[3 * stride + t] = 2.0f * (d[3] - d[1]) + (d[4] - d[2]);
    v[4 * stride + t] = 2.0f * (d[1] - d[3]) + (d[4] - d[2]);
    v[5 * stride + t] = 4.0f * (d[1] - d[3]) + (d[5] - d[3]);
}

void cnn_winograd_rows_output_tile(float *row, const float *m, long stride, int t, int out_w, float bias) {
    const float m0 = m[t], m1 = m[stride + t], m2 = m[2 * stride + t];
    const float m3 = m[3 * stride + t], m4 = m[4 * stride + t], m5 = m[5 * stride + t];
    row[2 * t] = ((m0 + (m1 + m2)) + (m3 + m4)) + bias;
    if (2 * t + 1 < out_w) row[2 * t + 1] = (((m1 - m2) + 2.0f * (m3 - m4)) + m5) + bias;
}

void cnn_f32_winograd_rows_input__scalar(float *v, long stride, const float *row, int tiles) {
    for (int t = 0; t < tiles; t++) cnn_winograd_rows_input_tile(v, stride, row, t);
}

void cnn_f32_winograd_rows_output__scalar(float *row, const float *m, long stride, int out_w, float bias) {
    for (int t = 0; t < (out_w + 1) / 2; t++) cnn_winograd_rows_output_tile(row, m, stride, t, out_w, bias);
}
