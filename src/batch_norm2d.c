/* batch_norm2d.c — batch normalisation over N, H, W per channel, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html

   Shapes: in, out [N, C, H, W]; weight γ, bias β, running stats, saved stats [C];
   M = N·H·W values per channel.
   training: μ = mean(x), σ² = mean((x − μ)²) (biased), invstd = 1 / sqrt(σ² + eps),
             running_mean = (1 − momentum)·running_mean + momentum·μ,
             running_var  = (1 − momentum)·running_var  + momentum·σ²·M/(M − 1);
   eval:     μ, invstd from the running statistics.
   out = (x − μ)·invstd·γ + β   (γ = 1, β = 0 when weight/bias are NULL).
   Backward, with x̂ = (x − μ)·invstd and g = grad_out·γ:
     training: grad_in += invstd·(g − mean(g) − x̂·mean(g·x̂))
     eval:     grad_in += g·invstd
     grad_weight += Σ grad_out·x̂,  grad_bias += Σ grad_out */
#include <math.h>
#include "internal.h"

static cnn_status check(const char *op, int batch, int channels, int height, int width) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "channels", channels)) ||
        (s = cnn_check_positive(op, "height", height)) || (s = cnn_check_positive(op, "width", width)))
        return s;
    return cnn_check_elements(op, "input", batch, channels, height, width);
}

cnn_status cnn_batch_norm2d_forward(float *out, float *save_mean, float *save_invstd,
                                    float *running_mean, float *running_var, const float *in,
                                    const float *weight, const float *bias, int32_t training,
                                    float momentum, float eps, int32_t batch, int32_t channels,
                                    int32_t height, int32_t width) {
    const char *op = "batch_norm2d";
    cnn_status s = check(op, batch, channels, height, width);
    if (s) return s;
    const long plane = (long)height * width, count = batch * plane;
    if (!(eps > 0.0f)) return cnn_fail(CNN_INVALID_ARGUMENT, op, "eps must be positive, got %g", eps);
    if (!(momentum >= 0.0f && momentum <= 1.0f))
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "momentum must be in [0, 1], got %g", momentum);
    if (training && count < 2)
        return cnn_fail(CNN_INVALID_ARGUMENT, op,
                        "training needs more than 1 value per channel (N·H·W = %ld)", count);
    for (int c = 0; c < channels; c++) {
        double mean, invstd;
        if (training) {
            double sum = 0.0, squares = 0.0;
            for (int n = 0; n < batch; n++) {
                const float *x = in + ((long)n * channels + c) * plane;
                for (long i = 0; i < plane; i++) sum += x[i];
            }
            mean = sum / count;
            for (int n = 0; n < batch; n++) {
                const float *x = in + ((long)n * channels + c) * plane;
                for (long i = 0; i < plane; i++) squares += (x[i] - mean) * (x[i] - mean);
            }
            const double variance = squares / count;
            invstd = 1.0 / sqrt(variance + eps);
            running_mean[c] = (float)((1.0 - momentum) * running_mean[c] + momentum * mean);
            running_var[c] = (float)((1.0 - momentum) * running_var[c] +
                                     momentum * variance * count / (count - 1));
        } else {
            mean = running_mean[c];
            invstd = 1.0 / sqrt((double)running_var[c] + eps);
        }
        save_mean[c] = (float)mean;
        save_invstd[c] = (float)invstd;
        const double scale = invstd * (weight ? weight[c] : 1.0f), shift = bias ? bias[c] : 0.0f;
        for (int n = 0; n < batch; n++) {
            const long offset = ((long)n * channels + c) * plane;
            for (long i = 0; i < plane; i++) out[offset + i] = (float)((in[offset + i] - mean) * scale + shift);
        }
    }
    return CNN_OK;
}

cnn_status cnn_batch_norm2d_backward(float *grad_in, float *grad_weight, float *grad_bias,
                                     const float *grad_out, const float *in, const float *weight,
                                     const float *save_mean, const float *save_invstd,
                                     int32_t training, int32_t batch, int32_t channels,
                                     int32_t height, int32_t width) {
    cnn_status s = check("batch_norm2d backward", batch, channels, height, width);
    if (s) return s;
    const long plane = (long)height * width, count = batch * plane;
    for (int c = 0; c < channels; c++) {
        const double mean = save_mean[c], invstd = save_invstd[c];
        double sum_grad = 0.0, sum_grad_xhat = 0.0;
        for (int n = 0; n < batch; n++) {
            const long offset = ((long)n * channels + c) * plane;
            for (long i = 0; i < plane; i++) {
                sum_grad += grad_out[offset + i];
                sum_grad_xhat += grad_out[offset + i] * (in[offset + i] - mean) * invstd;
            }
        }
        if (grad_weight) grad_weight[c] += (float)sum_grad_xhat;
        if (grad_bias) grad_bias[c] += (float)sum_grad;
        if (!grad_in) continue;
        const double gamma = weight ? weight[c] : 1.0;
        const double mean_grad = training ? sum_grad / count : 0.0;
        const double mean_grad_xhat = training ? sum_grad_xhat / count : 0.0;
        for (int n = 0; n < batch; n++) {
            const long offset = ((long)n * channels + c) * plane;
            for (long i = 0; i < plane; i++) {
                const double xhat = (in[offset + i] - mean) * invstd;
                grad_in[offset + i] +=
                    (float)(gamma * invstd * (grad_out[offset + i] - mean_grad - xhat * mean_grad_xhat));
            }
        }
    }
    return CNN_OK;
}
