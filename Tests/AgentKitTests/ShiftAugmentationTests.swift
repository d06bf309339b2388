// DrQ's shift augmentation against numpy: every offset of the crop on edge-padded frames
// (np.pad(mode="edge") and a slice, the definition Dopamine's agent uses) for one-channel Atari
// stacks and three-channel images; and the draws' distribution (offsets uniform over 0..<2 pad,
// intensity factors 1 + 0.05 clip(N(0, 1), -2, 2)).
import AgentKit
import Foundation
import RL
import Tensor
import TestSupport
import Testing

/// numpy's crop at (top, left) of each frame padded by `pad` with its edge, as hex.
private let numpyShift = """
import sys, numpy as np
frames, h, w, c, pad = (int(a) for a in sys.argv[1:6])
offsets = [tuple(int(v) for v in o.split(",")) for o in sys.argv[6:]]
data = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(len(offsets), frames, h, w, c)
out = []
for state, (top, left) in zip(data, offsets):
    padded = np.pad(state, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")
    out.append(padded[:, top:top + h, left:left + w, :])
print(np.stack(out).tobytes().hex())
"""

@Test(arguments: [(frames: 4, height: 84, width: 84, channels: 1), (frames: 2, height: 12, width: 10, channels: 3)])
func shiftEqualsNumpyEdgePadAndCrop(shape: (frames: Int, height: Int, width: Int, channels: Int)) throws {
    guard TestEnvironment.hasPythonModule("numpy") else {
        if TestEnvironment.oraclesRequired { throw TestEnvironment.ToolError.missingPython }
        TestEnvironment.note("numpy missing: shift augmentation not compared (run `make tools`)")
        return
    }
    let augmentation = ShiftAugmentation(height: shape.height, width: shape.width, pixelBytes: shape.channels,
                                         frames: shape.frames)
    // Every offset on the diagonal and the four corners and a few others: 0...2 pad inclusive.
    let range = 2 * augmentation.pad
    var offsets = (0...range).map { ($0, range - $0) } + [(0, 0), (range, range), (3, 7), (7, 1)]
    offsets += [(augmentation.pad, augmentation.pad)]
    var generator = SeededGenerator(seed: 11)
    let stateBytes = augmentation.stateByteCount
    var states = (0..<(offsets.count * stateBytes)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let input = Data(states)
    states.withUnsafeMutableBufferPointer { buffer in
        for (i, (top, left)) in offsets.enumerated() {
            augmentation.shift(state: buffer.baseAddress! + i * stateBytes, top: top, left: left)
        }
    }
    let arguments = ["-c", numpyShift, "\(shape.frames)", "\(shape.height)", "\(shape.width)", "\(shape.channels)",
                     "\(augmentation.pad)"] + offsets.map { "\($0.0),\($0.1)" }
    let expected = try TestEnvironment.python(arguments, input: input).trimmingCharacters(in: .whitespacesAndNewlines)
    let ours = states.map { String(format: "%02x", $0) }.joined()
    #expect(ours.count == expected.count)
    // The first differing state, for a readable failure.
    let hexPerState = 2 * stateBytes
    let firstBad = (0..<offsets.count).first { i in
        ours.dropFirst(i * hexPerState).prefix(hexPerState) != expected.dropFirst(i * hexPerState).prefix(hexPerState)
    }
    #expect(firstBad == nil, "state \(firstBad ?? -1), offset \(firstBad.map { offsets[$0] } ?? (0, 0)) differs from numpy")
    // The centre offset is the identity.
    let centre = offsets.count - 1
    #expect(Array(states[(centre * stateBytes)..<((centre + 1) * stateBytes)])
            == Array(input[(centre * stateBytes)..<((centre + 1) * stateBytes)]))
}

@Test func shiftDrawsUniformOffsetsAndClippedNormalIntensities() {
    // 16x16 frames whose pixels hold 16 y + x: the centre pixel after the shift names the offset.
    let augmentation = ShiftAugmentation(height: 16, width: 16, pixelBytes: 1, frames: 1)
    let n = 16_000
    var states = [UInt8](repeating: 0, count: n * 256)
    for s in 0..<n { for y in 0..<16 { for x in 0..<16 { states[s * 256 + y * 16 + x] = UInt8(x + 16 * y) } } }
    var generator = SeededGenerator(seed: 5)
    states.withUnsafeMutableBytes { augmentation.shift(states: $0.baseAddress!, count: n, using: &generator) }
    var leftCounts = [Int](repeating: 0, count: 8), topCounts = [Int](repeating: 0, count: 8)
    for s in 0..<n {
        // Pixel (8, 8) reads the old (8 + top - 4, 8 + left - 4).
        let value = Int(states[s * 256 + 8 * 16 + 8])
        leftCounts[value % 16 - 4] += 1
        topCounts[value / 16 - 4] += 1
    }
    // Uniform over 0..<8: each count 2000 +- 4.5 standard deviations (sd 42).
    #expect(leftCounts.allSatisfy { abs($0 - n / 8) < 190 }, "left offsets \(leftCounts)")
    #expect(topCounts.allSatisfy { abs($0 - n / 8) < 190 }, "top offsets \(topCounts)")

    let factors = UnsafeMutableBufferPointer<Float>.allocate(capacity: 40_000)
    defer { factors.deallocate() }
    augmentation.drawIntensities(into: factors, using: &generator)
    let values = Array(factors).map(Double.init)
    #expect(values.allSatisfy { $0 >= 0.9 - 1e-6 && $0 <= 1.1 + 1e-6 })
    let mean = values.reduce(0, +) / Double(values.count)
    #expect(abs(mean - 1) < 0.002, "mean \(mean)")
    // Clipped at +-2 sd: P(|N| > 2) = 0.0455.
    let clipped = Double(values.filter { abs($0 - 1) > 0.1 - 1e-6 }.count) / Double(values.count)
    #expect(abs(clipped - 0.0455) < 0.006, "clipped fraction \(clipped)")
    // The clipped normal's standard deviation: 0.05 x 0.9589 (N(0, 1) clipped to +-2 has variance 0.9195).
    let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    #expect(abs(sd - 0.05 * 0.9589) < 0.0015, "sd \(sd)")
}

@Test func scaleRowsMultipliesEachRowByItsFactor() {
    let tensor = FloatTensor(shape: [3, 2, 2])
    for i in 0..<12 { tensor.data[i] = Float(i) }
    let factors = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3)
    defer { factors.deallocate() }
    factors[0] = 1; factors[1] = 0.5; factors[2] = 2
    ShiftAugmentation.scaleRows(tensor, by: factors)
    #expect((0..<12).map { tensor.data[$0] } == [0, 1, 2, 3, 2, 2.5, 3, 3.5, 16, 18, 20, 22])
}

@Test func shiftAugmentationRefusesNonImageLayouts() throws {
    let symbolic = try ObservationLayout(space: .box(shape: [7, 7, 3], element: .uint8, low: 0, high: 10), stackSize: 1, requested: .auto)
    #expect(ShiftAugmentation(layout: symbolic) == nil)
    let atari = try ObservationLayout(space: .image(height: 84, width: 84, channels: 1), stackSize: 4, requested: .auto)
    let shift = try #require(ShiftAugmentation(layout: atari))
    #expect(shift.stateByteCount == 4 * 84 * 84 && shift.pad == 4)
}
