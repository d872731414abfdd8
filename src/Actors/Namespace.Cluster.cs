using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors;

// The cluster side of a namespace: server-side events between nodes (socket.io's io.serverSideEmit and
// io.on(event) for events coming from other servers) and the adapter that carries operations to them.
public partial class Namespace
{
    private ImmutableDictionary<string, ImmutableArray<Action<JArray, Ack?>>> _serverSideListeners =
        ImmutableDictionary<string, ImmutableArray<Action<JArray, Ack?>>>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The cluster adapter of this namespace; null when the node runs alone.</summary>
    internal INamespaceAdapter? Adapter { get; set; }

    /// <summary>
    /// Sends <paramref name="eventName"/> to this namespace on every other node of the cluster (socket.io's
    /// <c>serverSideEmit</c>); their <see cref="OnServerSideEmit"/> listeners receive the arguments as JSON.
    /// Not delivered on this node. Without a cluster adapter there is nobody to tell and nothing happens.
    /// </summary>
    public void ServerSideEmit(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        Adapter?.ServerSideEmit(eventName, args);
    }

    /// <summary>
    /// Sends a server-side event to every other node and gathers one answer per node: the first argument the
    /// node's listener passed to its <see cref="Ack"/>. Waits only for live nodes, at most the cluster's request
    /// timeout; fails with <see cref="AckTimeoutException"/> (holding the answers that came) when a live node
    /// does not answer in time. Without a cluster adapter it completes at once with no answers.
    /// </summary>
    public Task<JToken?[]> ServerSideEmitWithAck(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return Adapter is { } adapter ? adapter.ServerSideEmitWithAck(eventName, args, null) : Task.FromResult(Array.Empty<JToken?>());
    }

    /// <summary>
    /// Listens for server-side events other nodes send with <see cref="ServerSideEmit"/> (socket.io's
    /// <c>io.on(event, ...)</c> for server events). The listener runs on the cluster's delivery thread, one
    /// event at a time per node; the <see cref="Ack"/> is non-null when the sender waits for an answer
    /// (<see cref="ServerSideEmitWithAck"/>), and only its first call counts.
    /// </summary>
    public Namespace OnServerSideEmit(string eventName, Action<JArray, Ack?> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.AddOrUpdate(ref _serverSideListeners, eventName, [handler], (_, existing) => existing.Add(handler));
        return this;
    }

    /// <summary>Listens for server-side events without answering them.</summary>
    public Namespace OnServerSideEmit(string eventName, Action<JArray> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnServerSideEmit(eventName, (args, _) => handler(args));
    }

    /// <summary>
    /// A server-side event from another node: runs the listeners of <paramref name="eventName"/>; with
    /// <paramref name="reply"/>, the first acknowledgement's first argument is passed to it (once). A throwing
    /// listener is logged and the others still run.
    /// </summary>
    internal void DispatchServerSideEmit(string eventName, JArray args, Action<JToken?>? reply)
    {
        if (!_serverSideListeners.TryGetValue(eventName, out var listeners)) return;
        Ack? ack = null;
        if (reply is not null)
        {
            var answered = 0;
            ack = answer =>
            {
                if (Interlocked.Exchange(ref answered, 1) != 0) return;
                var first = answer.Length > 0 ? answer[0] : null;
                reply(first is null ? null : first as JToken ?? JToken.FromObject(first));
            };
        }
        foreach (var listener in listeners)
        {
            try
            {
                listener((JArray)args.DeepClone(), ack);
            }
            catch (Exception e)
            {
                Server.Log.ListenerFailed(e, eventName, "server-side event");
            }
        }
    }
}
