namespace SocketIo.Actors.Kernel;

/// <summary>Thrown when an actor API is used in a state that does not allow it (e.g. stashing the same message twice).</summary>
public class IllegalActorStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IllegalActorStateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IllegalActorStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IllegalActorStateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
