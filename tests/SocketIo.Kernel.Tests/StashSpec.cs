using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class StashSpec : ActorSpec
{
    [Fact]
    public void UnstashAll_replays_stashed_messages_in_order_before_newer_ones()
    {
        var actor = ActorOf(Props.Create(() => new GateActor(TestActor)));

        actor.Tell("m1");
        actor.Tell("m2");
        actor.Tell("m3");
        actor.Tell("open");
        actor.Tell("m4");

        ExpectMsg("opened");
        Assert.Equal(["m1", "m2", "m3", "m4"], ReceiveN(4));
    }

    [Fact]
    public void Unstash_replays_only_the_oldest_message()
    {
        var actor = ActorOf(Props.Create(() => new GateActor(TestActor)));

        actor.Tell("m1");
        actor.Tell("m2");
        actor.Tell("one");

        ExpectMsg("m1");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Stashed_messages_become_dead_letters_when_the_actor_stops()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = ActorOf(Props.Create(() => new GateActor(TestActor)));

        actor.Tell("m1");
        actor.Tell(PoisonPill.Instance);

        Assert.Equal("m1", ExpectMsg<DeadLetter>().Message);
    }

    private sealed class GateActor : ReceiveActor, IWithUnboundedStash
    {
        public GateActor(IActorRef probe)
        {
            Receive<string>(s => s == "open", _ =>
            {
                probe.Tell("opened");
                Become(() => Receive<string>(m => probe.Tell(m)));
                Stash.UnstashAll();
            });
            Receive<string>(s => s == "one", _ =>
            {
                Become(() => Receive<string>(m => probe.Tell(m)));
                Stash.Unstash();
                BecomeStacked(() => Receive<string>(m => probe.Tell(m)));
                UnbecomeStacked();
                Context.Become(m =>
                {
                    probe.Tell(m);
                    Context.Become(_ => true);
                    return true;
                });
            });
            Receive<string>(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }
}
