// Zstandard, through its Debian package: the codec of the trajectory store's step chunks.
#include <zstd.h>
