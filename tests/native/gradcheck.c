/* gradcheck.c — finite-difference gradient checks (see gradcheck.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"

gradcheck_tensor gradcheck_tensor_of(const char *name, float *values, int count) {
    gradcheck_tensor t = {name, values, zero_floats(count), count};
    return t;
}

void gradcheck_free(gradcheck_op *op) {
    for (int t = 0; t < 3; t++) {
        free(op->tensors[t].values);
        free(op->tensors[t].grads);
    }
}

/* L = Σ_j out_j · G_j in double, at the tensors' current values; NaN when
   forward fails, which fails the comparison. */
static double loss(const gradcheck_op *op, float *out, const float *grad_out) {
    if (op->forward(op, out) != CNN_OK) return NAN;
    double sum = 0.0;
    for (int j = 0; j < op->outputs; j++) sum += (double)out[j] * grad_out[j];
    return sum;
}

/* Error of an analytic gradient a against the finite difference d, as
   |a − d| / (1 + |d|). Float rounding over the step and the curvature term are
   both near 1e-5 (gradcheck.h); 1e-3 leaves a wide margin and still catches a
   missing or misplaced term, which is off by the size of a whole product. */
static const double TOLERANCE = 1e-3;

void check_gradients(const gradcheck_op *op) {
    const float step = op->step > 0 ? op->step : GRADCHECK_STEP;
    float *grad_out = random_floats(op->outputs), *out = zero_floats(op->outputs);
    for (int t = 0; t < op->tensor_count; t++) memset(op->tensors[t].grads, 0, sizeof(float) * op->tensors[t].count);
    CHECK(op->forward(op, out) == CNN_OK, "%s: forward failed: %s", op->label, cnn_last_error());
    CHECK(op->backward(op, grad_out) == CNN_OK, "%s: backward failed: %s", op->label, cnn_last_error());
    float *analytic[3];
    for (int t = 0; t < op->tensor_count; t++) {
        const gradcheck_tensor *tensor = &op->tensors[t];
        analytic[t] = zero_floats(tensor->count);
        memcpy(analytic[t], tensor->grads, sizeof(float) * tensor->count);
    }
    CHECK(op->backward(op, grad_out) == CNN_OK, "%s: second backward failed", op->label);
    for (int t = 0; t < op->tensor_count; t++) {
        const gradcheck_tensor *tensor = &op->tensors[t];
        int doubled = 1;
        for (int i = 0; i < tensor->count; i++)
            doubled &= close_enough(tensor->grads[i], 2.0 * analytic[t][i], 1e-6, 1e-5);
        CHECK(doubled, "%s: a second backward must add to grad_%s (+=), not overwrite it", op->label, tensor->name);

        double worst = 0.0, worst_analytic = 0.0, worst_numeric = 0.0;
        int worst_index = -1;
        for (int i = 0; i < tensor->count; i++) {
            const float saved = tensor->values[i];
            const float plus = saved + step, minus = saved - step;
            tensor->values[i] = plus;
            const double loss_plus = loss(op, out, grad_out);
            tensor->values[i] = minus;
            const double loss_minus = loss(op, out, grad_out);
            tensor->values[i] = saved;
            const double numeric = (loss_plus - loss_minus) / ((double)plus - minus);
            double error = fabs(analytic[t][i] - numeric) / (1.0 + fabs(numeric));
            if (isnan(error)) error = INFINITY;
            if (error > worst || worst_index < 0) {
                worst = error, worst_index = i;
                worst_analytic = analytic[t][i], worst_numeric = numeric;
            }
        }
        if (getenv("GRADCHECK_VERBOSE")) printf("  %s grad_%s worst %.3g\n", op->label, tensor->name, worst);
        CHECK(worst <= TOLERANCE, "%s: grad_%s[%d] = %.6g, finite differences give %.6g", op->label, tensor->name,
              worst_index, worst_analytic, worst_numeric);
        free(analytic[t]);
    }
    free(grad_out);
    free(out);
}
