using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>Request/response from outside or inside actors.</summary>
public static class Futures
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reference as sender and returns the first
    /// reply. Faults with <see cref="AskTimeoutException"/> after <paramref name="timeout"/> (measured
    /// on the system's clock; null = no timeout), with the cause of a <see cref="Status.Failure"/>
    /// reply, with <see cref="InvalidCastException"/> for a reply that is not a
    /// <typeparamref name="T"/>, and is cancelled by <paramref name="cancellationToken"/>.
    /// Inside an actor, do not block on it; use ReceiveAsync or <see cref="PipeToSupport"/>.
    /// </summary>
    public static Task<T> Ask<T>(this ICanTell self, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(message);
        var system = (self as InternalActorRef)?.System ?? ActorCell.Current?.SystemImpl;
        var promise = new PromiseActorRef<T>(system, self, timeout, cancellationToken);
        self.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Untyped <see cref="Ask{T}"/>: completes with whatever is replied.</summary>
    public static Task<object> Ask(this ICanTell self, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        self.Ask<object>(message, timeout, cancellationToken);
}
