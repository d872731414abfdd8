namespace SocketIo.Transport.Tests.Integration;

/// <summary>
/// Tests whose protocol timers are a few hundred milliseconds (a 300 ms ping interval and timeout): they run after
/// the parallel tests and alone, so the cold start of the test run and the other tests' load on a two-core machine
/// cannot delay a request past the deadline under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
