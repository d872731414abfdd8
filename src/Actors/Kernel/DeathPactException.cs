namespace SocketIo.Actors.Kernel;

/// <summary>Thrown when an actor does not handle the Terminated of an actor it watches; the default supervisor strategy stops the actor.</summary>
public class DeathPactException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeathPactException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeathPactException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeathPactException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
