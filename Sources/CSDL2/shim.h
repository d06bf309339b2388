// SDL2 for the optional episode viewer (Sources/Viewer).
#include <SDL2/SDL.h>
