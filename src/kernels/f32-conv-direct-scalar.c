/* f32-conv-direct-scalar.c — direct convolution of one padded image, the scalar twin (see conv-direct.h). */
#include "conv-direct.h"

void cnn_f32_conv_direct__scalar(float *out, const float *padded, const float *weight,
                                 const float *bias, const cnn_geometry *g, int padded_h,
                                 int padded_w) {
    const int taps = g->kernel_h * g->kernel_w;
    const long padded_plane = (long)padded_h * padded_w;
    for (int oc = 0; oc < g->out_channels; oc++) {
        const float *w = weight + (long)oc * g->in_channels * taps;
        for (int oh = 0; oh < g->out_height; oh++)
            for (int ow = 0; ow < g->out_width; ow++) {
                float sum = 0.0f;
                for (int c = 0; c < g->in_channels; c++)
                    for (int kh = 0; kh < g->kernel_h; kh++) {
                        const float *row = padded + c * padded_plane +
                                           (long)(oh * g->stride_h + kh * g->dilation_h) * padded_w +
                                           ow * g->stride_w;
                        for (int kw = 0; kw < g->kernel_w; kw++)
                            sum += w[c * taps + kh * g->kernel_w + kw] * row[kw * g->dilation_w];
                    }
                out[((long)oc * g->out_height + oh) * g->out_width + ow] = sum + (bias ? bias[oc] : 0.0f);
            }
    }
}
