/* linear.c — fully connected layer, forward and backward.
   https://pytorch.org/docs/stable/generated/torch.nn.Linear.html

   Shapes: in [N, IN], weight [OUT, IN], bias [OUT], out [N, OUT].
     out         = in · weightᵀ + bias
     grad_in    += grad_out · weight
     grad_weight += grad_outᵀ · in
     grad_bias   += Σ_n grad_out */
#include <stdlib.h>
#include "internal.h"

static cnn_status check(const char *op, int batch, int in_features, int out_features) {
    cnn_status s;
    if ((s = cnn_check_positive(op, "batch", batch)) || (s = cnn_check_positive(op, "in_features", in_features)) ||
        (s = cnn_check_positive(op, "out_features", out_features)) ||
        (s = cnn_check_elements(op, "input", batch, in_features, 1, 1)) ||
        (s = cnn_check_elements(op, "weight", out_features, in_features, 1, 1)))
        return s;
    return cnn_check_elements(op, "output", batch, out_features, 1, 1);
}

/* The packing of the largest of the three GEMMs (forward, grad_in, grad_weight). */
long long cnn_linear_scratch_floats(int batch, int in_features, int out_features) {
    const long long sizes[3] = {cnn_gemm_packing_floats(batch, out_features, in_features),
                                cnn_gemm_packing_floats(batch, in_features, out_features),
                                cnn_gemm_packing_floats(out_features, in_features, batch)};
    const long long larger = sizes[0] > sizes[1] ? sizes[0] : sizes[1];
    return larger > sizes[2] ? larger : sizes[2];
}

void cnn_linear_run_forward(float *out, const float *in, const float *weight, const float *bias, int batch,
                            int in_features, int out_features, float *scratch) {
    for (int n = 0; n < batch; n++) cnn_fill_bias(out + (long)n * out_features, bias, out_features, 1);
    cnn_gemm_packed(out, out_features, in, in_features, 1, weight, 1, in_features, batch, out_features, in_features, 1,
                    scratch);
}

void cnn_linear_run_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                             const float *in, const float *weight, int batch, int in_features, int out_features,
                             float *scratch) {
    if (grad_bias) cnn_accumulate_bias_grad(grad_bias, grad_out, batch, out_features, 1);
    if (grad_in)
        cnn_gemm_packed(grad_in, in_features, grad_out, out_features, 1, weight, in_features, 1, batch, in_features,
                        out_features, 1, scratch);
    if (grad_weight)
        cnn_gemm_packed(grad_weight, in_features, grad_out, 1, out_features, in, in_features, 1, out_features,
                        in_features, batch, 1, scratch);
}

cnn_status cnn_linear_forward(float *out, const float *in, const float *weight, const float *bias, int32_t batch,
                              int32_t in_features, int32_t out_features) {
    cnn_status s = check("linear", batch, in_features, out_features);
    if (s) return s;
    float *scratch = cnn_alloc_floats("linear", cnn_linear_scratch_floats(batch, in_features, out_features));
    if (!scratch) return CNN_OUT_OF_MEMORY;
    cnn_linear_run_forward(out, in, weight, bias, batch, in_features, out_features, scratch);
    free(scratch);
    return CNN_OK;
}

cnn_status cnn_linear_backward(float *grad_in, float *grad_weight, float *grad_bias, const float *grad_out,
                               const float *in, const float *weight, int32_t batch, int32_t in_features,
                               int32_t out_features) {
    cnn_status s = check("linear backward", batch, in_features, out_features);
    if (s) return s;
    float *scratch = cnn_alloc_floats("linear", cnn_linear_scratch_floats(batch, in_features, out_features));
    if (!scratch) return CNN_OUT_OF_MEMORY;
    cnn_linear_run_backward(grad_in, grad_weight, grad_bias, grad_out, in, weight, batch, in_features, out_features,
                            scratch);
    free(scratch);
    return CNN_OK;
}
