// zlib, through its Debian package: deflate and CRC-32 for the npz (zip) export.
#include <zlib.h>
