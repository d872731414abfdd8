using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

public sealed partial class Socket
{
    private readonly object _listenersGate = new();
    private ImmutableDictionary<string, ImmutableArray<Listener>> _listeners = ImmutableDictionary<string, ImmutableArray<Listener>>.Empty;
    private ImmutableArray<AnyListener> _anyListeners = [];
    private ImmutableArray<AnyListener> _anyOutgoingListeners = [];
    private ImmutableArray<Func<JArray, Task>> _middlewares = [];
    private ImmutableArray<Action<Exception>> _errorListeners = [];

    /// <summary>Listener of one event: the arguments (event name excluded) and the ack, when the client asked for one.</summary>
    internal sealed record Listener(Func<JArray, Ack?, Task?> Invoke, Delegate Original, bool Once);

    internal sealed record AnyListener(Func<string, JArray, Task?> Invoke, Delegate Original);

    private static readonly JsonSerializer Serializer = JsonSerializer.CreateDefault();

    /// <summary>Adds a listener for <paramref name="eventName"/> that receives the raw arguments.</summary>
    public Socket On(string eventName, Action<JArray> handler) => Add(eventName, handler, (a, _) => { handler(a); return null; }, false);

    /// <summary>Adds a listener that receives the raw arguments and the ack callback (null when the client asked for none).</summary>
    public Socket On(string eventName, Action<JArray, Ack?> handler) => Add(eventName, handler, (a, ack) => { handler(a, ack); return null; }, false);

    /// <summary>Adds an asynchronous listener; the socket handles its next message only when the task completes.</summary>
    public Socket On(string eventName, Func<JArray, Task> handler) => Add(eventName, handler, (a, _) => handler(a), false);

    /// <summary>Adds an asynchronous listener with the ack callback.</summary>
    public Socket On(string eventName, Func<JArray, Ack?, Task> handler) => Add(eventName, handler, (a, ack) => handler(a, ack), false);

    /// <summary>Typed listener: the first argument is deserialized to <typeparamref name="T1"/> (default when absent).</summary>
    public Socket On<T1>(string eventName, Action<T1> handler) => Add(eventName, handler, (a, _) => { handler(Arg<T1>(a, 0)); return null; }, false);

    public Socket On<T1>(string eventName, Action<T1, Ack?> handler) => Add(eventName, handler, (a, ack) => { handler(Arg<T1>(a, 0), ack); return null; }, false);

    public Socket On<T1>(string eventName, Func<T1, Task> handler) => Add(eventName, handler, (a, _) => handler(Arg<T1>(a, 0)), false);

    public Socket On<T1>(string eventName, Func<T1, Ack?, Task> handler) => Add(eventName, handler, (a, ack) => handler(Arg<T1>(a, 0), ack), false);

    public Socket On<T1, T2>(string eventName, Action<T1, T2> handler) => Add(eventName, handler, (a, _) => { handler(Arg<T1>(a, 0), Arg<T2>(a, 1)); return null; }, false);

    public Socket On<T1, T2>(string eventName, Action<T1, T2, Ack?> handler) => Add(eventName, handler, (a, ack) => { handler(Arg<T1>(a, 0), Arg<T2>(a, 1), ack); return null; }, false);

    public Socket On<T1, T2>(string eventName, Func<T1, T2, Task> handler) => Add(eventName, handler, (a, _) => handler(Arg<T1>(a, 0), Arg<T2>(a, 1)), false);

    public Socket On<T1, T2, T3>(string eventName, Action<T1, T2, T3> handler) => Add(eventName, handler, (a, _) => { handler(Arg<T1>(a, 0), Arg<T2>(a, 1), Arg<T3>(a, 2)); return null; }, false);

    public Socket On<T1, T2, T3>(string eventName, Action<T1, T2, T3, Ack?> handler) => Add(eventName, handler, (a, ack) => { handler(Arg<T1>(a, 0), Arg<T2>(a, 1), Arg<T3>(a, 2), ack); return null; }, false);

    /// <summary>Adds a listener that is removed after its first call.</summary>
    public Socket Once(string eventName, Action<JArray> handler) => Add(eventName, handler, (a, _) => { handler(a); return null; }, true);

    public Socket Once(string eventName, Action<JArray, Ack?> handler) => Add(eventName, handler, (a, ack) => { handler(a, ack); return null; }, true);

    public Socket Once<T1>(string eventName, Action<T1> handler) => Add(eventName, handler, (a, _) => { handler(Arg<T1>(a, 0)); return null; }, true);

    /// <summary>Removes one listener (the delegate given to <c>On</c>/<c>Once</c>), or every listener of the event when <paramref name="handler"/> is null.</summary>
    public Socket Off(string eventName, Delegate? handler = null)
    {
        lock (_listenersGate)
        {
            if (!_listeners.TryGetValue(eventName, out var list)) return this;
            var kept = handler is null ? [] : list.RemoveAll(l => l.Original.Equals(handler));
            _listeners = kept.IsEmpty ? _listeners.Remove(eventName) : _listeners.SetItem(eventName, kept);
        }
        return this;
    }

    /// <summary>The <c>disconnecting</c> event: the socket is leaving, its rooms are still visible.</summary>
    public Socket OnDisconnecting(Action<string> handler) => Add("disconnecting", handler, (a, _) => { handler((string?)a[0] ?? ""); return null; }, false);

    /// <summary>The <c>disconnect</c> event with socket.io's reason (see <see cref="DisconnectReasons"/>).</summary>
    public Socket OnDisconnect(Action<string> handler) => Add("disconnect", handler, (a, _) => { handler((string?)a[0] ?? ""); return null; }, false);

    /// <summary>The <c>error</c> event: a packet middleware refused an event. (<c>On("error", ...)</c> receives the message.)</summary>
    public Socket OnError(Action<Exception> handler)
    {
        lock (_listenersGate) _errorListeners = _errorListeners.Add(handler);
        return this;
    }

    /// <summary>Catch-all listener for incoming events, called before the event's own listeners.</summary>
    public Socket OnAny(Action<string, JArray> handler)
    {
        lock (_listenersGate) _anyListeners = _anyListeners.Add(new AnyListener((e, a) => { handler(e, a); return null; }, handler));
        return this;
    }

    /// <summary>Like <see cref="OnAny"/>, but runs before the catch-all listeners added so far.</summary>
    public Socket PrependAny(Action<string, JArray> handler)
    {
        lock (_listenersGate) _anyListeners = _anyListeners.Insert(0, new AnyListener((e, a) => { handler(e, a); return null; }, handler));
        return this;
    }

    /// <summary>Removes a catch-all listener, or all of them.</summary>
    public Socket OffAny(Action<string, JArray>? handler = null)
    {
        lock (_listenersGate) _anyListeners = handler is null ? [] : _anyListeners.RemoveAll(l => l.Original.Equals(handler));
        return this;
    }

    /// <summary>Catch-all listener for events this socket emits (not broadcasts), as socket.io's <c>onAnyOutgoing</c>.</summary>
    public Socket OnAnyOutgoing(Action<string, JArray> handler)
    {
        lock (_listenersGate) _anyOutgoingListeners = _anyOutgoingListeners.Add(new AnyListener((e, a) => { handler(e, a); return null; }, handler));
        return this;
    }

    public Socket OffAnyOutgoing(Action<string, JArray>? handler = null)
    {
        lock (_listenersGate) _anyOutgoingListeners = handler is null ? [] : _anyOutgoingListeners.RemoveAll(l => l.Original.Equals(handler));
        return this;
    }

    /// <summary>
    /// Adds a packet middleware: it receives <c>[event, ...args]</c> before any listener; throwing refuses
    /// the event, which then raises the socket's <c>error</c> event instead.
    /// </summary>
    public Socket Use(Func<JArray, Task> middleware)
    {
        lock (_listenersGate) _middlewares = _middlewares.Add(middleware);
        return this;
    }

    /// <summary>socket.io-style packet middleware: call <c>next()</c> to go on or <c>next(error)</c> to refuse.</summary>
    public Socket Use(Action<JArray, Action<Exception?>> middleware) => Use(packet =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        middleware(packet, err => { if (err is null) done.TrySetResult(); else done.TrySetException(err); });
        return done.Task;
    });

    private Socket Add(string eventName, Delegate original, Func<JArray, Ack?, Task?> invoke, bool once)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var listener = new Listener(invoke, original, once);
        lock (_listenersGate)
            _listeners = _listeners.SetItem(eventName, _listeners.TryGetValue(eventName, out var list) ? list.Add(listener) : [listener]);
        return this;
    }

    internal ImmutableArray<Listener> ListenersFor(string eventName)
    {
        var all = System.Threading.Volatile.Read(ref _listeners);
        if (!all.TryGetValue(eventName, out var list)) return [];
        if (list.Any(l => l.Once))
        {
            lock (_listenersGate)
                if (_listeners.TryGetValue(eventName, out var current))
                {
                    var kept = current.RemoveAll(l => l.Once);
                    _listeners = kept.IsEmpty ? _listeners.Remove(eventName) : _listeners.SetItem(eventName, kept);
                }
        }
        return list;
    }

    internal ImmutableArray<AnyListener> AnyListeners => _anyListeners;

    internal ImmutableArray<AnyListener> AnyOutgoingListeners => _anyOutgoingListeners;

    internal ImmutableArray<Func<JArray, Task>> Middlewares => _middlewares;

    internal ImmutableArray<Action<Exception>> ErrorListeners => _errorListeners;

    private static T Arg<T>(JArray args, int index)
    {
        if (index >= args.Count) return default!;
        var token = args[index];
        if (token is T direct) return direct;
        return token.Type == JTokenType.Null ? default! : token.ToObject<T>(Serializer)!;
    }
}
