using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class AskPipeSpec : ActorSpec
{
    [Fact]
    public async Task Ask_completes_with_the_reply()
    {
        var actor = ActorOf(Props.Create(() => new ReplyActor()));

        var reply = await actor.Ask<string>("hello", TimeSpan.FromSeconds(5)).WaitAsync(DefaultTimeout);

        Assert.Equal("re:hello", reply);
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException_when_the_clock_passes_the_timeout()
    {
        var actor = ActorOf(Props.Create(() => new ReplyActor()));

        var ask = actor.Ask<string>(42, TimeSpan.FromSeconds(5));
        Clock.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<AskTimeoutException>(() => ask.WaitAsync(DefaultTimeout));
    }

    [Fact]
    public async Task Ask_faults_with_the_cause_of_a_Status_Failure_reply()
    {
        var actor = ActorOf(Props.Create(() => new ReplyActor()));

        var ask = actor.Ask<string>(new InvalidOperationException("nope"), TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ask.WaitAsync(DefaultTimeout));
        Assert.Equal("nope", error.Message);
    }

    [Fact]
    public void PipeTo_delivers_the_result_of_a_successful_task()
    {
        Task.FromResult(42).PipeTo(TestActor);

        ExpectMsg(42);
    }

    [Fact]
    public void PipeTo_delivers_Status_Failure_for_a_faulted_task()
    {
        Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor);

        Assert.Equal("bad", ExpectMsg<Status.Failure>().Cause.Message);
    }

    [Fact]
    public void PipeTo_applies_the_success_and_failure_mappings_and_sender()
    {
        var sender = CreateTestProbe();
        Task.FromResult(1).PipeTo(TestActor, sender.Ref, success: i => $"ok {i}");
        ExpectMsg("ok 1");
        Assert.Equal(sender.Ref, LastSender);

        Task.FromException(new InvalidOperationException("x")).PipeTo(TestActor, failure: e => $"failed {e.Message}");
        ExpectMsg("failed x");
    }

    [Fact]
    public void An_actor_can_pipe_a_task_result_to_itself()
    {
        var actor = ActorOf(Props.Create(() => new PipingActor(TestActor)));

        actor.Tell("compute");

        ExpectMsg("piped 7");
    }

    private sealed class ReplyActor : ReceiveActor
    {
        public ReplyActor()
        {
            Receive<string>(s => Sender.Tell("re:" + s));
            Receive<Exception>(e => Sender.Tell(new Status.Failure(e)));
            Receive<int>(_ => { });
        }
    }

    private sealed class PipingActor : ReceiveActor
    {
        public PipingActor(IActorRef probe)
        {
            Receive<string>(_ => Task.Run(() => 7).PipeTo(Self));
            Receive<int>(i => probe.Tell($"piped {i}"));
        }
    }
}
