// Four-lane helpers for the optimisers' elementwise loops. Swift lowers Float.squareRoot()
// to a scalar sqrtss with an errno fallback call, which stops LLVM from vectorising any loop
// that contains it; on x86-64 we call SSE's sqrtps directly (correctly rounded, like sqrtss,
// so results are bit-identical to the scalar loop).
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Lane-wise square root.
@inline(__always)
func squareRoot4(_ x: SIMD4<Float>) -> SIMD4<Float> {
    #if arch(x86_64)
    return _mm_sqrt_ps(x)
    #else
    return SIMD4(x[0].squareRoot(), x[1].squareRoot(), x[2].squareRoot(), x[3].squareRoot())
    #endif
}

/// Four floats at `pointer + index`.
@inline(__always)
func load4(_ pointer: UnsafePointer<Float>, _ index: Int) -> SIMD4<Float> {
    UnsafeRawPointer(pointer + index).loadUnaligned(as: SIMD4<Float>.self)
}

/// Stores four floats at `pointer + index`.
@inline(__always)
func store4(_ value: SIMD4<Float>, _ pointer: UnsafeMutablePointer<Float>, _ index: Int) {
    UnsafeMutableRawPointer(pointer + index).storeBytes(of: value, as: SIMD4<Float>.self)
}

/// Eight floats at `pointer + index`.
@inline(__always)
func load8(_ pointer: UnsafePointer<Float>, _ index: Int) -> SIMD8<Float> {
    UnsafeRawPointer(pointer + index).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at `pointer + index`.
@inline(__always)
func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ index: Int) {
    UnsafeMutableRawPointer(pointer + index).storeBytes(of: value, as: SIMD8<Float>.self)
}
