// Spaces as the JSON text the store's episode rows carry, so a reader (this build, a later one,
// or sqlite3 and Python) knows the shape and type of the bytes in a chunk without the code of
// the environment that wrote them.
import Foundation
import RL

extension Space {
    /// The space as a JSON object: {"type":"box","shape":[..],"element":"uint8","low":0,"high":255},
    /// {"type":"discrete","n":N} or {"type":"dict","parts":[{"name":..,"space":..}]}.
    var storeJSONObject: [String: Any] {
        switch self {
        case .discrete(let n): return ["type": "discrete", "n": n]
        case .box(let shape, let element, let low, let high):
            return ["type": "box", "shape": shape, "element": element.rawValue,
                    "low": Double(low), "high": Double(high)]
        case .dictionary(let parts):
            return ["type": "dict", "parts": parts.map { ["name": $0.name, "space": $0.space.storeJSONObject] }]
        }
    }

    var storeJSON: String {
        let data = try! JSONSerialization.data(withJSONObject: storeJSONObject, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses `storeJSON`; nil for text this build does not understand.
    init?(storeJSON text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return nil
        }
        self.init(storeJSONObject: object)
    }

    init?(storeJSONObject object: [String: Any]) {
        switch object["type"] as? String {
        case "discrete":
            guard let n = object["n"] as? Int, n >= 1 else { return nil }
            self = .discrete(n)
        case "box":
            guard let shape = object["shape"] as? [Int], let elementName = object["element"] as? String,
                  let element = ElementType(rawValue: elementName),
                  let low = (object["low"] as? NSNumber)?.floatValue,
                  let high = (object["high"] as? NSNumber)?.floatValue,
                  Self.isPlausible(shape: shape) else { return nil }
            self = .box(shape: shape, element: element, low: low, high: high)
        case "dict":
            guard let parts = object["parts"] as? [[String: Any]] else { return nil }
            var named: [NamedSpace] = []
            for part in parts {
                guard let name = part["name"] as? String, let sub = part["space"] as? [String: Any],
                      let space = Space(storeJSONObject: sub) else { return nil }
                named.append(NamedSpace(name, space))
            }
            self = .dictionary(named)
        default:
            return nil
        }
    }

    /// Whether a stored shape could have come from an environment: positive dimensions whose
    /// product fits comfortably in memory. A damaged row must not make `byteCount` overflow.
    private static func isPlausible(shape: [Int]) -> Bool {
        var product = 1
        for dimension in shape {
            guard dimension >= 1 && dimension <= 1 << 24 else { return false }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow && next <= 1 << 32 else { return false }
            product = next
        }
        return true
    }
}
