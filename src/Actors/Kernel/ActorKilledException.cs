namespace SocketIo.Actors.Kernel;

/// <summary>Thrown inside an actor that processed Kill; the default supervisor strategy stops the actor.</summary>
public class ActorKilledException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ActorKilledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
