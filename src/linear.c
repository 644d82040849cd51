/* linear.c — fully connected layer, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.Linear.html

   Shapes: in [N, IN], weight [OUT, IN], bias [OUT], out [N, OUT].
     out         = in · weightᵀ + bias
     grad_in    += grad_out · weight
     grad_weight += grad_outᵀ · in
     grad_bias   += Σ_n grad_out */
#include "internal.h"

static cnn_status check(const char *op, int batch, int in_features, int out_features) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) ||
        (s = cnn_check_positive(op, "in_features", in_features)) ||
        (s = cnn_check_positive(op, "out_features", out_features)) ||
        (s = cnn_check_elements(op, "input", batch, in_features, 1, 1)) ||
        (s = cnn_check_elements(op, "weight", out_features, in_features, 1, 1)))
        return s;
    return cnn_check_elements(op, "output", batch, out_features, 1, 1);
}

cnn_status cnn_linear_forward(float *out, const float *in, const float *weight, const float *bias,
                              int32_t batch, int32_t in_features, int32_t out_features) {
    cnn_status s = check("linear", batch, in_features, out_features);
    if (s) return s;
    for (int n = 0; n < batch; n++) cnn_fill_bias(out + (long)n * out_features, bias, out_features, 1);
    return cnn_gemm("linear", out, out_features, in, in_features, 1, weight, 1, in_features, batch, out_features,
                    in_features, 1);
}

cnn_status cnn_linear_backward(float *grad_in, float *grad_weight, float *grad_bias,
                               const float *grad_out, const float *in, const float *weight,
                               int32_t batch, int32_t in_features, int32_t out_features) {
    cnn_status s = check("linear backward", batch, in_features, out_features);
    if (s) return s;
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, batch, out_features, 1);
    if (grad_in &&
        (s = cnn_gemm("linear", grad_in, in_features, grad_out, out_features, 1, weight, in_features, 1, batch,
                      in_features, out_features, 1)))
        return s;
    if (grad_weight)
        s = cnn_gemm("linear", grad_weight, in_features, grad_out, 1, out_features, in, in_features, 1,
                     out_features, in_features, batch, 1);
    return s;
}
