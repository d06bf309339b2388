// Schedules as pure functions of the step count (CleanRL's `linear_schedule`, Dopamine's
// `linearly_decaying_epsilon`), so a resumed run recomputes them from its counters instead of
// storing them.

/// A value that moves linearly from `start` to `end` over `duration` steps after `delay`
/// steps, then stays at `end`.
public struct LinearSchedule: Sendable, Equatable, Codable {
    public var start: Double
    public var end: Double
    public var duration: Int
    public var delay: Int

    public init(start: Double, end: Double, duration: Int, delay: Int = 0) {
        precondition(duration >= 0 && delay >= 0, "LinearSchedule: duration \(duration) and delay \(delay) must be non-negative")
        self.start = start
        self.end = end
        self.duration = duration
        self.delay = delay
    }

    /// The value at `step`.
    public func value(at step: Int) -> Double {
        if step <= delay { return start }
        if duration == 0 || step >= delay + duration { return end }
        let fraction = Double(step - delay) / Double(duration)
        return start + fraction * (end - start)
    }
}
