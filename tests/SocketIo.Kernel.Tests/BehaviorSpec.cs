using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class BehaviorSpec : ActorSpec
{
    [Fact]
    public void Become_replaces_the_handlers()
    {
        var actor = ActorOf(Props.Create(() => new SwitchActor(TestActor)));

        actor.Tell("hello");
        actor.Tell("switch");
        actor.Tell("hello");

        ExpectMsg("normal:hello");
        ExpectMsg("switched:hello");
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_return_to_the_previous_behaviour()
    {
        var actor = ActorOf(Props.Create(() => new SwitchActor(TestActor)));

        actor.Tell("push");
        actor.Tell("hello");
        actor.Tell("pop");
        actor.Tell("hello");

        ExpectMsg("pushed:hello");
        ExpectMsg("normal:hello");
    }

    [Fact]
    public void Receive_predicates_select_between_handlers_of_one_type()
    {
        var actor = ActorOf(Props.Create(() => new PredicateActor(TestActor)));

        actor.Tell(5);
        actor.Tell(50);

        ExpectMsg("small 5");
        ExpectMsg("large 50");
    }

    [Fact]
    public void Unhandled_messages_are_published_as_UnhandledMessage()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = ActorOf(Props.Create(() => new PredicateActor(TestActor)));

        actor.Tell("not an int");

        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal("not an int", unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
    }

    [Fact]
    public void UntypedActor_receives_everything_in_OnReceive_and_can_become()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = ActorOf(Props.Create(() => new Untyped(TestActor)));

        actor.Tell("one");
        actor.Tell(2);
        actor.Tell("become");
        actor.Tell("three");

        ExpectMsg("untyped one");
        Assert.Equal(2, ExpectMsg<UnhandledMessage>().Message);
        ExpectMsg("became three");
    }

    private sealed class SwitchActor : ReceiveActor
    {
        public SwitchActor(IActorRef probe)
        {
            Receive<string>(s => s == "switch", _ => Become(() => Receive<string>(s => probe.Tell("switched:" + s))));
            Receive<string>(s => s == "push", _ => BecomeStacked(() =>
            {
                Receive<string>(s => s == "pop", _ => UnbecomeStacked());
                Receive<string>(s => probe.Tell("pushed:" + s));
            }));
            Receive<string>(s => probe.Tell("normal:" + s));
        }
    }

    private sealed class PredicateActor : ReceiveActor
    {
        public PredicateActor(IActorRef probe)
        {
            Receive<int>(i => i < 10, i => probe.Tell($"small {i}"));
            Receive<int>(i => probe.Tell($"large {i}"));
        }
    }

    private sealed class Untyped(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "become":
                    Become(m => probe.Tell($"became {m}"));
                    break;
                case string s:
                    probe.Tell($"untyped {s}");
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }
}
