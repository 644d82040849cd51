/* gradcheck.h — finite-difference gradient checks for the native suite. */
#ifndef NATIVE_GRADCHECK_H
#define NATIVE_GRADCHECK_H

#include "harness.h"

/* Finite-difference gradient check. For L(θ) = Σ_j forward(θ)_j · G_j with a
   random upstream gradient G, summed in double,
     ∂L/∂θ_i ≈ (L(θ⁺) − L(θ⁻)) / (θ_i⁺ − θ_i⁻),   θ_i± = float(θ_i ± step),
   divided by the step actually stored. backward() must add ∂L/∂θ into each
   tensor's grads; it is called twice to check that it accumulates.
   GRADCHECK_VERBOSE=1 in the environment prints the worst error of each tensor. */
typedef struct {
    const char *name;
    float *values, *grads;
    int count;
} gradcheck_tensor;

typedef struct gradcheck_op gradcheck_op;
struct gradcheck_op {
    const char *label;
    const void *context; /* the op's geometry or sizes */
    int outputs;
    int tensor_count;
    gradcheck_tensor tensors[3];
    cnn_status (*forward)(const gradcheck_op *op, float *out);
    cnn_status (*backward)(const gradcheck_op *op, const float *grad_out);
    float step; /* 0: GRADCHECK_STEP */
};

/* Default step 2⁻⁷: float rounding of the outputs over 2·step stays near 1e-5, the
   curvature error step²/6·L‴ of batch norm and cross entropy too; kinks are
   kept further than step away by the inputs the tests choose. An op linear in
   each tensor has no curvature error at any step, so it may take a larger one
   and divide its rounding noise (Winograd's transforms round more) by it. */
#define GRADCHECK_STEP 0.0078125f

/* A tensor of `count` values (taken, freed by gradcheck_free) with zeroed grads;
   unused slots of op->tensors stay zero. */
gradcheck_tensor gradcheck_tensor_of(const char *name, float *values, int count);
void check_gradients(const gradcheck_op *op);
void gradcheck_free(gradcheck_op *op);

#endif
