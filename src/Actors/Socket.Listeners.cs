using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

public sealed partial class Socket
{
    private readonly object _listenersGate = new();
    // Copy-on-write under _listenersGate, read without it. A socket has few events, so a flat array searched in
    // order beats a hash map in time and memory (every socket of a namespace registers its own listeners).
    private EventListeners[] _listeners = [];
    private ImmutableArray<AnyListener> _anyListeners = [];
    private ImmutableArray<AnyListener> _anyOutgoingListeners = [];
    private ImmutableArray<Func<JArray, Task>> _middlewares = [];
    private ImmutableArray<Action<Exception>> _errorListeners = [];
    private ImmutableArray<Action> _drainListeners = [];

    /// <summary>
    /// Listener of one event: the arguments (event name excluded) and the ack, when the client asked for one. The four
    /// untyped delegate shapes are called as they are; other shapes go through an <c>adapter</c> that converts the
    /// arguments (typed listeners, <c>OnDisconnect</c>), so the common case allocates no wrapper per registration.
    /// </summary>
    internal sealed class Listener(Delegate original, Func<JArray, Ack?, Task?>? adapter, bool once)
    {
        public Delegate Original => original;

        public bool Once => once;

        public Task? Invoke(JArray args, Ack? ack)
        {
            if (adapter is not null) return adapter(args, ack);
            switch (original)
            {
                case Action<JArray> action:
                    action(args);
                    return null;
                case Action<JArray, Ack?> action:
                    action(args, ack);
                    return null;
                case Func<JArray, Task> func:
                    return func(args);
                default:
                    return ((Func<JArray, Ack?, Task>)original)(args, ack);
            }
        }
    }

    /// <summary>The listeners of one event, in registration order.</summary>
    private readonly record struct EventListeners(string EventName, Listener[] Listeners);

    internal sealed record AnyListener(Func<string, JArray, Task?> Invoke, Delegate Original);

    private static readonly JsonSerializer Serializer = JsonSerializer.CreateDefault();

    /// <summary>Adds a listener for <paramref name="eventName"/> that receives the raw arguments.</summary>
    public Socket On(string eventName, Action<JArray> handler) => Add(eventName, handler, null, false);

    /// <summary>Adds a listener that receives the raw arguments and the ack callback (null when the client asked for none).</summary>
    public Socket On(string eventName, Action<JArray, Ack?> handler) => Add(eventName, handler, null, false);

    /// <summary>Adds an asynchronous listener; the socket handles its next message only when the task completes.</summary>
    public Socket On(string eventName, Func<JArray, Task> handler) => Add(eventName, handler, null, false);

    /// <summary>Adds an asynchronous listener with the ack callback.</summary>
    public Socket On(string eventName, Func<JArray, Ack?, Task> handler) => Add(eventName, handler, null, false);

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
    public Socket Once(string eventName, Action<JArray> handler) => Add(eventName, handler, null, true);

    public Socket Once(string eventName, Action<JArray, Ack?> handler) => Add(eventName, handler, null, true);

    public Socket Once<T1>(string eventName, Action<T1> handler) => Add(eventName, handler, (a, _) => { handler(Arg<T1>(a, 0)); return null; }, true);

    /// <summary>Removes one listener (the delegate given to <c>On</c>/<c>Once</c>), or every listener of the event when <paramref name="handler"/> is null.</summary>
    public Socket Off(string eventName, Delegate? handler = null)
    {
        lock (_listenersGate)
        {
            var index = IndexOf(_listeners, eventName);
            if (index < 0) return this;
            Listener[] kept = handler is null ? [] : Array.FindAll(_listeners[index].Listeners, l => !l.Original.Equals(handler));
            Replace(index, kept);
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

    /// <summary>
    /// Adds a listener of the connection's <c>drain</c> (socket.io's <c>socket.conn.on("drain")</c>): the outbound
    /// queue, which had filled to half of a bound or refused a packet, has emptied, so a writer that backed off (see
    /// <see cref="IsBackpressured"/>) may send again. The queue belongs to the connection, so every socket of it (one
    /// per namespace) hears the same drain. Listeners run on the socket actor like event listeners, one message at a
    /// time and in registration order; one that throws is logged (event <c>drain</c>) and the next still runs. A
    /// listener added while a drain is being reported may miss that drain; none runs once the socket has disconnected.
    /// </summary>
    public Socket OnDrain(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_listenersGate) _drainListeners = _drainListeners.Add(handler);
        return this;
    }

    /// <summary>Removes a drain listener (every registration of that delegate), or all of them when <paramref name="handler"/> is null.</summary>
    public Socket OffDrain(Action? handler = null)
    {
        lock (_listenersGate) _drainListeners = handler is null ? [] : _drainListeners.RemoveAll(l => l.Equals(handler));
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

    private Socket Add(string eventName, Delegate original, Func<JArray, Ack?, Task?>? adapter, bool once)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(original);
        var listener = new Listener(original, adapter, once);
        lock (_listenersGate)
        {
            var index = IndexOf(_listeners, eventName);
            if (index < 0)
                System.Threading.Volatile.Write(ref _listeners, [.. _listeners, new EventListeners(eventName, [listener])]);
            else
                Replace(index, [.. _listeners[index].Listeners, listener]);
        }
        return this;
    }

    /// <summary>
    /// The listeners to run for one event, as registered at this moment (never modified afterwards: the caller may
    /// iterate it while listeners are added or removed). <c>Once</c> listeners are removed as they are handed out.
    /// </summary>
    internal Listener[] ListenersFor(string eventName)
    {
        var all = System.Threading.Volatile.Read(ref _listeners);
        var index = IndexOf(all, eventName);
        if (index < 0) return [];
        var list = all[index].Listeners;
        if (Array.Exists(list, l => l.Once))
        {
            lock (_listenersGate)
            {
                var current = IndexOf(_listeners, eventName);
                if (current >= 0) Replace(current, Array.FindAll(_listeners[current].Listeners, l => !l.Once));
            }
        }
        return list;
    }

    private static int IndexOf(EventListeners[] all, string eventName)
    {
        for (var i = 0; i < all.Length; i++)
            if (string.Equals(all[i].EventName, eventName, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>Replaces the listeners of the event at <paramref name="index"/> (removing the event when none are left); under the gate.</summary>
    private void Replace(int index, Listener[] listeners)
    {
        var all = _listeners;
        EventListeners[] updated;
        if (listeners.Length > 0)
        {
            updated = (EventListeners[])all.Clone();
            updated[index] = all[index] with { Listeners = listeners };
        }
        else
        {
            updated = [.. all.AsSpan(0, index), .. all.AsSpan(index + 1)];
        }
        System.Threading.Volatile.Write(ref _listeners, updated);
    }

    internal ImmutableArray<AnyListener> AnyListeners => _anyListeners;

    internal ImmutableArray<AnyListener> AnyOutgoingListeners => _anyOutgoingListeners;

    internal ImmutableArray<Func<JArray, Task>> Middlewares => _middlewares;

    internal ImmutableArray<Action<Exception>> ErrorListeners => _errorListeners;

    internal ImmutableArray<Action> DrainListeners => _drainListeners;

    private static T Arg<T>(JArray args, int index)
    {
        if (index >= args.Count) return default!;
        var token = args[index];
        if (token is T direct) return direct;
        return token.Type == JTokenType.Null ? default! : token.ToObject<T>(Serializer)!;
    }
}
