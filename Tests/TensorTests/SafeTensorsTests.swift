// safetensors: our round trip, Python's `safetensors` reading our files and writing files we
// read (through the tool environment), and every kind of bad file giving a typed error that
// names the file and the tensor, with the model left untouched.
import Foundation
import Testing
import Tensor
import TestSupport

@Suite struct SafeTensorsTests {
    static func smallNet(seed: UInt64) -> Sequential {
        var rng = TensorRNG(seed: seed)
        return Sequential([Conv2D(2, 3, kernelSize: 3, stride: 2, generator: &rng), ReLU(), Flatten(),
                           Linear(12, 4, generator: &rng)])
    }

    @Test func roundTripIsBitIdentical() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let a = Self.smallNet(seed: 1), b = Self.smallNet(seed: 2)
        try a.saveParameters(to: url, metadata: ["format": "pt", "note": "quote \" and backslash \\"])
        try b.loadParameters(from: url)
        for (p, q) in zip(a.namedParameters, b.namedParameters) {
            #expect(p.parameter.value.toArray() == q.parameter.value.toArray(), "\(p.name)")
        }
        let file = try SafeTensors.read(url)
        #expect(file.metadata == ["format": "pt", "note": "quote \" and backslash \\"])
        #expect(file.names == ["0.weight", "0.bias", "3.weight", "3.bias"])
        // Written under a temporary name and renamed: nothing else is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.safetensors"])
    }

    @Test func optimiserStateRoundTrip() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = Self.smallNet(seed: 3), b = Self.smallNet(seed: 3)
        let adamA = Adam(parameters: a.namedParameters, learningRate: 1e-2)
        let adamB = Adam(parameters: b.namedParameters, learningRate: 1e-2)
        var rng = TensorRNG(seed: 4)
        func fakeGradients(_ net: Sequential, _ seed: UInt64) {
            var r = TensorRNG(seed: seed)
            for p in net.parameters { for i in 0..<p.gradient.count { p.gradient[i] = r.uniform() } }
        }
        _ = rng.next()
        for s in 0..<3 { fakeGradients(a, UInt64(s)); adamA.step() }
        try adamA.saveState(to: dir.appendingPathComponent("adam.safetensors"))
        try a.saveParameters(to: dir.appendingPathComponent("model.safetensors"))
        try b.loadParameters(from: dir.appendingPathComponent("model.safetensors"))
        try adamB.loadState(from: dir.appendingPathComponent("adam.safetensors"))
        #expect(adamB.stepCount == 3)
        fakeGradients(a, 9); fakeGradients(b, 9)
        adamA.step(); adamB.step()
        for (p, q) in zip(a.parameters, b.parameters) { #expect(p.value.toArray() == q.value.toArray()) }
        // A mismatched optimiser (RMSProp state names) is refused with the tensor named.
        let rms = RMSProp(parameters: b.namedParameters)
        #expect(throws: SafeTensorsError.missingTensor(file: dir.appendingPathComponent("adam.safetensors").path,
                                                      tensor: "0.weight.square_avg")) {
            try rms.loadState(from: dir.appendingPathComponent("adam.safetensors"))
        }
    }

    /// Python's safetensors (numpy) reads our file with identical values and metadata.
    @Test func pythonReadsOurFile() throws {
        guard TestEnvironment.hasPythonModule("safetensors") else {
            #expect(!TestEnvironment.oraclesRequired, "the tool environment lacks safetensors")
            TestEnvironment.note("no Python safetensors: skipping pythonReadsOurFile")
            return
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ours.safetensors")
        let net = Self.smallNet(seed: 5)
        try net.saveParameters(to: url, metadata: ["origin": "swift"])
        let script = """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            d = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="numpy") as f:
                meta = f.metadata()
            print(json.dumps({"meta": meta, "tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape),
                  "values": [float(x) for x in v.ravel()]} for k, v in d.items()}}))
            """
        let output = try TestEnvironment.python(["-c", script, url.path])
        let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
        #expect(json["meta"] as? [String: String] == ["origin": "swift"])
        let tensors = json["tensors"] as! [String: [String: Any]]
        #expect(Set(tensors.keys) == Set(net.namedParameters.map(\.name)))
        for p in net.namedParameters {
            let t = tensors[p.name]!
            #expect(t["dtype"] as? String == "float32")
            #expect(t["shape"] as? [Int] == p.parameter.shape)
            let values = (t["values"] as! [Double]).map { Float($0) }
            #expect(values == p.parameter.value.toArray(), "\(p.name)")
        }
    }

    /// A file Python writes (values it also prints) is read by us with identical values.
    @Test func weReadPythonsFile() throws {
        guard TestEnvironment.hasPythonModule("safetensors") else {
            #expect(!TestEnvironment.oraclesRequired, "the tool environment lacks safetensors")
            TestEnvironment.note("no Python safetensors: skipping weReadPythonsFile")
            return
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("theirs.safetensors")
        let script = """
            import json, sys
            import numpy as np
            from safetensors.numpy import save_file
            rng = np.random.default_rng(7)
            d = {"0.weight": rng.standard_normal((3, 2, 3, 3)).astype(np.float32),
                 "0.bias": rng.standard_normal(3).astype(np.float32),
                 "3.weight": rng.standard_normal((4, 12)).astype(np.float32),
                 "3.bias": np.array([1e-30, -0.0, 3.4e38, 1.5], dtype=np.float32)}
            save_file(d, sys.argv[1], metadata={"origin": "python"})
            print(json.dumps({k: [float(x) for x in v.ravel()] for k, v in d.items()}))
            """
        let output = try TestEnvironment.python(["-c", script, url.path])
        let expected = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: [Double]]
        let net = Self.smallNet(seed: 6)
        try net.loadParameters(from: url)
        for p in net.namedParameters {
            #expect(p.parameter.value.toArray() == expected[p.name]!.map { Float($0) }, "\(p.name)")
        }
        #expect(try SafeTensors.read(url).metadata == ["origin": "python"])
    }

    // MARK: Bad files

    /// Writes a valid file for a small net and returns its bytes and path.
    func validFile() throws -> (URL, Data, Sequential) {
        let url = try temporaryDirectory().appendingPathComponent("model.safetensors")
        let net = Self.smallNet(seed: 7)
        try net.saveParameters(to: url)
        return (url, try Data(contentsOf: url), net)
    }

    /// Raw file from a header string and a data section.
    func rawFile(header: String, data: Int) -> Data {
        var bytes = Data()
        var n = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header.utf8)
        bytes.append(Data(count: data))
        return bytes
    }

    @Test func truncatedFilesThrowNamingTheFile() throws {
        let (url, bytes, _) = try validFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        for cut in [0, 5, 8, 8 + headerLength / 2, bytes.count - 1] {
            let target = url.deletingLastPathComponent().appendingPathComponent("cut\(cut).safetensors")
            try bytes.prefix(cut).write(to: target)
            let victim = Self.smallNet(seed: 8)
            let before = victim.parameters.map { $0.value.toArray() }
            do {
                try victim.loadParameters(from: target)
                Issue.record("a file cut at \(cut) of \(bytes.count) bytes loaded")
            } catch let error as SafeTensorsError {
                #expect(error.description.contains(target.path), "\(error)")
                if cut == bytes.count - 1 {
                    // The last tensor lost a byte: named in the message.
                    #expect(error.description.contains("3.bias"), "\(error)")
                }
            }
            #expect(victim.parameters.map { $0.value.toArray() } == before, "a failed load changed the model")
        }
    }

    @Test func corruptHeadersThrowTypedErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, Data, (SafeTensorsError) -> Bool)] = [
            ("huge", Data([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]) + Data(count: 16), {
                if case .corruptHeader = $0 { return true } else { return false } }),
            ("notjson", rawFile(header: "{not json", data: 0), {
                if case .corruptHeader = $0 { return true } else { return false } }),
            ("array", rawFile(header: "[1, 2]", data: 0), {
                if case .corruptHeader = $0 { return true } else { return false } }),
            ("dtype", rawFile(header: #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: 4), {
                if case .badTensor(_, "w", _) = $0 { return true } else { return false } }),
            ("offsets", rawFile(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, data: 16), {
                if case .badTensor(_, "w", _) = $0 { return true } else { return false } }),
            ("shape", rawFile(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: 4), {
                if case .badTensor(_, "w", _) = $0 { return true } else { return false } }),
            ("beyond", rawFile(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: 8), {
                if case .truncated = $0 { return true } else { return false } }),
            ("overlap", rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: 12), {
                if case .badTensor = $0 { return true } else { return false } }),
            ("metadata", rawFile(header: #"{"__metadata__":{"a":1}}"#, data: 0), {
                if case .corruptHeader = $0 { return true } else { return false } }),
        ]
        for (name, bytes, matches) in cases {
            let url = dir.appendingPathComponent("\(name).safetensors")
            try bytes.write(to: url)
            do {
                _ = try SafeTensors.read(url)
                Issue.record("\(name): a corrupt file was read")
            } catch let error as SafeTensorsError {
                #expect(matches(error), "\(name): \(error)")
                #expect(error.description.contains(url.path), "\(name): \(error)")
            }
        }
        #expect(throws: SafeTensorsError.self) { try SafeTensors.read(dir.appendingPathComponent("absent.safetensors")) }
    }

    @Test func mismatchedModelsAreRefusedNamingTheTensor() throws {
        let (url, _, _) = try validFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var rng = TensorRNG(seed: 9)
        // Different width: shape mismatch on 3.weight.
        let wider = Sequential([Conv2D(2, 3, kernelSize: 3, stride: 2, generator: &rng), ReLU(), Flatten(),
                                Linear(12, 5, generator: &rng)])
        let before = wider.parameters.map { $0.value.toArray() }
        #expect(throws: SafeTensorsError.shapeMismatch(file: url.path, tensor: "3.weight", expected: [5, 12], found: [4, 12])) {
            try wider.loadParameters(from: url)
        }
        #expect(wider.parameters.map { $0.value.toArray() } == before)
        // An extra layer: a tensor the file lacks.
        let deeper = Sequential([Conv2D(2, 3, kernelSize: 3, stride: 2, generator: &rng), ReLU(), Flatten(),
                                 Linear(12, 4, generator: &rng), ReLU(), Linear(4, 2, generator: &rng)])
        #expect(throws: SafeTensorsError.missingTensor(file: url.path, tensor: "5.weight")) {
            try deeper.loadParameters(from: url)
        }
        // A model without biases: the file's extra tensors are named.
        let noBias = Sequential([Conv2D(2, 3, kernelSize: 3, stride: 2, bias: false, generator: &rng), ReLU(), Flatten(),
                                 Linear(12, 4, bias: false, generator: &rng)])
        #expect(throws: SafeTensorsError.unexpectedTensor(file: url.path, tensor: "0.bias")) {
            try noBias.loadParameters(from: url)
        }
    }

    @Test func unwritableDestinationThrows() throws {
        let net = Self.smallNet(seed: 10)
        let url = URL(fileURLWithPath: "/nonexistent-folder-\(UUID().uuidString)/m.safetensors")
        #expect(throws: SafeTensorsError.self) { try net.saveParameters(to: url) }
    }
}

extension TensorRNG {
    /// Uniform in [-1, 1) for test data.
    mutating func uniform() -> Float { Float(next() >> 40) / 8_388_608 - 1 }
}
