// The CBLAS interface and OpenBLAS's thread control, as Debian's libopenblas-dev installs them.
#include <cblas.h>
