using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Logging;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Sharding;
using SocketIo.Actors.Internal;

namespace SocketIo.Cluster.Tests.Sharding;

/// <summary>Messages of the test entities; registered by name on every node.</summary>
public static class CounterProtocol
{
    public sealed record Add(string EntityId, int Value);

    public sealed record Added(string EntityId, int Value, int Total, int Count, string Node);

    /// <summary>Registered on the sending node only in the unknown-type spec.</summary>
    public sealed record Secret(string EntityId, string Text);

    public sealed record Ping(string Text);

    public sealed record Pong(string Text, string Node);

    public static ShardingMessageTypes Types() => new ShardingMessageTypes()
        .Register<Add>("add")
        .Register<Added>("added")
        .Register<Ping>("ping")
        .Register<Pong>("pong");

    public static IMessageExtractor Extractor(int shards = 64) => HashCodeMessageExtractor.Create(shards, m => m switch
    {
        Add a => a.EntityId,
        Secret s => s.EntityId,
        _ => null,
    });
}

/// <summary>Told (in-process) to the spec when an entity starts, with the node it runs on.</summary>
public sealed record EntityStarted(string EntityId, string Node);

/// <summary>A counter entity: adds values, replies the running total, fails on negative values.</summary>
public sealed class CounterEntity : ReceiveActor
{
    private int _total;
    private int _count;

    public CounterEntity(string entityId, string node, IActorRef events)
    {
        events.Tell(new EntityStarted(entityId, node), ActorRefs.NoSender);
        Receive<CounterProtocol.Add>(add =>
        {
            if (add.Value < 0)
            {
                Sender.Tell(new Status.Failure(new InvalidOperationException($"negative value {add.Value}")), Self);
                return;
            }

            _total += add.Value;
            _count++;
            Sender.Tell(new CounterProtocol.Added(entityId, add.Value, _total, _count, node), Self);
        });
    }
}

/// <summary>A socket stand-in: answers Ping with Pong from its node, and reports what it got.</summary>
public sealed class EchoSocket : ReceiveActor
{
    public EchoSocket(string node, IActorRef events)
    {
        Receive<CounterProtocol.Ping>(ping =>
        {
            events.Tell(ping, ActorRefs.NoSender);
            Sender.Tell(new CounterProtocol.Pong(ping.Text, node), Self);
        });
    }
}

/// <summary>
/// Akka.TestKit probes for the cluster specs, which run one actor system per node (so not the single system of
/// a <c>TestKit</c>): a <see cref="TestProbe"/> in the given node's system. Its expectations wait
/// <c>akka.test.single-expect-default</c>, 10 s in the specs' systems (<see cref="SpecSystems"/>): messages may cross a real broker.
/// </summary>
public static class Probe
{
    public static TestProbe Create(ActorSystem system) => new(system, new XunitAssertions());
}

/// <summary>The actor systems of the cluster specs: the server's settings, and 10 s expectations for the probes in them.</summary>
public static class SpecSystems
{
    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("akka.test.single-expect-default = 10s");

    public static ActorSystem Create(string name, ILoggerFactory? loggerFactory = null) => SocketIoActorSystem.Create(name, loggerFactory, SpecConfig);
}

/// <summary>Collects log entries of every node (event id, node's system name, text).</summary>
public sealed record LogEntry(string Node, int EventId, LogLevel Level, string Text);

/// <summary>A logger factory that records entries of Information and above into a shared queue.</summary>
public sealed class CapturingLoggerFactory(string node, ConcurrentQueue<LogEntry> entries) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(node, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string node, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue(new LogEntry(node, eventId.Id, logLevel, formatter(state, exception)));
            }
        }
    }
}
