using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Kernel;

/// <summary>Logging from actors.</summary>
public static class LoggingExtensions
{
    /// <summary>A logger from the system's <see cref="ActorSystem.LoggerFactory"/>, categorised by the actor type's full name.</summary>
    public static ILogger GetLogger(this IActorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.System.LoggerFactory.CreateLogger(context.Props.Type.FullName ?? context.Props.Type.Name);
    }
}
