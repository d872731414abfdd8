using Akka.Actor;
using Akka.Dispatch;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Namespaces;

namespace SocketIo.Actors.Sockets;

/// <summary>
/// One per client per namespace. Runs the application's listeners for its socket one message at a time
/// (an asynchronous listener holds the mailbox until it completes), answers acks, and carries out the
/// disconnect sequence: <c>disconnecting</c> (rooms visible), leave every room, <c>disconnect</c>, stop.
/// Each inbound packet is given back to the connection's backlog (<see cref="SocketIoOptions.MaxInboundBacklog"/>)
/// once it is handled, its listeners' tasks included; when the actor stops, whatever is still counted for the
/// socket is given back at once.
/// Handlers that complete synchronously (plain listeners, the common case) run as plain <c>Receive</c>s; one that
/// goes asynchronous holds the mailbox until its task completes (<see cref="HoldMailboxUntil"/>), as
/// <c>ReceiveAsync</c> would, without paying <c>ReceiveAsync</c>'s task scheduling for every packet.
/// </summary>
internal sealed class SocketActor : ReceiveActor
{
    private readonly Socket _socket;

    public SocketActor(Socket socket)
    {
        _socket = socket;
        Receive<SocketProtocol.Announce>(_ => _socket.Namespace.Actor.Tell(new NamespaceProtocol.SocketActorStarted(_socket, Self)));
        Receive<SocketProtocol.Start>(_ => HoldMailboxUntil(HandleStart()));
        Receive<SocketProtocol.CloseConnection>(_ => _socket.Disconnect(close: true));
        Receive<SocketProtocol.Inbound>(HandleInbound);
        Receive<SocketProtocol.Drained>(_ => HandleDrained());
        // The disconnect sequence stops the actor after awaiting listeners, so it runs on the actor's task
        // scheduler (where Context is available after an await).
        ReceiveAsync<SocketProtocol.Disconnect>(d => HandleDisconnect(d.Reason, d.NotifyClient));
    }

    /// <summary>
    /// Holds the mailbox until <paramref name="pending"/> completes when it has not completed yet (Akka's
    /// <see cref="ActorTaskScheduler.RunTask(Func{Task})"/>: no other message starts meanwhile, and a failure
    /// fails the actor); a completed task costs nothing, a faulted one fails the actor at once. What runs after
    /// an await inside <paramref name="pending"/> runs off the actor, so it must not touch <c>Context</c>.
    /// </summary>
    private static void HoldMailboxUntil(Task pending)
    {
        if (pending.IsCompletedSuccessfully) return;
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }
        ActorTaskScheduler.RunTask(() => pending);
    }

    /// <summary>Writes the CONNECT answer, then runs the connection listeners, as socket.io does.</summary>
    private async Task HandleStart()
    {
        var client = _socket.Client;
        client.Write(PacketWriter.Connect(_socket.Namespace.Name, client.EngineProtocol == 3 ? null : _socket.Id));
        foreach (var handler in _socket.Namespace.ConnectionHandlers)
        {
            try
            {
                await handler(_socket);
            }
            catch (Exception e)
            {
                _socket.Server.Log.ListenerFailed(e, "connection", _socket.Id);
            }
        }
    }

    /// <summary>A restarted actor keeps its mailbox, so the packets still counted will be handled (and given back) by the new instance.</summary>
    protected override void PreRestart(Exception reason, object? message)
    {
    }

    /// <summary>Gives back the packets still counted for this socket: those left in the mailbox become dead letters, and a listener cut short by the stop never finishes.</summary>
    protected override void PostStop() => _socket.StopCountingInbound();

    /// <summary>Handles one packet, then gives it back to the connection's backlog (when the handling task completes, however it completes).</summary>
    private void HandleInbound(SocketProtocol.Inbound inbound)
    {
        if (inbound.Packet.Kind == InboundKind.Disconnect)
        {
            // Like the Disconnect message: on the actor's task scheduler, because the sequence ends with Context.Stop.
            ActorTaskScheduler.RunTask(() => GiveBackWhenHandled(HandleDisconnect(DisconnectReasons.ClientNamespaceDisconnect, notifyClient: false)));
            return;
        }

        HoldMailboxUntil(Handle(inbound.Packet));
    }

    /// <summary>
    /// Runs the drain listeners registered now, in registration order; a listener that throws is logged (event
    /// <c>drain</c>) and the next one still runs. Nothing runs once the socket has disconnected.
    /// </summary>
    private void HandleDrained()
    {
        if (!_socket.Connected) return;
        foreach (var listener in _socket.DrainListeners)
        {
            try
            {
                listener();
            }
            catch (Exception e)
            {
                _socket.Server.Log.ListenerFailed(e, "drain", _socket.Id);
            }
        }
    }

    private Task Handle(InboundPacket packet)
    {
        Task handling;
        try
        {
            handling = Dispatch(packet);
        }
        catch
        {
            _socket.InboundHandled();
            throw;
        }

        if (handling.IsCompleted)
        {
            _socket.InboundHandled();
            return handling;
        }

        return GiveBackWhenHandled(handling);
    }

    private async Task GiveBackWhenHandled(Task handling)
    {
        try
        {
            await handling;
        }
        finally
        {
            _socket.InboundHandled();
        }
    }

    private Task Dispatch(InboundPacket packet)
    {
        switch (packet.Kind)
        {
            case InboundKind.Event:
                return HandleEvent(packet);
            case InboundKind.Ack:
                if (packet.Id is { } id && !_socket.CompleteAck(id, packet.Args))
                    _socket.Server.Log.UnknownAck(id, _socket.Id);
                return Task.CompletedTask;
            default:
                return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Runs the catch-all listeners, the packet middlewares and the event's listeners in order. Synchronous
    /// until a listener or middleware returns an unfinished task: the common case (plain listeners) costs no
    /// state machine, closure or delegate per message.
    /// </summary>
    private Task HandleEvent(InboundPacket packet)
    {
        if (!_socket.Connected) return Task.CompletedTask;
        var eventName = packet.EventName!;
        var args = packet.Args;
        var ack = packet.Id is { } id ? CreateAck(id) : null;

        var anyListeners = _socket.AnyListeners;
        for (var i = 0; i < anyListeners.Length; i++)
        {
            var pending = InvokeAny(anyListeners[i], eventName, args);
            if (!pending.IsCompleted) return ContinueAnyAsync(pending, packet, ack, i + 1);
        }

        return ContinueWithMiddlewares(packet, ack);
    }

    /// <summary>The rest of <see cref="HandleEvent"/> once a catch-all listener went asynchronous; same order.</summary>
    private async Task ContinueAnyAsync(Task pending, InboundPacket packet, Ack? ack, int next)
    {
        await pending;
        var anyListeners = _socket.AnyListeners;
        for (var i = next; i < anyListeners.Length; i++)
            await InvokeAny(anyListeners[i], packet.EventName!, packet.Args);
        await ContinueWithMiddlewares(packet, ack);
    }

    private Task ContinueWithMiddlewares(InboundPacket packet, Ack? ack)
    {
        if (!_socket.Middlewares.IsEmpty) return RunMiddlewaresThenListeners(packet, ack);
        return RunListeners(packet, ack);
    }

    private async Task RunMiddlewaresThenListeners(InboundPacket packet, Ack? ack)
    {
        var eventName = packet.EventName!;
        var full = new JArray { eventName };
        foreach (var arg in packet.Args) full.Add(arg);
        foreach (var middleware in _socket.Middlewares)
        {
            try
            {
                await middleware(full);
            }
            catch (Exception e)
            {
                foreach (var onError in _socket.ErrorListeners)
                    await Guard(() => { onError(e); return null; }, "error");
                await EmitReserved("error", e.Message);
                return;
            }
        }

        await RunListeners(packet, ack);
    }

    private Task RunListeners(InboundPacket packet, Ack? ack)
    {
        if (!_socket.Connected) return Task.CompletedTask;
        var eventName = packet.EventName!;
        var args = packet.Args;
        var listeners = _socket.ListenersFor(eventName);
        for (var i = 0; i < listeners.Length; i++)
        {
            var pending = InvokeListener(listeners[i], eventName, args, ack);
            if (!pending.IsCompleted) return ContinueListenersAsync(pending, packet, ack, i + 1, listeners);
        }

        return Task.CompletedTask;
    }

    /// <summary>The rest of <see cref="RunListeners"/> once a listener went asynchronous.</summary>
    private async Task ContinueListenersAsync(Task pending, InboundPacket packet, Ack? ack, int next, Socket.Listener[] listeners)
    {
        await pending;
        for (var i = next; i < listeners.Length; i++)
            await InvokeListener(listeners[i], packet.EventName!, packet.Args, ack);
    }

    /// <summary>Runs one listener like <see cref="Guard"/>, without a closure: a failure is logged and the socket stays up.</summary>
    private Task InvokeListener(Socket.Listener listener, string eventName, JArray args, Ack? ack)
    {
        Task? task;
        try
        {
            task = listener.Invoke(args, ack);
        }
        catch (Exception e)
        {
            _socket.Server.Log.ListenerFailed(e, eventName, _socket.Id);
            return Task.CompletedTask;
        }

        return task is null || task.IsCompletedSuccessfully ? Task.CompletedTask : Observe(task, eventName);
    }

    private Task InvokeAny(Socket.AnyListener listener, string eventName, JArray args)
    {
        Task? task;
        try
        {
            task = listener.Invoke(eventName, args);
        }
        catch (Exception e)
        {
            _socket.Server.Log.ListenerFailed(e, eventName, _socket.Id);
            return Task.CompletedTask;
        }

        return task is null || task.IsCompletedSuccessfully ? Task.CompletedTask : Observe(task, eventName);
    }

    private async Task Observe(Task task, string eventName)
    {
        try
        {
            await task;
        }
        catch (Exception e)
        {
            _socket.Server.Log.ListenerFailed(e, eventName, _socket.Id);
        }
    }

    private Ack CreateAck(long id)
    {
        var sent = 0;
        var socket = _socket;
        return args =>
        {
            if (Interlocked.Exchange(ref sent, 1) == 1) return;
            socket.Write(PacketWriter.Ack(socket.Namespace.Name, id, args), isVolatile: false);
        };
    }

    private async Task HandleDisconnect(string reason, bool notifyClient)
    {
        if (!_socket.TryBeginDisconnect()) return;
        await EmitReserved("disconnecting", reason);
        // The rooms are cleared here, not by the namespace actor, so the disconnect listeners see the socket
        // out of every room (as in socket.io) instead of whatever the namespace actor got to by then.
        _socket.Namespace.Actor.Tell(new NamespaceProtocol.RemoveSocket(_socket, _socket.ClearRooms()));
        // Detached before the DISCONNECT goes out: a client that reconnects as soon as it reads it must
        // find the namespace free, not this socket (a second CONNECT closes the connection).
        _socket.Client.Detach(_socket);
        if (notifyClient)
            _socket.Client.Write(PacketWriter.Disconnect(_socket.Namespace.Name));
        _socket.MarkDisconnected();
        _socket.FailPendingAcks(reason);
        await EmitReserved("disconnect", reason);
        Context.Stop(Self);
    }

    private async Task EmitReserved(string eventName, JToken arg)
    {
        var args = new JArray { arg };
        foreach (var listener in _socket.ListenersFor(eventName))
            await Guard(() => listener.Invoke(args, null), eventName);
    }

    /// <summary>Runs one listener; an exception is logged with the event name and socket id, and the socket stays up.</summary>
    private async Task Guard(Func<Task?> invoke, string eventName)
    {
        try
        {
            var task = invoke();
            if (task is not null) await task;
        }
        catch (Exception e)
        {
            _socket.Server.Log.ListenerFailed(e, eventName, _socket.Id);
        }
    }
}
