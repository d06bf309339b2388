// One SDL2 window that shows a `ViewerCanvas`: opening it (saying at once when there is no
// display), copying a canvas into its surface, reading back what it shows, and posting key
// presses into SDL's queue. The episode viewer and human play share it.
import CSDL2
import Foundation
import Replay

/// An SDL window showing canvases through its software surface.
final class ViewerWindow {
    private let window: OpaquePointer

    /// Initialises SDL's video and opens a window; `.noDisplay` where there is no display.
    init(title: String, width: Int, height: Int) throws {
        // Without a display server named in the environment, SDL would go on to probe consoles
        // and devices (and can hang there): say at once that there is no display.
        let environment = ProcessInfo.processInfo.environment
        if environment["SDL_VIDEODRIVER"] == nil && (environment["DISPLAY"] ?? "").isEmpty
            && (environment["WAYLAND_DISPLAY"] ?? "").isEmpty {
            throw ViewerError.noDisplay(detail: "neither DISPLAY nor WAYLAND_DISPLAY is set")
        }
        if environment["SDL_VIDEODRIVER"] == nil {
            // Only the display servers named in the environment: an unreachable X server then
            // fails at once instead of sending SDL on to other drivers.
            let drivers = (environment["WAYLAND_DISPLAY"] ?? "").isEmpty ? "x11" : "wayland,x11"
            SDL_SetHint(SDL_HINT_VIDEODRIVER, drivers)
        }
        if SDL_Init(UInt32(SDL_INIT_VIDEO)) != 0 {
            throw ViewerError.noDisplay(detail: String(cString: SDL_GetError()))
        }
        let undefinedPosition = Int32(bitPattern: 0x1FFF_0000)  // SDL_WINDOWPOS_UNDEFINED
        guard let window = SDL_CreateWindow(title, undefinedPosition, undefinedPosition, Int32(width), Int32(height),
                                            SDL_WINDOW_SHOWN.rawValue) else {
            let detail = String(cString: SDL_GetError())
            SDL_QuitSubSystem(UInt32(SDL_INIT_VIDEO))
            throw ViewerError.sdlFailed(call: "SDL_CreateWindow", detail: detail)
        }
        self.window = window
    }

    deinit {
        SDL_DestroyWindow(window)
        SDL_QuitSubSystem(UInt32(SDL_INIT_VIDEO))
    }

    func setTitle(_ title: String) { SDL_SetWindowTitle(window, title) }

    func setSize(width: Int, height: Int) { SDL_SetWindowSize(window, Int32(width), Int32(height)) }

    /// Posts a key press with SDL key code `keyCode`, as if typed (and, with `release`, its release).
    func post(keyCode: Int32, release: Bool = false) {
        for type in release ? [SDL_KEYDOWN, SDL_KEYUP] : [SDL_KEYDOWN] {
            var event = SDL_Event()
            event.type = type.rawValue
            event.key.type = type.rawValue
            event.key.state = UInt8(type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED)
            event.key.windowID = SDL_GetWindowID(window)
            event.key.keysym.sym = keyCode
            SDL_PushEvent(&event)
        }
    }

    /// Copies `canvas` into the window's surface and shows it.
    func present(_ canvas: ViewerCanvas) throws {
        guard let surface = SDL_GetWindowSurface(window) else {
            throw ViewerError.sdlFailed(call: "SDL_GetWindowSurface", detail: String(cString: SDL_GetError()))
        }
        let width = min(Int(surface.pointee.w), canvas.width), height = min(Int(surface.pointee.h), canvas.height)
        SDL_LockSurface(surface)
        let status = canvas.pixels.withUnsafeBytes { source in
            SDL_ConvertPixels(Int32(width), Int32(height), SDL_PIXELFORMAT_RGB24.rawValue, source.baseAddress,
                              Int32(canvas.width * 3), surface.pointee.format.pointee.format, surface.pointee.pixels,
                              surface.pointee.pitch)
        }
        SDL_UnlockSurface(surface)
        guard status == 0, SDL_UpdateWindowSurface(window) == 0 else {
            throw ViewerError.sdlFailed(call: "SDL_UpdateWindowSurface", detail: String(cString: SDL_GetError()))
        }
    }

    /// Reads back the window's surface, what the window shows, as an RGB image.
    func image() throws -> PNGImage {
        guard let surface = SDL_GetWindowSurface(window) else {
            throw ViewerError.sdlFailed(call: "SDL_GetWindowSurface", detail: String(cString: SDL_GetError()))
        }
        let width = Int(surface.pointee.w), height = Int(surface.pointee.h)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        SDL_LockSurface(surface)
        let status = pixels.withUnsafeMutableBytes { target in
            SDL_ConvertPixels(Int32(width), Int32(height), surface.pointee.format.pointee.format, surface.pointee.pixels,
                              surface.pointee.pitch, SDL_PIXELFORMAT_RGB24.rawValue, target.baseAddress, Int32(width * 3))
        }
        SDL_UnlockSurface(surface)
        guard status == 0 else {
            throw ViewerError.sdlFailed(call: "SDL_ConvertPixels", detail: String(cString: SDL_GetError()))
        }
        return PNGImage(width: width, height: height, channels: 3, pixels: pixels)
    }
}
