using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;

namespace SocketIo.E2E.Server;

/// <summary>
/// Namespaces and handlers of the end-to-end fixture. Every socket, in every namespace, understands the
/// same small command set, so a test drives the server API through client events and reads the outcome
/// from the acknowledgement (or from the events the command makes the server emit):
/// <list type="bullet">
/// <item>namespaces <c>/</c>, <c>/orders</c>, <c>/secure</c> (middleware: <c>auth.token</c> must be
/// <see cref="SecretToken"/>), dynamic <c>/dyn-N</c> and per-test scratch namespaces <c>/t-xxx</c>;</item>
/// <item>a <em>target</em> (<c>{ nsp?, from?: "socket", to?: [], except?: [], volatile?, timeout? }</c>)
/// builds a <see cref="BroadcastOperator"/>: on the socket's namespace (or <c>nsp</c>), or
/// <c>socket.broadcast</c> with <c>from: "socket"</c>;</item>
/// <item><c>io:emit</c> is the server's own <c>io.Emit</c> (main namespace);</item>
/// <item>every disconnect is reported to the sockets of <c>/</c> in room <see cref="ObserversRoom"/> as
/// <c>disconnected { id, nsp, reason, rooms }</c> (rooms as seen in <c>disconnecting</c>).</item>
/// <item>inbound flow control: <c>slow [n, ms, padding?]</c> is a listener slower than its client (it awaits
/// <c>ms</c>, then acks <c>n</c>; kept out of the catch-all log so a flood is not retained), and
/// <c>server:receivePauses</c> answers how many times the transport paused reading a session so far (the
/// <c>engineio.receive.pauses</c> counter).</item>
/// <item>in a cluster (<c>--config</c>): <c>server:node</c> answers this node's id, <c>cluster:members</c> the
/// other live members it sees (sorted); <c>serverSideEmit</c>
/// (<c>{ event, args, ack? }</c>) is <c>io.ServerSideEmit</c>/<c>ServerSideEmitWithAck</c>; a server-side event
/// <c>sse</c> from another node is shown to this node's sockets of <c>/</c> as <c>sse:received { node, args }</c>
/// and answered with the same object.</item>
/// </list>
/// Commands that wait on the server (acks, fetchSockets, ...) run beside the socket's listener: an
/// awaiting listener would hold the socket's mailbox, and with it the ACK packets it waits for.
/// </summary>
public sealed class Fixture
{
    public const string Path = "/socket.io/";
    public const string FastPath = "/fast/";
    public static readonly TimeSpan FastPingInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan FastPingTimeout = TimeSpan.FromMilliseconds(300);
    public const string ObserversRoom = "observers";
    public const string SecretToken = "secret";

    private readonly SocketIoServer _io;
    private readonly string _nodeId;
    private readonly Func<IEnumerable<string>> _members;
    private readonly ParentNamespace _dynamic;
    private readonly MeterListener _meters = new();
    private long _receivePauses;

    private Fixture(SocketIoServer io, string nodeId, Func<IEnumerable<string>>? members)
    {
        _io = io;
        _nodeId = nodeId;
        _members = members ?? (() => []);
        _dynamic = io.Of(new Regex(@"^/dyn-\d+$"));
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "SocketIo.Transport", Name: "engineio.receive.pauses" })
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _receivePauses, value));
        _meters.Start();
    }

    /// <param name="io">The server.</param>
    /// <param name="nodeId">This node's id in the cluster ("local" when it runs alone).</param>
    /// <param name="members">The other live members as this node sees them (none when it runs alone).</param>
    public static void Register(SocketIoServer io, string nodeId = "local", Func<IEnumerable<string>>? members = null) =>
        new Fixture(io, nodeId, members).RegisterAll();

    private void RegisterAll()
    {
        _io.OnServerSideEmit("sse", (args, ack) =>
        {
            var received = new JObject { ["node"] = _nodeId, ["args"] = args };
            _io.Local.Emit("sse:received", received);
            ack?.Invoke(received);
        });
        _io.OnConnection(Wire);
        _io.Of("/orders").OnConnection(Wire);

        var secure = _io.Of("/secure");
        // async-style middleware: throwing refuses the connection with connect_error { message, data }.
        secure.Use(socket =>
        {
            var token = socket.Handshake.Auth["token"];
            if (token?.Type != JTokenType.String || (string)token! != SecretToken)
                throw new ConnectionRefusedException("not authorized", new JObject
                {
                    ["code"] = 401,
                    ["reason"] = token is null ? "missing token" : "bad token",
                });
            socket.Data = new JObject { ["user"] = socket.Handshake.Auth["user"] };
            return Task.CompletedTask;
        });
        // socket.io-style middleware: next(error) refuses.
        secure.Use((socket, next) =>
            next(socket.Handshake.Auth["banned"]?.Type == JTokenType.Boolean && (bool)socket.Handshake.Auth["banned"]!
                ? new ConnectionRefusedException("banned")
                : null));
        secure.OnConnection(Wire);

        _dynamic.OnConnection(Wire);
        _io.Of(new Regex("^/t-[a-z0-9]+$")).OnConnection(Wire);
    }

    private void Wire(Socket socket)
    {
        socket.Emit("welcome", new JObject { ["nsp"] = socket.Namespace.Name, ["id"] = socket.Id });

        // Disconnect reasons, reported to the observers of "/".
        JArray? roomsWhenDisconnecting = null;
        socket.OnDisconnecting(_ => roomsWhenDisconnecting = SortedRooms(socket.Rooms));
        socket.OnDisconnect(reason => _io.To(ObserversRoom).Emit("disconnected", new JObject
        {
            ["id"] = socket.Id,
            ["nsp"] = socket.Namespace.Name,
            ["reason"] = reason,
            ["rooms"] = roomsWhenDisconnecting,
        }));
        socket.On("observe", (JArray _, Ack? ack) =>
        {
            socket.Join(ObserversRoom);
            ack?.Invoke();
        });

        // Catch-all: every incoming event, binary shown as { $bin: hex }.
        var anyLog = new JArray();
        socket.OnAny((eventName, args) =>
        {
            if (eventName == "slow") return;
            var entry = new JArray { eventName };
            foreach (var arg in args) entry.Add(Describe(arg));
            anyLog.Add(entry);
        });
        socket.On("anyLog", (JArray _, Ack? ack) => ack?.Invoke(anyLog.DeepClone()));

        // Packet middleware: "forbidden" is refused; the server-side error event reports it to the client.
        socket.Use((packet, next) => next((string?)packet[0] == "forbidden" ? new InvalidOperationException("forbidden event") : null));
        socket.OnError(e => socket.Emit("error:reported", e.Message));
        socket.On("forbidden", (JArray _) => socket.Emit("forbidden:handled"));

        // Events and acks.
        socket.On("echo", (JArray args, Ack? ack) => ack?.Invoke([.. args]));
        socket.On("echo:emit", (JArray args) => socket.Emit("echo", [.. args]));

        // Inbound flow control: a listener that holds its socket's mailbox for a while.
        socket.On("slow", async (JArray args, Ack? ack) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds((int)args[1]));
            ack?.Invoke(args[0]);
        });
        socket.On("server:receivePauses", (JArray _, Ack? ack) => ack?.Invoke(Interlocked.Read(ref _receivePauses)));
        socket.On("describe", (JArray args, Ack? ack) => ack?.Invoke(Describe(args)));
        socket.On("server:emit", (JArray args) => socket.Emit((string)args[0]!, [.. args.Skip(1)]));
        socket.On("server:binary", (JArray _, Ack? ack) =>
        {
            socket.Emit("binary",
                new byte[] { 1, 2, 3 },
                new JObject
                {
                    ["nested"] = new JObject { ["buf"] = new byte[] { 4, 5 } },
                    ["list"] = new JArray { new byte[] { 6 }, "text", new byte[] { 7, 8, 9 } },
                },
                new ReadOnlyMemory<byte>([0, 10, 11, 255], 1, 2),
                new List<object?> { new byte[] { 12 }, 13, new Dictionary<string, object?> { ["d"] = new byte[] { 14 } } });
            ack?.Invoke();
        });
        socket.On("server:emitWithAck", (JArray args, Ack? ack) =>
        {
            var spec = (JObject)args[0];
            var eventName = (string)spec["event"]!;
            var eventArgs = EventArgs(spec);
            Beside(async () =>
            {
                try
                {
                    var response = spec["timeout"] is { Type: JTokenType.Integer } t
                        ? await socket.Timeout(TimeSpan.FromMilliseconds((long)t)).EmitWithAck(eventName, eventArgs)
                        : await socket.EmitWithAck(eventName, eventArgs);
                    ack?.Invoke(new JObject { ["ok"] = true, ["response"] = response });
                }
                catch (AckTimeoutException e)
                {
                    ack?.Invoke(new JObject { ["ok"] = false, ["error"] = "timeout", ["message"] = e.Message });
                }
            });
        });
        socket.On("server:volatile", (JArray args, Ack? ack) =>
        {
            var queued = socket.Volatile.Emit("volatile", [.. args]);
            ack?.Invoke(queued);
        });

        // The socket itself.
        socket.On("server:disconnect", (JArray args) => socket.Disconnect(close: args.Count > 0 && args[0].Type == JTokenType.Boolean && (bool)args[0]));
        socket.On("server:handshake", (JArray _, Ack? ack) =>
        {
            var h = socket.Handshake;
            ack?.Invoke(new JObject
            {
                ["auth"] = h.Auth,
                ["query"] = JObject.FromObject(h.Query),
                ["headers"] = JObject.FromObject(h.Headers),
                ["url"] = h.Url,
                ["address"] = h.Address,
                ["secure"] = h.Secure,
                ["xdomain"] = h.XDomain,
                ["issued"] = h.Issued,
            });
        });
        socket.On("server:transport", (JArray _, Ack? ack) => ack?.Invoke(socket.TransportName));
        socket.On("server:data", (JArray _, Ack? ack) => ack?.Invoke(ToToken(socket.Data)));
        socket.On("set:data", (JArray args, Ack? ack) =>
        {
            socket.Data = args.Count > 0 ? args[0] : null;
            ack?.Invoke();
        });
        socket.On("rooms", (JArray _, Ack? ack) => ack?.Invoke(SortedRooms(socket.Rooms)));
        socket.On("join", (JArray args, Ack? ack) =>
        {
            socket.Join(args.Select(r => (string)r!).ToList());
            ack?.Invoke(SortedRooms(socket.Rooms));
        });
        socket.On("leave", (JArray args, Ack? ack) =>
        {
            foreach (var room in args) socket.Leave((string)room!);
            ack?.Invoke(SortedRooms(socket.Rooms));
        });

        // Broadcasts and the operations on many sockets.
        socket.On("broadcast", (JArray args, Ack? ack) =>
        {
            var spec = (JObject)args[0];
            Operator(socket, spec).Emit((string)spec["event"]!, EventArgs(spec));
            ack?.Invoke();
        });
        socket.On("io:emit", (JArray args, Ack? ack) =>
        {
            _io.Emit((string)args[0]!, [.. args.Skip(1)]);
            ack?.Invoke();
        });
        socket.On("broadcast:ack", (JArray args, Ack? ack) =>
        {
            var spec = (JObject)args[0];
            var op = Operator(socket, spec);
            var eventName = (string)spec["event"]!;
            var eventArgs = EventArgs(spec);
            Beside(async () =>
            {
                try
                {
                    var responses = await op.EmitWithAck(eventName, eventArgs);
                    ack?.Invoke(new JObject { ["ok"] = true, ["responses"] = Responses(responses) });
                }
                catch (AckTimeoutException e)
                {
                    ack?.Invoke(new JObject
                    {
                        ["ok"] = false,
                        ["message"] = e.Message,
                        ["expected"] = e.Expected,
                        ["responses"] = Responses(e.Responses),
                    });
                }
            });
        });
        socket.On("fetchSockets", (JArray args, Ack? ack) =>
        {
            var op = Operator(socket, Spec(args));
            Beside(async () =>
            {
                var found = await op.FetchSockets();
                ack?.Invoke(new JArray(found.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new JObject
                {
                    ["id"] = s.Id,
                    ["rooms"] = SortedRooms(s.Rooms),
                    ["data"] = ToToken(s.Data),
                    ["auth"] = s.Handshake.Auth,
                    ["query"] = JObject.FromObject(s.Handshake.Query.Where(q => q.Key is not ("t" or "EIO" or "transport" or "sid")).ToDictionary()),
                })));
            });
        });
        socket.On("fetchSockets:emit", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var op = Operator(socket, spec);
            Beside(async () =>
            {
                var found = await op.FetchSockets();
                foreach (var remote in found)
                    remote.Emit((string)spec["event"]!, EventArgs(spec));
                ack?.Invoke(found.Count);
            });
        });
        socket.On("fetchSockets:join", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var op = Operator(socket, spec);
            var rooms = Strings(spec["rooms"]);
            Beside(async () =>
            {
                var found = await op.FetchSockets();
                foreach (var remote in found)
                    remote.Join(rooms);
                ack?.Invoke(found.Count);
            });
        });
        socket.On("socketsJoin", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var op = Operator(socket, spec);
            var rooms = Strings(spec["rooms"]);
            Beside(async () =>
            {
                await op.SocketsJoin(rooms);
                ack?.Invoke();
            });
        });
        socket.On("socketsLeave", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var op = Operator(socket, spec);
            var rooms = Strings(spec["rooms"]);
            Beside(async () =>
            {
                await op.SocketsLeave(rooms);
                ack?.Invoke();
            });
        });
        socket.On("disconnectSockets", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var op = Operator(socket, spec);
            var close = spec["close"]?.Type == JTokenType.Boolean && (bool)spec["close"]!;
            Beside(async () =>
            {
                await op.DisconnectSockets(close);
                ack?.Invoke();
            });
        });

        // The cluster.
        socket.On("server:node", (JArray _, Ack? ack) => ack?.Invoke(_nodeId));
        socket.On("cluster:members", (JArray _, Ack? ack) => ack?.Invoke(new JArray(_members().Order(StringComparer.Ordinal))));
        socket.On("serverSideEmit", (JArray args, Ack? ack) =>
        {
            var spec = Spec(args);
            var eventName = (string)spec["event"]!;
            var eventArgs = EventArgs(spec);
            if (spec["ack"]?.Type != JTokenType.Boolean || !(bool)spec["ack"]!)
            {
                _io.ServerSideEmit(eventName, eventArgs);
                ack?.Invoke();
                return;
            }
            Beside(async () =>
            {
                try
                {
                    var responses = await _io.ServerSideEmitWithAck(eventName, eventArgs);
                    ack?.Invoke(new JObject { ["ok"] = true, ["responses"] = Responses(responses) });
                }
                catch (AckTimeoutException e)
                {
                    ack?.Invoke(new JObject { ["ok"] = false, ["message"] = e.Message, ["responses"] = Responses(e.Responses) });
                }
            });
        });

        // Namespaces.
        socket.On("namespaces", (JArray _, Ack? ack) => ack?.Invoke(new JArray(_io.Namespaces.Keys.Order(StringComparer.Ordinal))));
        socket.On("dyn:children", (JArray _, Ack? ack) => ack?.Invoke(new JArray(_dynamic.Children.Select(n => n.Name).Order(StringComparer.Ordinal))));
    }

    /// <summary>The operator a target spec describes (see the class comment).</summary>
    private BroadcastOperator Operator(Socket socket, JObject spec)
    {
        var nsp = spec["nsp"] is { Type: JTokenType.String } name ? _io.Of((string)name!) : socket.Namespace;
        // Compress(true) is the namespace's "all sockets" operator with the default flags.
        var op = (string?)spec["from"] == "socket" ? socket.Broadcast : nsp.Compress(true);
        if (spec["to"] is JArray to) op = op.To(Strings(to));
        if (spec["except"] is JArray except) op = op.Except(Strings(except));
        if (spec["volatile"]?.Type == JTokenType.Boolean && (bool)spec["volatile"]!) op = op.Volatile;
        if (spec["timeout"] is { Type: JTokenType.Integer } timeout) op = op.Timeout(TimeSpan.FromMilliseconds((long)timeout));
        return op;
    }

    private static JObject Spec(JArray args) => args.Count > 0 && args[0] is JObject spec ? spec : new JObject();

    private static object?[] EventArgs(JObject spec) => spec["args"] is JArray args ? [.. args] : [];

    private static string[] Strings(JToken? token) => token is JArray array ? [.. array.Select(t => (string)t!)] : [];

    private static JArray SortedRooms(IEnumerable<string> rooms) => new(rooms.Order(StringComparer.Ordinal));

    private static JArray Responses(IEnumerable<JToken?> responses) => new(responses.Select(r => r ?? JValue.CreateNull()));

    private static JToken ToToken(object? value) => value switch
    {
        null => JValue.CreateNull(),
        JToken token => token,
        _ => JToken.FromObject(value),
    };

    /// <summary>The value with every binary leaf replaced by <c>{ "$bin": "hex" }</c>, so a test sees where binary arrived.</summary>
    private static JToken Describe(JToken token) => token switch
    {
        JValue { Type: JTokenType.Bytes } bytes => new JObject { ["$bin"] = Convert.ToHexStringLower((byte[])bytes.Value!) },
        JObject obj => new JObject(obj.Properties().Select(p => new JProperty(p.Name, Describe(p.Value)))),
        JArray array => new JArray(array.Select(Describe)),
        _ => token.DeepClone(),
    };

    /// <summary>Runs work that awaits the server beside the socket's listener, so the listener returns at once.</summary>
    private static void Beside(Func<Task> work) => _ = Task.Run(async () =>
    {
        try
        {
            await work();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"fixture command failed: {e}");
        }
    });
}
