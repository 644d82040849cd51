/* bias.c — the bias of the conv and linear layers (one value per output channel), both ways.
     out[n, c, :]  = bias[c]                         (cnn_fill_bias, one image)
     grad_bias[c] += Σ_n Σ_i grad_out[n, c, i]        (cnn_accumulate_bias_grad, in double per channel) */
#include "internal.h"

void cnn_fill_bias(float *out, const float *bias, int channels, long plane) {
    for (int c = 0; c < channels; c++)
        for (long i = 0; i < plane; i++) out[c * plane + i] = bias ? bias[c] : 0.0f;
}

void cnn_accumulate_bias_grad(float *grad_bias, const float *grad_out, int batch, int channels, long plane) {
    for (int c = 0; c < channels; c++) {
        double sum = 0.0;
        for (int n = 0; n < batch; n++) sum += cnn_plane_sum(grad_out + ((long)n * channels + c) * plane, plane);
        grad_bias[c] += (float)sum;
    }
}
