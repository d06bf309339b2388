// A warm training step allocates nothing, with one engine thread and with two (the engine's
// fork-join pool included). Counted through the Swift runtime's allocation hook
// (`_swift_allocObject`, the entry point profilers use): every class instance, array buffer and
// boxed closure context goes through it. Installing the hook switches the runtime's retain and
// release onto slower paths that crash on some tagged values, so the counting runs in a child
// process of this test binary that runs nothing else (`AllocationProbe`, enabled only there),
// and only the child's test thread and the engine's worker threads ("tensor-worker-N") count.
import Foundation
import Synchronization
import Testing
import Tensor

/// swift_allocObject(metadata, size, alignment mask) -> object.
private typealias AllocObject = @convention(c) (UnsafeRawPointer?, Int, Int) -> UnsafeMutableRawPointer?

/// The runtime's own allocator, called by the counting hook. Written before the hook is
/// installed and read only while it is.
private nonisolated(unsafe) var runtimeAllocObject: AllocObject?
private let countedAllocations = Atomic<Int>(0)
/// The pthread whose allocations count (0: none).
private let countedThread = Atomic<UInt>(0)

/// glibc's pthread_getname_np (not imported into Swift: it needs _GNU_SOURCE), looked up
/// before the hook is installed.
private typealias GetThreadName = @convention(c) (pthread_t, UnsafeMutablePointer<CChar>, Int) -> Int32
private nonisolated(unsafe) var getThreadName: GetThreadName?

/// Whether the current thread is one of the engine's pool threads. Reads the name into a
/// 16-byte stack value (pthread names are at most 16 bytes), so the hook itself allocates nothing.
private func onEngineWorker() -> Bool {
    guard let getThreadName else { return false }
    var name: (UInt64, UInt64) = (0, 0)
    let found = withUnsafeMutableBytes(of: &name) { bytes in
        getThreadName(pthread_self(), bytes.baseAddress!.assumingMemoryBound(to: CChar.self), 16) == 0
    }
    // "tensor-w" as a little-endian 64-bit word.
    let prefix: UInt64 = 0x772d_726f_736e_6574
    return found && name.0 == prefix
}

private let countingHook: AllocObject = { metadata, size, alignmentMask in
    if UInt(pthread_self()) == countedThread.load(ordering: .relaxed) || onEngineWorker() {
        countedAllocations.add(1, ordering: .relaxed)
    }
    return runtimeAllocObject!(metadata, size, alignmentMask)
}

/// Swift object allocations made by `body` on this thread and on the engine's workers.
private func countAllocations(_ body: () -> Void) throws -> Int {
    let handle = dlopen(nil, RTLD_NOW)
    let symbol = try #require(dlsym(handle, "_swift_allocObject"), "the Swift runtime exports no allocation hook")
    let slot = symbol.assumingMemoryBound(to: AllocObject.self)
    let nameLookup = try #require(dlsym(handle, "pthread_getname_np"), "no pthread_getname_np")
    getThreadName = unsafeBitCast(nameLookup, to: GetThreadName.self)
    runtimeAllocObject = slot.pointee
    countedAllocations.store(0, ordering: .relaxed)
    countedThread.store(UInt(pthread_self()), ordering: .relaxed)
    let swizzling = try #require(dlsym(handle, "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly"),
                                 "the Swift runtime has no swizzling flag")
    slot.pointee = countingHook
    body()
    slot.pointee = runtimeAllocObject!
    // The runtime raised this flag when it first saw the hook; lowered, retain/release take
    // their usual paths again.
    swizzling.storeBytes(of: 0, as: UInt8.self)
    countedThread.store(0, ordering: .relaxed)
    return countedAllocations.load(ordering: .relaxed)
}

/// An array the optimiser cannot remove: the hook's positive control.
@inline(never)
private func makeArray(_ n: Int) -> [Int] { Array(repeating: n, count: n) }

/// Set in the child process that runs the probe.
private let probeVariable = "TENSOR_ALLOCATION_PROBE"

@Suite struct AllocationTests {
    /// Runs `AllocationProbe` in a child process and checks what it counted.
    @Test func warmTrainingStepsAllocateNothing() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "AllocationProbe"]
        child.environment = ProcessInfo.processInfo.environment.merging([probeVariable: "1"]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        #expect(child.terminationStatus == 0, "the allocation probe failed:\n\(text)")
        // The probe's own report: the hook saw the control's arrays, and no warm-step allocation.
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("allocations ") }
        #expect(lines.contains { $0.hasPrefix("allocations control ") && !$0.hasSuffix(" 0") }, "\(lines)")
        #expect(lines.contains("allocations threads=1 0"), "\(lines)")
        #expect(lines.contains("allocations threads=2 0"), "\(lines)")
    }
}

/// The counting itself, run only in the child process that `AllocationTests` starts.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment[probeVariable] != nil))
struct AllocationProbe {
    @Test func theCounterSeesAnAllocation() throws {
        var kept: [[Int]] = []
        kept.reserveCapacity(3)
        let n = try countAllocations { for i in 1...3 { kept.append(makeArray(i + 8)) } }
        print("allocations control \(n)")
        #expect(n >= 3, "the hook counted \(n) allocations for 3 arrays")
        #expect(kept.count == 3)
    }

    /// The Nature-CNN DQN update (uint8 input scaled on the way in, forward, gathered Q, Huber,
    /// backward, Adam), as `rl bench tensor` times it, at batch 32 so every parallel loop splits.
    @Test(arguments: [1, 2]) func warmTrainingStepAllocatesNothing(threads: Int) throws {
        let saved = BLAS.threadCount
        BLAS.threadCount = threads
        defer { BLAS.threadCount = saved }
        let batch = 32, actions = 6
        let net = ModelTests.nature(actions: actions, seed: 11)
        let adam = Adam(parameters: net.namedParameters, learningRate: 1e-4)
        var rng = TensorRNG(seed: 12)
        let pixels = (0..<(batch * 4 * 84 * 84)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let chosen = (0..<batch).map { _ in Int(rng.next() % UInt64(actions)) }
        let x = FloatTensor(shape: [batch, 4, 84, 84]), one = FloatTensor(shape: [1, 4, 84, 84])
        let targets = randomTensor([batch], &rng)
        let q = FloatTensor(shape: [batch]), dq = FloatTensor(shape: [batch])
        let dOut = FloatTensor(shape: [batch, actions])
        func step() {
            pixels.withUnsafeBufferPointer { x.load(bytes: $0, scale: 1 / 255) }
            _ = net.forward(one)   // acting between updates, at batch 1
            Ops.gather(net.forward(x), indices: chosen, into: q)
            Loss.huber(prediction: q, target: targets, gradient: dq)
            Ops.gatherBackward(gradOutput: dq, indices: chosen, into: dOut)
            net.zeroGradients()
            net.backward(dOut)
            adam.step()
        }
        for _ in 0..<3 { step() }
        let count = try countAllocations { for _ in 0..<3 { step() } }
        print("allocations threads=\(threads) \(count)")
        #expect(count == 0, "\(count) allocations in 3 warm steps with \(threads) thread(s)")
        #expect(BLAS.threadCount == threads)
    }
}
