using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class DeathWatchSpec : ActorSpec
{
    [Fact]
    public void A_watcher_receives_Terminated_when_the_watched_actor_stops()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        var watcher = ActorOf(Props.Create(() => new WatcherActor(TestActor)));

        watcher.Tell(new WatchIt(target, null));
        ExpectMsg("watching");
        Sys.Stop(target);

        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void Watching_an_already_dead_actor_delivers_Terminated_at_once()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        var watcher = ActorOf(Props.Create(() => new WatcherActor(TestActor)));

        watcher.Tell(new WatchIt(target, null));

        ExpectMsg("watching");
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void A_probe_watching_an_already_dead_actor_gets_Terminated()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        var first = CreateTestProbe();
        first.Watch(target);
        Sys.Stop(target);
        first.ExpectTerminated(target);

        Watch(target);

        ExpectTerminated(target);
    }

    [Fact]
    public void WatchWith_delivers_the_custom_message_instead_of_Terminated()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        var watcher = ActorOf(Props.Create(() => new WatcherActor(TestActor)));

        watcher.Tell(new WatchIt(target, "target-gone"));
        ExpectMsg("watching");
        target.Tell(PoisonPill.Instance);

        ExpectMsg("target-gone");
    }

    [Fact]
    public void After_Unwatch_no_Terminated_is_delivered()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        var watcher = ActorOf(Props.Create(() => new WatcherActor(TestActor)));
        watcher.Tell(new WatchIt(target, null));
        ExpectMsg("watching");

        watcher.Tell(new UnwatchIt(target));
        ExpectMsg("unwatched");
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_unhandled_Terminated_stops_the_watcher_with_a_DeathPactException()
    {
        var target = ActorOf(Props.Create(() => new IdleActor()));
        var watcher = ActorOf(Props.Create(() => new CarelessWatcher(target, TestActor)));
        ExpectMsg("watching");
        Watch(watcher);

        Sys.Stop(target);

        ExpectTerminated(watcher);
    }

    [Fact]
    public void PoisonPill_processes_earlier_messages_and_dead_letters_later_ones()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = ActorOf(Props.Create(() => new EchoActor(TestActor)));
        var watcher = CreateTestProbe();
        watcher.Watch(actor);

        actor.Tell("before");
        actor.Tell(PoisonPill.Instance);
        actor.Tell("after");

        ExpectMsg("before");
        watcher.ExpectTerminated(actor);
        Assert.Equal("after", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Context_Stop_of_self_takes_effect_after_the_current_message()
    {
        var actor = ActorOf(Props.Create(() => new SelfStoppingActor(TestActor)));
        Watch(actor);

        actor.Tell("stop");
        actor.Tell("ignored");

        ExpectMsg("stopping");
        ExpectTerminated(actor);
    }

    private sealed record WatchIt(IActorRef Target, object? Custom);

    private sealed record UnwatchIt(IActorRef Target);

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor() => ReceiveAny(_ => { });
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor(IActorRef probe) => ReceiveAny(m => probe.Tell(m));
    }

    private sealed class WatcherActor : ReceiveActor
    {
        public WatcherActor(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                if (w.Custom is null)
                {
                    Context.Watch(w.Target);
                }
                else
                {
                    Context.WatchWith(w.Target, w.Custom);
                }

                probe.Tell("watching");
            });
            Receive<UnwatchIt>(u =>
            {
                Context.Unwatch(u.Target);
                probe.Tell("unwatched");
            });
            ReceiveAny(m => probe.Tell(m));
        }
    }

    private sealed class CarelessWatcher : ReceiveActor
    {
        public CarelessWatcher(IActorRef target, IActorRef probe)
        {
            Context.Watch(target);
            probe.Tell("watching");
            Receive<string>(_ => { });
        }
    }

    private sealed class SelfStoppingActor : ReceiveActor
    {
        public SelfStoppingActor(IActorRef probe)
        {
            Receive<string>(s => s == "stop", _ =>
            {
                Context.Stop(Self);
                probe.Tell("stopping");
            });
            Receive<string>(s => probe.Tell(s));
        }
    }
}
