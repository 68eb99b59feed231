// The C boundary of shuoguo: CBLAS and LAPACKE, nothing else.
// Debian: libopenblas-dev (the optimized BLAS behind libblas.so), liblapack-dev, liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
