using Akka.Actor;
using Akka.Event;

namespace SocketIo.Actors.Tests.Server;

/// <summary>A server that brings its own Akka.NET actor system: Akka's log events reach its logger factory, and disposing the server terminates the system.</summary>
public sealed class OwnActorSystemSpec
{
    [Fact]
    public async Task A_server_of_its_own_writes_Akka_log_events_to_its_logger_factory()
    {
        var logs = new RecordingLoggerFactory();
        var server = new SocketIoServer(new SocketIoOptions(), logs);
        try
        {
            Logging.GetLogger(server.System, typeof(OwnActorSystemSpec)).Warning("from Akka {0}", 42);

            await AwaitEntry(logs, e => e.Category == typeof(OwnActorSystemSpec).FullName && e.Message.Contains("from Akka 42", StringComparison.Ordinal));
            Assert.Equal(SocketIoActorSystem.DefaultName, server.System.Name);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Disposing_a_server_of_its_own_terminates_its_actor_system()
    {
        var server = new SocketIoServer();

        await server.DisposeAsync();

        await server.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Completes when <paramref name="logs"/> has recorded an entry that matches (fails after 5 s).</summary>
    private static async Task AwaitEntry(RecordingLoggerFactory logs, Func<RecordingLoggerFactory.Entry, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        logs.Logged += e =>
        {
            if (match(e)) seen.TrySetResult();
        };
        if (logs.Entries.Any(match)) return;
        var finished = await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.True(finished == seen.Task, "no matching log entry: " + string.Join(" | ", logs.Entries.Select(e => e.Category + ": " + e.Message)));
    }
}
