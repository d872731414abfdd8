using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Adapters.Internal;
using SocketIo.Actors.Protocol;
using static SocketIo.Actors.Cluster.ClusterProtocol;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// The cluster side of one namespace on one node: each operation becomes one <see cref="ClusterProtocol"/> message
/// told to the other nodes' cluster actors (a broadcast's bytes are written once for all of them); requests wait for
/// the nodes up and reachable when they were sent (see <see cref="Internal.RequestTracker"/>). Answers and inbound
/// operations are handled by <see cref="ClusterNodeActor"/>.
/// </summary>
internal sealed class ClusterNamespaceAdapter(ClusterNode node, Namespace nsp) : INamespaceAdapter
{
    public void Broadcast(EncodedPacket packet, BroadcastTarget target) =>
        node.SendToAll(new ClusterProtocol.Broadcast(nsp.Name, target, packet));

    public void BroadcastWithAck(EncodedPacket packet, BroadcastTarget target, IBroadcastAckSink acks)
    {
        var nodes = node.Membership.NodeIds;
        if (nodes.Count == 0) return;
        acks.ExpectServers(nodes.Count);
        var id = node.Requests.NextId();
        node.Requests.TrackBroadcastAck(id, nodes, acks);
        // Only the reachable nodes are asked: an unreachable one would leave the ack waiting for its timeout. One that
        // became unreachable since NodeIds was read is crossed off here, since its loss may have been reported before
        // this ack was tracked.
        var message = new ClusterProtocol.BroadcastWithAck(id, nsp.Name, target, packet);
        foreach (var nodeId in nodes)
        {
            if (node.Membership.ActorOf(nodeId) is { } actor) actor.Tell(message, node.Actor);
            else node.Requests.AbandonBroadcastAck(id, [nodeId]);
        }
    }

    public async Task<IReadOnlyList<RemoteSocket>> FetchSockets(BroadcastTarget target)
    {
        var answers = await Request(id => new ClusterProtocol.FetchSockets(id, nsp.Name, target), nameof(FetchSockets), node.Options.RequestTimeout).ConfigureAwait(false);
        var sockets = new List<RemoteSocket>();
        foreach (var answer in answers)
            if (answer is IReadOnlyList<RemoteSocket> list)
                sockets.AddRange(list);
        return sockets;
    }

    public Task SocketsJoin(BroadcastTarget target, IReadOnlyList<string> rooms) =>
        Request(id => new ClusterProtocol.SocketsJoin(id, nsp.Name, target, rooms), nameof(SocketsJoin), node.Options.RequestTimeout);

    public Task SocketsLeave(BroadcastTarget target, IReadOnlyList<string> rooms) =>
        Request(id => new ClusterProtocol.SocketsLeave(id, nsp.Name, target, rooms), nameof(SocketsLeave), node.Options.RequestTimeout);

    public Task DisconnectSockets(BroadcastTarget target, bool close) =>
        Request(id => new ClusterProtocol.DisconnectSockets(id, nsp.Name, target, close), nameof(DisconnectSockets), node.Options.RequestTimeout);

    public void ServerSideEmit(string eventName, object?[] args) =>
        node.SendToAll(new ClusterProtocol.ServerSideEmit(null, nsp.Name, eventName, AdapterPackets.ToJArray(args)));

    public async Task<JToken?[]> ServerSideEmitWithAck(string eventName, object?[] args, TimeSpan? timeout)
    {
        try
        {
            var json = AdapterPackets.ToJArray(args);
            var answers = await Request(id => new ClusterProtocol.ServerSideEmit(id, nsp.Name, eventName, json), nameof(ServerSideEmit), timeout ?? node.Options.RequestTimeout).ConfigureAwait(false);
            return [.. answers.Select(a => a as JToken)];
        }
        catch (ClusterRequestTimeoutException e)
        {
            throw new AckTimeoutException(e.Expected, [.. e.Answers.Select(a => a as JToken)]);
        }
    }

    /// <summary>
    /// Sends a request to every node up and reachable now and waits for one answer from each. With no other node it
    /// completes at once. Fails with <see cref="ClusterRequestTimeoutException"/> when a node stays silent and
    /// reachable for <paramref name="timeout"/>; a node that becomes unreachable, leaves or is removed meanwhile is
    /// no longer waited for.
    /// </summary>
    private Task<IReadOnlyList<object?>> Request(Func<string, ICrossNodeMessage> create, string type, TimeSpan timeout)
    {
        var nodes = node.Membership.NodeIds;
        if (nodes.Count == 0) return Task.FromResult<IReadOnlyList<object?>>([]);
        var id = node.Requests.NextId();
        var message = create(id);
        var pending = node.Requests.Start(id, type, nodes, timeout);
        foreach (var nodeId in nodes)
        {
            if (node.Membership.ActorOf(nodeId) is { } actor) actor.Tell(message, node.Actor);
            else pending.Lost(nodeId);
        }
        return pending.Task;
    }
}
