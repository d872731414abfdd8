using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// The cluster side of one namespace on one node: encodes each operation once into a cluster message and
/// hands it to the node's publisher; requests wait for the nodes live when they were sent (see
/// <see cref="RequestTracker"/>). Inbound messages are handled by <see cref="ClusterNode"/>.
/// </summary>
internal sealed class ClusterNamespaceAdapter(ClusterNode node, Namespace nsp) : INamespaceAdapter
{
    public void Broadcast(EncodedPacket packet, BroadcastTarget target)
    {
        var w = node.NewEnvelope(EnvelopeType.Broadcast, 64 + packet.Text.Length);
        w.WriteString(nsp.Name);
        w.WriteTarget(target);
        w.WritePacket(packet);
        node.PublishBroadcast(nsp.Name, w, EnvelopeType.Broadcast);
    }

    public void BroadcastWithAck(EncodedPacket packet, BroadcastTarget target, IBroadcastAckSink acks)
    {
        var nodes = node.Membership.NodeIds;
        if (nodes.Count == 0) return;
        acks.ExpectServers(nodes.Count);
        var id = node.Requests.NextId();
        node.Requests.TrackBroadcastAck(id, nodes, acks);
        var w = node.NewEnvelope(EnvelopeType.BroadcastWithAck, 96 + packet.Text.Length);
        w.WriteString(id);
        w.WriteString(nsp.Name);
        w.WriteTarget(target);
        w.WritePacket(packet);
        if (!node.PublishBroadcast(nsp.Name, w, EnvelopeType.BroadcastWithAck))
            node.Requests.AbandonBroadcastAck(id, nodes);
    }

    public async Task<IReadOnlyList<RemoteSocket>> FetchSockets(BroadcastTarget target)
    {
        var answers = await Request(EnvelopeType.FetchSockets, node.Options.RequestTimeout, w => w.WriteTarget(target)).ConfigureAwait(false);
        var sockets = new List<RemoteSocket>();
        foreach (var answer in answers)
            if (answer is IReadOnlyList<RemoteSocket> list)
                sockets.AddRange(list);
        return sockets;
    }

    public Task SocketsJoin(BroadcastTarget target, IReadOnlyList<string> rooms) =>
        Request(EnvelopeType.SocketsJoin, node.Options.RequestTimeout, w => { w.WriteTarget(target); w.WriteStrings(rooms); });

    public Task SocketsLeave(BroadcastTarget target, IReadOnlyList<string> rooms) =>
        Request(EnvelopeType.SocketsLeave, node.Options.RequestTimeout, w => { w.WriteTarget(target); w.WriteStrings(rooms); });

    public Task DisconnectSockets(BroadcastTarget target, bool close) =>
        Request(EnvelopeType.DisconnectSockets, node.Options.RequestTimeout, w => { w.WriteTarget(target); w.WriteBool(close); });

    public void ServerSideEmit(string eventName, object?[] args)
    {
        var w = node.NewEnvelope(EnvelopeType.ServerSideEmit);
        w.WriteNullableString(null);
        w.WriteString(nsp.Name);
        w.WriteString(eventName);
        w.WriteJson(AdapterPacketsJson(args));
        node.PublishRequest(w, EnvelopeType.ServerSideEmit);
    }

    public async Task<JToken?[]> ServerSideEmitWithAck(string eventName, object?[] args, TimeSpan? timeout)
    {
        try
        {
            var answers = await Request(EnvelopeType.ServerSideEmit, timeout ?? node.Options.RequestTimeout, w =>
            {
                w.WriteString(eventName);
                w.WriteJson(AdapterPacketsJson(args));
            }).ConfigureAwait(false);
            return [.. answers.Select(a => a as JToken)];
        }
        catch (ClusterRequestTimeoutException e)
        {
            throw new AckTimeoutException(e.Expected, [.. e.Answers.Select(a => a as JToken)]);
        }
    }

    private static JArray AdapterPacketsJson(object?[] args) => SocketIo.Actors.Adapters.Internal.AdapterPackets.ToJArray(args);

    /// <summary>
    /// Sends a request to every node and waits for one answer from each node live now. With no other node it
    /// completes at once without touching the broker. Fails fast with the broker's exception when it cannot be
    /// published, and with <see cref="ClusterRequestTimeoutException"/> when a live node stays silent.
    /// </summary>
    private async Task<IReadOnlyList<object?>> Request(EnvelopeType type, TimeSpan timeout, Action<EnvelopeWriter> body)
    {
        var nodes = node.Membership.NodeIds;
        if (nodes.Count == 0) return [];
        var id = node.Requests.NextId();
        var w = node.NewEnvelope(type);
        if (type == EnvelopeType.ServerSideEmit) w.WriteNullableString(id); else w.WriteString(id);
        w.WriteString(nsp.Name);
        body(w);
        var pending = node.Requests.Start(id, type, nodes, timeout);
        try
        {
            await node.PublishRequestAsync(w, type).ConfigureAwait(false);
        }
        catch
        {
            foreach (var n in nodes) pending.Lost(n);
            throw;
        }
        return await pending.Task.ConfigureAwait(false);
    }
}
