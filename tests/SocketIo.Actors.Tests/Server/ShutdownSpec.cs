using Akka.Actor;

namespace SocketIo.Actors.Tests.Server;

/// <summary>The server's sockets stop with the actor system it lives in (the host's CoordinatedShutdown).</summary>
public sealed class ShutdownSpec : ServerSpec
{
    [Fact]
    public async Task The_actor_system_s_coordinated_shutdown_closes_every_connection_before_the_actors_stop()
    {
        var (client, _) = await ConnectAsync();
        var (other, _) = await ConnectAsync("/admin");

        await CoordinatedShutdown.Get(Sys).Run(CoordinatedShutdown.ClrExitReason.Instance);

        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.Equal((1, 1), (client.Connection.CloseCount, other.Connection.CloseCount));
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public async Task Disposing_a_server_in_a_given_system_leaves_the_system_running()
    {
        var (client, _) = await ConnectAsync();

        await Server.DisposeAsync();

        Assert.Equal(1, client.Connection.CloseCount);
        Assert.False(Sys.WhenTerminated.IsCompleted);
    }
}
