using Akka.Actor;
using Akka.Event;
using SocketIo.Actors.Rooms;

namespace SocketIo.Actors.Tests.Server;

/// <summary>The README's room-event extension example, compiled and run against Akka.NET as it is printed there.</summary>
public sealed class RoomAuditExampleSpec : ServerSpec
{
    [Fact]
    public async Task The_readme_room_audit_actor_logs_joins_and_deleted_rooms_through_Akka_logging()
    {
        var (_, socket) = await ConnectAsync();
        Server.System.ActorOf(Props.Create<RoomAuditActor>(), "room-audit");
        // Subscribed once the actor has started: an Identify round trip runs after PreStart.
        await Sys.ActorSelection("/user/room-audit").Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3));

        await EventFilter.Info(message: $"{socket.Id} joined lobby").ExpectOneAsync(() =>
        {
            socket.Join("lobby");
            return Task.CompletedTask;
        });
        await EventFilter.Info(message: "lobby is empty").ExpectOneAsync(() =>
        {
            socket.Leave("lobby");
            return Task.CompletedTask;
        });
    }

    /// <summary>Copied from README.md ("Extending the server with actors: room events").</summary>
    public sealed class RoomAuditActor : ReceiveActor
    {
        public RoomAuditActor()
        {
            Receive<RoomEvents.SocketJoinedRoom>(e => Context.GetLogger().Info("{0} joined {1}", e.SocketId, e.Room));
            Receive<RoomEvents.RoomDeleted>(e => Context.GetLogger().Info("{0} is empty", e.Room));
        }

        protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(RoomEvents.IRoomEvent));
    }
}
