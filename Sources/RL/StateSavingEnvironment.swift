// Save and restore for whole environment chains, so that search and a viewer's scrubbing can
// rewind a wrapped environment. Each environment saves its own state as a value of its own
// type; a wrapper's state holds its inner environment's state beside its own fields, so a chain
// saves as nested values without any wrapper knowing what it wraps. Restoring checks the whole
// chain before changing anything: a wrapper checks its own part, then restores its inner
// environment (which refuses without changing anything), and only then sets its own fields.

/// An environment that can save, in memory, everything that decides how it continues, and
/// rewind to such a state later: the same environment or another one built the same way then
/// continues bit for bit as the saved one would have.
public protocol StateSavingEnvironment: Environment {
    associatedtype State: Sendable
    /// The current state. Wrappers throw `EnvironmentStateError.notSupported` when an
    /// environment inside them cannot save its state.
    func saveState() throws -> State
    /// Rewinds to `state`. Throws, changing nothing, for a state saved from an environment
    /// of another kind or configuration.
    func restoreState(_ state: State) throws
}

/// Why a state could not be saved or restored.
public enum EnvironmentStateError: Error, Equatable, CustomStringConvertible {
    /// The environment (named by its type) cannot save its state.
    case notSupported(environment: String)
    /// The state was saved from another kind of environment (types of states).
    case wrongKind(expected: String, found: String)
    /// The state was saved from an environment of the same kind configured differently.
    case wrongConfiguration(environment: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .notSupported(let environment):
            return "\(environment) cannot save its state"
        case .wrongKind(let expected, let found):
            return "the state is a \(found); this environment restores a \(expected)"
        case .wrongConfiguration(let environment, let expected, let found):
            return "the state was saved from a \(environment) with \(found); this one has \(expected)"
        }
    }
}

extension Environment {
    /// True when this environment, and every one inside its wrappers, can save its state.
    public var canSaveState: Bool {
        guard self is any StateSavingEnvironment else { return false }
        guard let wrapper = self as? any EnvironmentWrapper else { return true }
        return wrapper.inner.canSaveState
    }

    /// This environment's state, whatever its type: what wrappers keep of their inner
    /// environment, and what callers that hold an `any Environment` save.
    public func saveAnyState() throws -> any Sendable {
        guard let saving = self as? any StateSavingEnvironment else {
            throw EnvironmentStateError.notSupported(environment: "\(type(of: self))")
        }
        return try saving.saveState()
    }

    /// Restores a state `saveAnyState()` returned; throws, changing nothing, for a state of
    /// another kind of environment or configuration.
    public func restoreAnyState(_ state: any Sendable) throws {
        guard let saving = self as? any StateSavingEnvironment else {
            throw EnvironmentStateError.notSupported(environment: "\(type(of: self))")
        }
        try restoreTyped(saving, state)
    }
}

/// Restores `state` into `environment` once its state type is known (the existential opened).
private func restoreTyped<E: StateSavingEnvironment>(_ environment: E, _ state: any Sendable) throws {
    guard let typed = state as? E.State else {
        throw EnvironmentStateError.wrongKind(expected: "\(E.State.self)", found: "\(type(of: state))")
    }
    try environment.restoreState(typed)
}

/// The state of a wrapper that keeps nothing between steps (its buffers are rewritten before
/// they are read): its inner environment's state and a description of its setup, checked on
/// restore. Generic over the wrapper, so another kind of wrapper still refuses it.
public struct PassThroughState<Wrapper>: Sendable {
    let inner: any Sendable
    let setup: String
}

extension EnvironmentWrapper {
    /// `saveState` of a wrapper that keeps nothing between steps.
    public func savePassThrough(setup: String) throws -> PassThroughState<Self> {
        PassThroughState(inner: try inner.saveAnyState(), setup: setup)
    }

    /// `restoreState` of a wrapper that keeps nothing between steps: checks `setup`, then
    /// restores the inner environment.
    public func restorePassThrough(_ state: PassThroughState<Self>, setup: String) throws {
        try checkSavedSetup(state.setup, setup)
        try inner.restoreAnyState(state.inner)
    }

    /// For wrappers' `restoreState`: throws `wrongConfiguration`, naming this wrapper, when the
    /// setup a state was saved under differs from this wrapper's.
    public func checkSavedSetup<T: Equatable>(_ saved: T, _ current: T) throws {
        guard saved == current else {
            throw EnvironmentStateError.wrongConfiguration(environment: "\(type(of: self))", expected: "\(current)",
                                                           found: "\(saved)")
        }
    }
}
