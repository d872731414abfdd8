namespace SocketIo.Actors.Kernel;

/// <summary>A handle to cancel a scheduled delivery.</summary>
public interface ICancelable
{
    /// <summary>True once <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>Stops further deliveries; a delivery already in progress may still arrive.</summary>
    void Cancel();
}
