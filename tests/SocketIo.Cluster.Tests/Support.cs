using System.Collections.Concurrent;
using System.Text;
using SocketIo.Actors.Cluster.Broker;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer("SocketIo.Cluster.Tests.RestartLastOrderer", "SocketIo.Cluster.Tests")]

namespace SocketIo.Cluster.Tests;

/// <summary>Collects deliveries of one subscription.</summary>
public sealed class Inbox
{
    private readonly ConcurrentQueue<BrokerDelivery> _items = new();

    public BrokerHandler Handler => (delivery, _) =>
    {
        _items.Enqueue(delivery);
        return ValueTask.CompletedTask;
    };

    public IReadOnlyList<BrokerDelivery> Items => [.. _items];

    public IReadOnlyList<string> Bodies => [.. _items.Select(d => Encoding.UTF8.GetString(d.Message.Body.Span))];

    public int Count => _items.Count;
}

internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds or the timeout passes (then fails with <paramref name="what"/>).</summary>
    public static async Task Holds(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new XunitException($"Timed out after {(timeout ?? Timeout).TotalSeconds:0.#}s waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Retries <paramref name="action"/> until it stops throwing or the timeout passes (then rethrows the last failure).</summary>
    public static async Task Holds(Func<Task> action, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline)
            {
                _ = ex;
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Awaits <paramref name="task"/> with the standard timeout.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout ?? Timeout));
        if (finished != task)
        {
            throw new XunitException($"Timed out waiting for {what}");
        }

        return await task;
    }
}

/// <summary>Where the RabbitMQ specs find their broker, and why they are skipped or fail.</summary>
internal static class RabbitMqEnvironment
{
    public static string? Uri => Environment.GetEnvironmentVariable("RABBITMQ_URI") is { Length: > 0 } uri ? uri : null;

    public static bool SkipRequested => Environment.GetEnvironmentVariable("SOCKETIO_SKIP_RABBITMQ") == "1";

    public static bool RestartTestEnabled => Environment.GetEnvironmentVariable("SOCKETIO_RABBITMQ_RESTART_TEST") == "1";

    public static Uri RequireUri() => Uri is { } uri
        ? new Uri(uri)
        : throw new XunitException(
            "RABBITMQ_URI is not set. Start a private broker with `scripts/rabbitmq.sh start` and export the URI it prints " +
            "(e.g. RABBITMQ_URI=amqp://guest:guest@127.0.0.1:5672/), or set SOCKETIO_SKIP_RABBITMQ=1 to skip the RabbitMQ specs.");

    /// <summary>The repository root (where scripts/rabbitmq.sh lives), found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "rabbitmq.sh")))
            {
                return dir.FullName;
            }
        }

        throw new XunitException("scripts/rabbitmq.sh not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Marks a spec class whose tests need the RabbitMQ broker from RABBITMQ_URI.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RequiresRabbitMqAttribute : Attribute;

/// <summary>
/// A fact of the broker spec suite. In a class marked <see cref="RequiresRabbitMqAttribute"/> it is
/// skipped when SOCKETIO_SKIP_RABBITMQ=1 (and fails with a clear message when RABBITMQ_URI is unset otherwise).
/// </summary>
[XunitTestCaseDiscoverer("SocketIo.Cluster.Tests.BrokerFactDiscoverer", "SocketIo.Cluster.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrokerFactAttribute : FactAttribute
{
    /// <summary>Only runs when SOCKETIO_RABBITMQ_RESTART_TEST=1 (it restarts the shared broker).</summary>
    public bool RestartsBroker { get; set; }
}

public sealed class BrokerFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsRabbit = testMethod.TestClass.Class.ToRuntimeType().IsDefined(typeof(RequiresRabbitMqAttribute), inherit: true);
        string? skip = null;
        if (needsRabbit && RabbitMqEnvironment.SkipRequested)
        {
            skip = "SOCKETIO_SKIP_RABBITMQ=1";
        }
        else if (factAttribute.GetNamedArgument<bool>(nameof(BrokerFactAttribute.RestartsBroker)) && !RabbitMqEnvironment.RestartTestEnabled)
        {
            skip = "restarts the shared broker; set SOCKETIO_RABBITMQ_RESTART_TEST=1 to run it";
        }

        yield return skip is null
            ? new XunitTestCase(diagnosticMessageSink, display, options, testMethod)
            : new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, options, testMethod, skip);
    }
}

/// <summary>Runs the collection named "RabbitMQ restart" after every other one: it disturbs the shared broker.</summary>
public sealed class RestartLastOrderer : ITestCollectionOrderer
{
    public const string RestartCollection = "RabbitMQ restart";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName.Contains(RestartCollection, StringComparison.Ordinal) ? 1 : 0).ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
