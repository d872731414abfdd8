using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// A socket on another node, as <c>FetchSockets</c> returned it: a snapshot of its id, handshake, rooms and
/// data (JSON, as socket.io's adapters serialize it). Emit, join and leave travel to the owning node as operations on
/// the room named by the socket id (as socket.io's RemoteSocket does), so they keep their order with the node's other
/// broadcasts; disconnect goes to the socket's entity through the socket region.
/// </summary>
internal sealed class ClusterRemoteSocket(Namespace nsp, Sockets.SocketRegion sockets, string nodeId, string id, Handshake handshake, IReadOnlySet<string> rooms, JToken? data) : RemoteSocket
{
    public override string Id => id;
    public override Handshake Handshake => handshake;
    public override IReadOnlySet<string> Rooms => rooms;

    /// <summary>The socket's data as JSON (a <see cref="JToken"/>), or null.</summary>
    public override object? Data => data;

    /// <summary>The node the socket lives on.</summary>
    public string NodeId => nodeId;

    public override bool Emit(string eventName, params object?[] args) => nsp.To(id).Emit(eventName, args);

    public override void Join(params string[] rooms) => Observe(nsp.In(id).SocketsJoin(rooms));

    public override void Leave(params string[] rooms) => Observe(nsp.In(id).SocketsLeave(rooms));

    /// <summary>Told to the socket's entity through the socket region (<see cref="Sockets.SocketRegion"/>), which finds its node from its id.</summary>
    public override void Disconnect(bool close = false) => sockets.Tell(new ClusterProtocol.SocketCommand(Sockets.SocketRegion.EntityId(id, Sockets.NodeTags.OfNode(nodeId)), close));

    /// <summary>Emits and waits for the socket's acknowledgement; the array holds the first argument of the answer (broadcast acks carry only that).</summary>
    public override async Task<JArray> EmitWithAck(TimeSpan timeout, string eventName, params object?[] args)
    {
        var answers = await nsp.To(id).Timeout(timeout).EmitWithAck(eventName, args).ConfigureAwait(false);
        if (answers.Length == 0) throw new SocketDisconnectedException("socket not found on its node");
        return [answers[0] ?? JValue.CreateNull()];
    }

    // Fire-and-forget like socket.io's RemoteSocket; a failure (node gone, timeout) must not go unobserved.
    private static void Observe(Task task) => task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);

    public override string ToString() => $"RemoteSocket({nsp.Name}, {id} on {nodeId})";
}
