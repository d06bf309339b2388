// libpng, through its Debian package: PNG frames and viewer screenshots (simplified API, no setjmp).
#include <png.h>
