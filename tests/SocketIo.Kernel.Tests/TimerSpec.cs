using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class TimerSpec : ActorSpec
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_single_timer_fires_once_when_the_clock_reaches_its_delay()
    {
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("k", "tick", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");

        Clock.Advance(TimeSpan.FromMilliseconds(999));
        ExpectNoMsg(Short);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("tick");
        Clock.Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(Short);
    }

    [Fact]
    public void Starting_a_timer_with_an_existing_key_replaces_it()
    {
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("k", "first", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        actor.Tell(new StartSingle("k", "second", TimeSpan.FromSeconds(2)));
        ExpectMsg("started");

        Clock.Advance(TimeSpan.FromSeconds(2));

        ExpectMsg("second");
        ExpectNoMsg(Short);
    }

    [Fact]
    public void A_queued_message_of_a_replaced_timer_is_not_delivered()
    {
        var gate = new TaskCompletionSource();
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("k", "first", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        actor.Tell(new HoldThenRestart(gate.Task, "k", "second", TimeSpan.FromSeconds(1)));
        ExpectMsg("holding");

        // The first timer fires while the actor is busy, so its tick waits in the mailbox.
        Clock.Advance(TimeSpan.FromSeconds(1));
        gate.SetResult();
        ExpectMsg("restarted");
        Clock.Advance(TimeSpan.FromSeconds(1));

        ExpectMsg("second");
        ExpectNoMsg(Short);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_interval()
    {
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("p", "tick", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
        ExpectMsg("started");

        Clock.Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg(Short);
        Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["tick", "tick", "tick"], ReceiveN(3));
        ExpectNoMsg(Short);
    }

    [Fact]
    public void Cancel_removes_the_timer_and_IsTimerActive_reports_it()
    {
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("k", "tick", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        actor.Tell(new IsActive("k"));
        ExpectMsg(true);

        actor.Tell(new CancelTimer("k"));
        ExpectMsg("cancelled");
        actor.Tell(new IsActive("k"));
        ExpectMsg(false);
        Clock.Advance(TimeSpan.FromSeconds(2));

        ExpectNoMsg(Short);
    }

    [Fact]
    public void Timers_are_cancelled_when_the_actor_stops()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("p", "tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        Watch(actor);

        Sys.Stop(actor);
        ExpectTerminated(actor);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, Clock.ActiveTimerCount);
        ExpectNoMsg(Short);
    }

    [Fact]
    public void ReceiveTimeout_is_delivered_after_the_idle_time_and_reset_by_messages()
    {
        var actor = ActorOf(Props.Create(() => new IdleTimeoutActor(TestActor, TimeSpan.FromSeconds(1))));
        ExpectMsg("started");

        Clock.Advance(TimeSpan.FromMilliseconds(600));
        actor.Tell("ping", TestActor);
        ExpectMsg("pong");
        Clock.Advance(TimeSpan.FromMilliseconds(600));
        ExpectNoMsg(Short);
        Clock.Advance(TimeSpan.FromMilliseconds(400));

        ExpectMsg(ReceiveTimeout.Instance);
    }

    [Fact]
    public void The_scheduler_tells_once_after_the_delay_unless_cancelled()
    {
        Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(1), TestActor, "later", null);
        var cancelled = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(1), TestActor, "never", null);
        cancelled.Cancel();

        Clock.Advance(TimeSpan.FromSeconds(1));

        ExpectMsg("later");
        ExpectNoMsg(Short);
        Assert.True(cancelled.IsCancellationRequested);
    }

    [Fact]
    public void The_scheduler_tells_repeatedly_until_cancelled()
    {
        var repeating = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "again", null);

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["again", "again"], ReceiveN(2));
        repeating.Cancel();
        Clock.Advance(TimeSpan.FromSeconds(2));

        ExpectNoMsg(Short);
    }

    private sealed record StartSingle(string Key, string Message, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, string Message, TimeSpan InitialDelay, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    private sealed record HoldThenRestart(Task Gate, string Key, string Message, TimeSpan Delay);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef probe)
        {
            Receive<StartSingle>(s =>
            {
                Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                probe.Tell("started");
            });
            Receive<StartPeriodic>(s =>
            {
                Timers.StartPeriodicTimer(s.Key, s.Message, s.InitialDelay, s.Interval);
                probe.Tell("started");
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                probe.Tell("cancelled");
            });
            Receive<IsActive>(a => probe.Tell(Timers.IsTimerActive(a.Key)));
            ReceiveAsync<HoldThenRestart>(async h =>
            {
                probe.Tell("holding");
                await h.Gate;
                Timers.StartSingleTimer(h.Key, h.Message, h.Delay);
                probe.Tell("restarted");
            });
            Receive<string>(s => probe.Tell(s));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private sealed class IdleTimeoutActor : ReceiveActor
    {
        public IdleTimeoutActor(IActorRef probe, TimeSpan timeout)
        {
            Context.SetReceiveTimeout(timeout);
            probe.Tell("started");
            Receive<string>(_ => Sender.Tell("pong"));
            Receive<ReceiveTimeout>(t => probe.Tell(t));
        }
    }
}
