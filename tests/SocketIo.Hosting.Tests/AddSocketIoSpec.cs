using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIo.Actors;
using SocketIo.Node.Hosting;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace SocketIo.Hosting.Tests;

/// <summary>
/// <c>services.AddSocketIo()</c> on Akka.Hosting: the server lives in the application's actor system (its own
/// <c>AddAkka</c> one, or one registered for it), Akka's log events reach the host's <see cref="ILogger"/>, and the
/// system stops with the host.
/// </summary>
public sealed class AddSocketIoSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_host_without_an_actor_system_gets_one_named_socketio_that_stops_with_the_host()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSocketIo();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);

        var io = host.Services.GetRequiredService<SocketIoServer>();
        Assert.Same(host.Services.GetRequiredService<ActorSystem>(), io.System);
        Assert.Equal(SocketIoActorSystem.DefaultName, io.System.Name);

        await host.StopAsync().WaitAsync(Timeout);
        await io.System.WhenTerminated.WaitAsync(Timeout);
    }

    [Fact]
    public async Task The_akka_section_given_to_AddSocketIo_wins_over_the_defaults()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSocketIo(akkaConfig: Akka.Configuration.ConfigurationFactory.ParseString("""
            akka.actor.default-dispatcher.throughput = 7
            socketio.http.port = 3001
            """));
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);

        var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
        Assert.Equal(7, config.GetInt("akka.actor.default-dispatcher.throughput"));
        // The logger setup stays the host's: Akka's events still go through ILogger.
        Assert.Contains("Akka.Hosting.Logging.LoggerFactoryLogger", config.GetStringList("akka.loggers").Single());
        await host.StopAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_host_with_its_own_AddAkka_system_shares_it_with_the_server()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("mine", akka => akka.WithSocketIoDefaults());
        builder.Services.AddSocketIo();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);

        var io = host.Services.GetRequiredService<SocketIoServer>();

        Assert.Equal("mine", io.System.Name);
        Assert.Same(host.Services.GetRequiredService<ActorSystem>(), io.System);
        Assert.Single(builder.Services, d => d.ServiceType == typeof(ActorSystem));
        await host.StopAsync().WaitAsync(Timeout);
        await io.System.WhenTerminated.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Akka_log_events_go_to_the_hosts_logger_factory()
    {
        var provider = new RecordingProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(provider);
        builder.Services.AddSocketIo();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Timeout);
        var io = host.Services.GetRequiredService<SocketIoServer>();

        Logging.GetLogger(io.System, typeof(AddSocketIoSpec)).Warning("hello from Akka");

        await provider.Seen(m => m.Contains("hello from Akka", StringComparison.Ordinal)).WaitAsync(Timeout);
        await host.StopAsync().WaitAsync(Timeout);
    }

    /// <summary>Records every message; <see cref="Seen"/> completes when one matches.</summary>
    private sealed class RecordingProvider : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly ConcurrentBag<(Func<string, bool> Match, TaskCompletionSource Done)> _waiters = [];

        public Task Seen(Func<string, bool> match)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            if (_messages.Any(match)) done.TrySetResult();
            return done.Task;
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            _messages.Enqueue(message);
            foreach (var (match, done) in _waiters)
                if (match(message)) done.TrySetResult();
        }

        public void Dispose()
        {
        }
    }
}
