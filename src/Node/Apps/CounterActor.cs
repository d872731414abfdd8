using Akka.Actor;
using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// The counter demo's state: the sharded entity "counter" (one entity, <see cref="CounterProtocol.DemoCounter"/>),
/// so the count is one for the whole cluster and concurrent increments from any node never race. It
/// broadcasts every new count with <c>io.Emit</c>, which reaches the sockets of every node, and sends the
/// current count to a new socket through the socket's own room (<c>io.To(socketId)</c>, cluster-wide too).
/// Both leave the entity's node in order through the same namespace, so a socket never sees the count go
/// back. On a single node the same entity runs in a local region (<see cref="ClusterDemo"/>).
/// </summary>
/// <remarks>The count is in memory: when the entity's shard moves (its node lost or leaving) it starts again from 0.</remarks>
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

    private void HandleSendCountTo(CounterProtocol.SendCountTo send) => _nsp.To(send.SocketId).Emit("countUpdated", _count);
}

/// <summary>Messages of the <see cref="CounterActor"/> entity; they cross nodes (<see cref="Internal.DemoMessageSerializer"/>).</summary>
public static class CounterProtocol
{
    /// <summary>The entity id of the demo's counter.</summary>
    public const string DemoCounter = "counter";

    /// <summary>Add one to counter <paramref name="CounterId"/> and broadcast <c>countUpdated</c> to every socket of the cluster.</summary>
    public sealed record Increment(string CounterId);

    /// <summary>Emit the current count of <paramref name="CounterId"/> to socket <paramref name="SocketId"/> (on any node).</summary>
    public sealed record SendCountTo(string CounterId, string SocketId);

    /// <summary>Query; replied with <see cref="Count"/>.</summary>
    public sealed record GetCount(string CounterId);

    public sealed record Count(long Value);
}
