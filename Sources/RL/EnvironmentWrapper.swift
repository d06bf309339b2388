// Wrappers hold the environment they transform. Walking through them finds what the innermost
// environment offers people (its RGB render, its action names) where the wrappers themselves
// do not, so a recording of a preprocessed Atari game keeps the raw screen beside the 84x84
// stack the agent saw, and the viewer can name its actions.

/// An environment that transforms another one.
public protocol EnvironmentWrapper: Environment {
    /// The environment this wrapper transforms.
    var inner: any Environment { get }
}

extension Environment {
    /// This environment where it renders, else the nearest one inside its wrappers that does.
    public var renderingSource: (any RenderingEnvironment)? {
        var current: any Environment = self
        while true {
            if let rendering = current as? any RenderingEnvironment { return rendering }
            guard let wrapper = current as? any EnvironmentWrapper else { return nil }
            current = wrapper.inner
        }
    }

    /// This environment's action names, else those of the nearest environment inside its
    /// wrappers that names them (wrappers keep the action space).
    public var actionNamesThroughWrappers: [String] {
        var current: any Environment = self
        while true {
            if let named = current as? any NamedActions { return named.actionNames }
            guard let wrapper = current as? any EnvironmentWrapper else { return [] }
            current = wrapper.inner
        }
    }
}
