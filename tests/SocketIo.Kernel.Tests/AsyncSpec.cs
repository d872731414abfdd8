using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class AsyncSpec : ActorSpec
{
    [Fact]
    public void ReceiveAsync_does_not_start_the_next_message_before_the_task_completes()
    {
        var gate = new TaskCompletionSource();
        var actor = ActorOf(Props.Create(() => new AsyncActor(TestActor, gate.Task)));

        actor.Tell("first");
        actor.Tell("second");
        ExpectMsg("first started");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        gate.SetResult();

        ExpectMsg("first done");
        ExpectMsg("second started");
        ExpectMsg("second done");
    }

    [Fact]
    public void ReceiveAsync_continuations_keep_Sender_Self_and_Context()
    {
        var gate = new TaskCompletionSource();
        var actor = ActorOf(Props.Create(() => new AsyncActor(TestActor, gate.Task)), "async");

        actor.Tell("ask", TestActor);
        ExpectMsg("ask started");
        gate.SetResult();

        ExpectMsg("ask done");
        Assert.Equal("akka://test/user/async|akka://test/system/testActor", ExpectMsg<string>());
        Assert.Equal(actor, LastSender);
    }

    [Fact]
    public void A_faulted_ReceiveAsync_task_restarts_the_actor_and_keeps_the_mailbox()
    {
        var actor = ActorOf(Props.Create(() => new FailingAsyncActor(TestActor)));

        actor.Tell("fail");
        actor.Tell("next");

        ExpectMsg("PostRestart");
        ExpectMsg("next");
    }

    [Fact]
    public void Stopping_an_actor_while_it_awaits_completes_termination()
    {
        var never = new TaskCompletionSource();
        var actor = ActorOf(Props.Create(() => new AsyncActor(TestActor, never.Task)));
        Watch(actor);
        actor.Tell("stuck");
        ExpectMsg("stuck started");

        Sys.Stop(actor);

        ExpectTerminated(actor);
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(IActorRef probe, Task gate)
        {
            ReceiveAsync<string>(async s =>
            {
                probe.Tell($"{s} started");
                await gate;
                await Task.Yield();
                probe.Tell($"{s} done");
                if (s == "ask")
                {
                    Sender.Tell($"{Context.Self.Path}|{Sender.Path}");
                }
            });
        }
    }

    private sealed class FailingAsyncActor : ReceiveActor
    {
        private readonly IActorRef _probe;

        public FailingAsyncActor(IActorRef probe)
        {
            _probe = probe;
            ReceiveAsync<string>(s => s == "fail", async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async failure");
            });
            Receive<string>(s => probe.Tell(s));
        }

        protected override void PostRestart(Exception reason) => _probe.Tell("PostRestart");
    }
}
