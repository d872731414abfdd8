using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class SupervisionSpec : ActorSpec
{
    [Fact]
    public void Restart_keeps_the_mailbox_and_drops_the_failing_message()
    {
        var counter = ActorOf(Props.Create(() => new CountingActor(TestActor)));

        counter.Tell("a");
        counter.Tell("boom");
        counter.Tell("b");

        ExpectMsg("a:1");
        ExpectMsg("b:1");
    }

    [Fact]
    public void Lifecycle_hooks_run_in_order_across_a_restart()
    {
        var actor = ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("PreStart");

        actor.Tell("boom");

        ExpectMsg("PreRestart:InvalidOperationException:boom");
        ExpectMsg("PostStop");
        ExpectMsg("ctor");
        ExpectMsg("PostRestart:InvalidOperationException");
        ExpectMsg("PreStart");
        Sys.Stop(actor);
        ExpectMsg("PostStop");
    }

    [Fact]
    public void Resume_keeps_the_state_and_drops_the_failing_message()
    {
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Resume)));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));

        child.Tell("a");
        child.Tell("boom");
        child.Tell("b");

        ExpectMsg("a:1");
        ExpectMsg("b:2");
    }

    [Fact]
    public void Stop_directive_stops_the_failing_child()
    {
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Stop)));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));
        Watch(child);

        child.Tell("boom");

        ExpectTerminated(child);
    }

    [Fact]
    public void Props_supervisor_strategy_overrides_the_actor_strategy()
    {
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Restart))
            .WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));
        Watch(child);

        child.Tell("boom");

        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_supervisor_which_its_own_supervisor_restarts()
    {
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Escalate)));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));
        Watch(child);

        child.Tell("boom");

        ExpectMsg("supervisor PreRestart:InvalidOperationException");
        ExpectTerminated(child);
    }

    [Fact]
    public void A_child_exceeding_maxNrOfRetries_is_stopped()
    {
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Restart)).WithSupervisorStrategy(strategy));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));
        Watch(child);

        child.Tell("boom");
        child.Tell("a");
        ExpectMsg("a:1");
        child.Tell("boom");
        child.Tell("b");
        ExpectMsg("b:1");
        child.Tell("boom");

        ExpectTerminated(child);
    }

    [Fact]
    public void Restarts_outside_withinTimeRange_do_not_count()
    {
        var strategy = new OneForOneStrategy(1, TimeSpan.FromSeconds(10), _ => Directive.Restart);
        var supervisor = ActorOf(Props.Create(() => new SupervisorActor(TestActor, _ => Directive.Restart)).WithSupervisorStrategy(strategy));
        var child = Spawn(supervisor, Props.Create(() => new CountingActor(TestActor)));

        child.Tell("boom");
        child.Tell("a");
        ExpectMsg("a:1");
        Clock.Advance(TimeSpan.FromSeconds(11));
        child.Tell("boom");
        child.Tell("b");

        ExpectMsg("b:1");
    }

    [Fact]
    public void Kill_stops_the_actor_under_the_default_strategy()
    {
        var actor = ActorOf(Props.Create(() => new CountingActor(TestActor)));
        Watch(actor);

        actor.Tell(Kill.Instance);

        ExpectTerminated(actor);
    }

    [Fact]
    public void A_failing_constructor_stops_the_actor()
    {
        var actor = ActorOf(Props.Create(() => new FailingConstructorActor()));
        Watch(actor);

        ExpectTerminated(actor);
    }

    [Fact]
    public void A_restart_stops_the_old_children_before_the_new_instance_recreates_them()
    {
        var parent = ActorOf(Props.Create(() => new ParentWithNamedChild(TestActor)));
        var firstChild = ExpectMsg<IActorRef>();
        Watch(firstChild);

        parent.Tell("boom");

        ExpectTerminated(firstChild);
        var secondChild = ExpectMsg<IActorRef>();
        Assert.Equal(firstChild.Path, secondChild.Path);
        Assert.NotEqual(firstChild, secondChild);
    }

    private IActorRef Spawn(IActorRef supervisor, Props props)
    {
        supervisor.Tell(props, TestActor);
        return ExpectMsg<IActorRef>();
    }

    private sealed class CountingActor : ReceiveActor
    {
        private int _count;

        public CountingActor(IActorRef probe)
        {
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("boom"));
            Receive<string>(s => probe.Tell($"{s}:{++_count}"));
        }
    }

    private sealed class SupervisorActor : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly Func<Exception, Directive> _decider;

        public SupervisorActor(IActorRef probe, Func<Exception, Directive> decider)
        {
            _probe = probe;
            _decider = decider;
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_decider);

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"supervisor PreRestart:{reason.GetType().Name}");
            base.PreRestart(reason, message);
        }
    }

    private sealed class LifecycleActor : ReceiveActor
    {
        private readonly IActorRef _probe;

        public LifecycleActor(IActorRef probe)
        {
            _probe = probe;
            probe.Tell("ctor");
            Receive<string>(s => throw new InvalidOperationException(s));
        }

        protected override void PreStart() => _probe.Tell("PreStart");

        protected override void PostStop() => _probe.Tell("PostStop");

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"PreRestart:{reason.GetType().Name}:{message}");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _probe.Tell($"PostRestart:{reason.GetType().Name}");
            base.PostRestart(reason);
        }
    }

    private sealed class FailingConstructorActor : ReceiveActor
    {
        public FailingConstructorActor() => throw new InvalidOperationException("cannot start");
    }

    private sealed class ParentWithNamedChild : ReceiveActor
    {
        public ParentWithNamedChild(IActorRef probe)
        {
            probe.Tell(Context.ActorOf(Props.Create(() => new CountingActor(probe)), "child"));
            Receive<string>(_ => throw new InvalidOperationException("boom"));
        }
    }
}
