namespace SocketIo.Actors.Kernel;

/// <summary>Outcome messages, as sent by <see cref="PipeToSupport"/> and expected by <see cref="Futures.Ask{T}(ICanTell, object, TimeSpan?, CancellationToken)"/>.</summary>
public abstract record Status
{
    private Status()
    {
    }

    /// <summary>A successful outcome carrying an optional value.</summary>
    public sealed record Success(object? Status) : Kernel.Status;

    /// <summary>A failed outcome; an <c>Ask</c> that receives it faults with <paramref name="Cause"/>.</summary>
    public sealed record Failure(Exception Cause) : Kernel.Status;
}
