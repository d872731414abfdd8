using SocketIo.Actors;
using SocketIo.Actors.Kernel;

namespace SocketIo.Node.Apps;

/// <summary>
/// The counter demo's state. One actor owns the count, so concurrent increments never race, and the
/// counts it broadcasts leave in increasing order.
/// </summary>
public sealed class CounterActor : ReceiveActor
{
    private readonly Namespace _nsp;
    private long _count;

    public CounterActor(Namespace nsp)
    {
        _nsp = nsp;
        Receive<CounterProtocol.Increment>(_ => HandleIncrement());
        Receive<CounterProtocol.SendCountTo>(HandleSendCountTo);
        Receive<CounterProtocol.GetCount>(_ => Sender.Tell(new CounterProtocol.Count(_count)));
    }

    private void HandleIncrement()
    {
        _count++;
        _nsp.Emit("countUpdated", _count);
    }

    private void HandleSendCountTo(CounterProtocol.SendCountTo send) => send.Socket.Emit("countUpdated", _count);
}

/// <summary>Messages of the <see cref="CounterActor"/>.</summary>
public static class CounterProtocol
{
    /// <summary>Add one and broadcast <c>countUpdated</c> to every socket.</summary>
    public sealed record Increment
    {
        public static readonly Increment Instance = new();
        private Increment() { }
    }

    /// <summary>Emit the current count to one (new) socket.</summary>
    public sealed record SendCountTo(Socket Socket);

    /// <summary>Query; replied with <see cref="Count"/>.</summary>
    public sealed record GetCount
    {
        public static readonly GetCount Instance = new();
        private GetCount() { }
    }

    public sealed record Count(long Value);
}
