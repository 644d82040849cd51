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
     grad_weight += Σ grad_out·x̂,  grad_bias += Σ grad_out
   Sums run in float over one plane (eight lanes) and in double across planes; the
   element-wise steps run in float, four lanes at a time. */
#include <math.h>
#include "internal.h"
#include "vec4.h"

static cnn_status check(const char *op, int batch, int channels, int height, int width) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "channels", channels)) ||
        (s = cnn_check_positive(op, "height", height)) || (s = cnn_check_positive(op, "width", width)))
        return s;
    return cnn_check_elements(op, "input", batch, channels, height, width);
}

cnn_status cnn_batch_norm2d_check_options(const char *op, float momentum, float eps) {
    if (!(eps > 0.0f) || eps == INFINITY)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "eps must be positive and finite, got %g", eps);
    if (!(momentum >= 0.0f && momentum <= 1.0f))
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "momentum must be in [0, 1], got %g", momentum);
    return CNN_OK;
}

cnn_status cnn_batch_norm2d_forward(float *out, float *save_mean, float *save_invstd, float *running_mean,
                                    float *running_var, const float *in, const float *weight, const float *bias,
                                    int32_t training, float momentum, float eps, int32_t batch, int32_t channels,
                                    int32_t height, int32_t width) {
    const char *op = "batch_norm2d";
    cnn_status s = check(op, batch, channels, height, width);
    if (s) return s;
    const long plane = (long)height * width, count = batch * plane;
    if ((s = cnn_batch_norm2d_check_options(op, momentum, eps))) return s;
    if (training && count < 2)
        return cnn_fail(CNN_INVALID_ARGUMENT, op, "training needs more than 1 value per channel (N·H·W = %ld)", count);
    for (int c = 0; c < channels; c++) {
        const float *x_c = in + (long)c * plane; /* image n at x_c + n·channels·plane */
        const long image = (long)channels * plane;
        double mean, invstd;
        if (training) {
            double sum = 0.0, squares = 0.0;
            for (int n = 0; n < batch; n++) sum += cnn_plane_sum(x_c + n * image, plane);
            mean = sum / count;
            for (int n = 0; n < batch; n++)
                squares += cnn_plane_sum_products(x_c + n * image, (float)mean, x_c + n * image, (float)mean, plane);
            const double variance = squares / count;
            invstd = 1.0 / sqrt(variance + eps);
            running_mean[c] = (float)((1.0 - momentum) * running_mean[c] + momentum * mean);
            running_var[c] = (float)((1.0 - momentum) * running_var[c] + momentum * variance * count / (count - 1));
        } else {
            mean = running_mean[c];
            invstd = 1.0 / sqrt((double)running_var[c] + eps);
        }
        save_mean[c] = (float)mean;
        save_invstd[c] = (float)invstd;
        /* out = (x − μ)·scale + β */
        const float scale = (float)(invstd * (weight ? weight[c] : 1.0f)), shift = bias ? bias[c] : 0.0f;
        const cnn_f32x4 vmean = cnn_splat4((float)mean), vscale = cnn_splat4(scale), vshift = cnn_splat4(shift);
        for (int n = 0; n < batch; n++) {
            const float *x = x_c + n * image;
            float *y = out + (long)c * plane + n * image;
            long i = 0;
            for (; i + 4 <= plane; i += 4) cnn_store4(y + i, (cnn_load4(x + i) - vmean) * vscale + vshift);
            for (; i < plane; i++) y[i] = (x[i] - (float)mean) * scale + shift;
        }
    }
    return CNN_OK;
}

cnn_status cnn_batch_norm2d_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                                     const float *in, const float *weight, const float *save_mean,
                                     const float *save_invstd, int32_t training, int32_t batch, int32_t channels,
                                     int32_t height, int32_t width) {
    cnn_status s = check("batch_norm2d backward", batch, channels, height, width);
    if (s) return s;
    const long plane = (long)height * width, count = batch * plane;
    for (int c = 0; c < channels; c++) {
        const long image = (long)channels * plane, first = (long)c * plane; /* image n at first + n·image */
        const float mean = save_mean[c], invstd = save_invstd[c];
        double sum_grad = 0.0, sum_grad_centred = 0.0;
        for (int n = 0; n < batch; n++) {
            sum_grad += cnn_plane_sum(grad_out + first + n * image, plane);
            sum_grad_centred +=
                cnn_plane_sum_products(grad_out + first + n * image, 0.0f, in + first + n * image, mean, plane);
        }
        const double sum_grad_xhat = sum_grad_centred * invstd;
        if (grad_weight) grad_weight[c] += (float)sum_grad_xhat;
        if (grad_bias) grad_bias[c] += (float)sum_grad;
        if (!grad_in) continue;
        /* grad_in += k·(g − mean(g) − (x − μ)·slope), k = invstd·γ, slope = invstd·mean(g·x̂) */
        const float k = (float)(invstd * (weight ? weight[c] : 1.0f));
        const float mean_grad = training ? (float)(sum_grad / count) : 0.0f;
        const float slope = training ? (float)(invstd * sum_grad_xhat / count) : 0.0f;
        const cnn_f32x4 vk = cnn_splat4(k), vmean_grad = cnn_splat4(mean_grad), vslope = cnn_splat4(slope);
        const cnn_f32x4 vmean = cnn_splat4(mean);
        for (int n = 0; n < batch; n++) {
            const float *g = grad_out + first + n * image, *x = in + first + n * image;
            float *dx = grad_in + first + n * image;
            long i = 0;
            for (; i + 4 <= plane; i += 4)
                cnn_store4(dx + i, cnn_load4(dx + i) +
                                       vk * (cnn_load4(g + i) - vmean_grad - (cnn_load4(x + i) - vmean) * vslope));
            for (; i < plane; i++) dx[i] += k * (g[i] - mean_grad - (x[i] - mean) * slope);
        }
    }
    return CNN_OK;
}
