using SocketIo.Actors.Kernel;
using SocketIo.TestKit;
using Xunit.Sdk;

namespace SocketIo.Kernel.Tests;

public sealed class TestKitSpec : ActorSpec
{
    [Fact]
    public void ManualTimeProvider_fires_due_timers_in_order_while_advancing()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add($"tick {clock.GetUtcNow():ss}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var start = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["early", "tick 01", "late", "tick 02", "tick 03"], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(3), clock.GetUtcNow());
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public void ManualTimeProvider_does_not_fire_disposed_or_changed_timers()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        using var postponed = clock.CreateTimer(_ => fired += 10, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        postponed.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, fired);
    }

    [Fact]
    public void ExpectMsg_fails_the_test_when_nothing_arrives_in_time()
    {
        var error = Assert.Throws<FailException>(() => ExpectMsg<string>(timeout: TimeSpan.FromMilliseconds(20)));

        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_fails_on_a_message_of_another_type_or_value()
    {
        TestActor.Tell(1);
        Assert.Throws<FailException>(() => ExpectMsg<string>());
        TestActor.Tell("a");
        Assert.Throws<FailException>(() => ExpectMsg("b"));
    }

    [Fact]
    public void ExpectNoMsg_fails_when_a_message_arrives()
    {
        TestActor.Tell("surprise");

        Assert.Throws<FailException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void FishForMessage_skips_until_the_predicate_matches()
    {
        TestActor.Tell(1);
        TestActor.Tell("two");
        TestActor.Tell(3);

        Assert.Equal(3, FishForMessage<int>(i => i > 1));
        ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Probes_reply_to_the_last_sender()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();

        a.Tell(b.Ref, "question");
        b.ExpectMsg("question");
        b.Reply("answer");

        a.ExpectMsgFrom<string>(b.Ref, s => s == "answer");
    }

    [Fact]
    public void Within_shares_its_time_budget_with_the_expectations_inside()
    {
        var error = Assert.Throws<FailException>(() => Within(TimeSpan.FromMilliseconds(50), () => ExpectMsg<string>()));

        Assert.Contains("Timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal("fast", Within(TimeSpan.FromSeconds(1), () =>
        {
            TestActor.Tell("fast");
            return ExpectMsg<string>();
        }));
    }

    [Fact]
    public void AwaitAssert_retries_until_the_assertion_holds_and_AwaitCondition_until_true()
    {
        var calls = 0;
        AwaitAssert(() => Assert.True(++calls >= 3));
        AwaitCondition(() => calls++ >= 5);

        Assert.Throws<FailException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(30)));
        Assert.ThrowsAny<Exception>(() => AwaitAssert(() => Assert.Fail("never"), TimeSpan.FromMilliseconds(30)));
    }
}
