using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class MessagingSpec : ActorSpec
{
    [Fact]
    public void Messages_from_one_sender_arrive_in_send_order()
    {
        var echo = ActorOf(Props.Create(() => new ForwardActor(TestActor)));
        for (var i = 0; i < 1000; i++)
        {
            echo.Tell(i, TestActor);
        }

        var received = ReceiveN(1000);
        Assert.Equal(Enumerable.Range(0, 1000).Cast<object>(), received);
    }

    [Fact]
    public void Tell_inside_an_actor_uses_the_actor_as_implicit_sender()
    {
        var replier = ActorOf(Props.Create(() => new ReplyActor()));
        var asker = ActorOf(Props.Create(() => new AskerActor(replier, TestActor)), "asker");

        asker.Tell("go", TestActor);

        Assert.Equal("reply:go", ExpectMsg<string>());
        Assert.Equal(asker, LastSender);
    }

    [Fact]
    public void Tell_outside_an_actor_has_no_sender_and_replies_become_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var replier = ActorOf(Props.Create(() => new ReplyActor()));

        replier.Tell("lost");

        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("reply:lost", letter.Message);
        Assert.Equal(1, Sys.DeadLetterCount);
    }

    [Fact]
    public void Forward_keeps_the_original_sender()
    {
        var other = CreateTestProbe();
        var forwarder = ActorOf(Props.Create(() => new ForwardingActor(TestActor)));

        other.Tell(forwarder, "hello");

        ExpectMsg("hello");
        Assert.Equal(other.Ref, LastSender);
    }

    [Fact]
    public void Paths_follow_the_hierarchy_and_generated_names_start_at_a()
    {
        var parent = ActorOf(Props.Create(() => new ParentActor(TestActor)), "parent");

        parent.Tell(new CreateChild(null), TestActor);
        parent.Tell(new CreateChild(null), TestActor);
        parent.Tell(new CreateChild("named"), TestActor);

        Assert.Equal("akka://test/user/parent/$a", ExpectMsg<IActorRef>().Path.ToString());
        Assert.Equal("akka://test/user/parent/$b", ExpectMsg<IActorRef>().Path.ToString());
        var named = ExpectMsg<IActorRef>();
        Assert.Equal("akka://test/user/parent/named", named.Path.ToString());
        Assert.Equal(["user", "parent", "named"], named.Path.Elements);
        Assert.Equal("/user/parent/named", named.Path.ToStringWithoutAddress());
    }

    [Fact]
    public void A_duplicate_child_name_throws_InvalidActorNameException()
    {
        ActorOf(Props.Create(() => new ForwardActor(TestActor)), "unique");

        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new ForwardActor(TestActor)), "unique"));
    }

    [Fact]
    public void A_duplicate_name_inside_an_actor_throws_InvalidActorNameException_to_the_caller()
    {
        var parent = ActorOf(Props.Create(() => new ParentActor(TestActor)));

        parent.Tell(new CreateChild("twice"), TestActor);
        ExpectMsg<IActorRef>();
        parent.Tell(new CreateChild("twice"), TestActor);

        ExpectMsg<InvalidActorNameException>();
    }

    [Theory]
    [InlineData("$reserved")]
    [InlineData("with/slash")]
    [InlineData("with space")]
    [InlineData("")]
    public void Invalid_names_throw_InvalidActorNameException(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new ForwardActor(TestActor)), name));
    }

    [Fact]
    public void Child_and_GetChildren_find_live_children()
    {
        var parent = ActorOf(Props.Create(() => new ParentActor(TestActor)));
        parent.Tell(new CreateChild("kid"), TestActor);
        var kid = ExpectMsg<IActorRef>();

        parent.Tell("children", TestActor);

        Assert.Equal([kid], ExpectMsg<IActorRef[]>());
        parent.Tell(new LookUp("kid"), TestActor);
        Assert.Equal(kid, ExpectMsg<IActorRef>());
        parent.Tell(new LookUp("nobody"), TestActor);
        Assert.Equal(ActorRefs.Nobody, ExpectMsg<IActorRef>());
    }

    [Fact]
    public void References_are_equal_by_path_and_uid()
    {
        var first = ActorOf(Props.Create(() => new ForwardActor(TestActor)), "same");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        var second = AwaitRecreate("same");

        Assert.Equal(first.Path, second.Path);
        Assert.NotEqual(first, second);
        Assert.Equal(first, first);
        Assert.NotEqual(first.Path.Uid, second.Path.Uid);
    }

    [Fact]
    public void Props_evaluate_constructor_arguments_when_created()
    {
        var target = TestActor;
        var props = Props.Create(() => new ForwardActor(target));
        target = ActorRefs.Nobody;

        var actor = ActorOf(props);
        actor.Tell("via-props");

        ExpectMsg("via-props");
        Assert.Equal(typeof(ForwardActor), props.Type);
    }

    [Fact]
    public void Creating_an_actor_with_new_outside_ActorOf_throws()
    {
        Assert.Throws<ActorInitializationException>(() => new ForwardActor(TestActor));
    }

    // The parent keeps the name until the stopped child is fully gone; retry until it is free.
    private IActorRef AwaitRecreate(string name)
    {
        IActorRef? created = null;
        AwaitAssert(() => created = ActorOf(Props.Create(() => new ForwardActor(TestActor)), name));
        return created!;
    }

    private sealed record CreateChild(string? Name);

    private sealed record LookUp(string Name);

    private sealed class ForwardActor : ReceiveActor
    {
        public ForwardActor(IActorRef target) => ReceiveAny(m => target.Tell(m, Sender));
    }

    private sealed class ReplyActor : ReceiveActor
    {
        public ReplyActor() => Receive<string>(s => Sender.Tell("reply:" + s));
    }

    private sealed class AskerActor : ReceiveActor
    {
        public AskerActor(IActorRef replier, IActorRef probe)
        {
            Receive<string>(s => s.StartsWith("reply:", StringComparison.Ordinal), s => probe.Tell(s));
            Receive<string>(s => replier.Tell(s));
        }
    }

    private sealed class ForwardingActor : ReceiveActor
    {
        public ForwardingActor(IActorRef target) => ReceiveAny(target.Forward);
    }

    private sealed class ParentActor : ReceiveActor
    {
        public ParentActor(IActorRef probe)
        {
            Receive<CreateChild>(c =>
            {
                try
                {
                    Sender.Tell(Context.ActorOf(Props.Create(() => new ForwardActor(probe)), c.Name));
                }
                catch (InvalidActorNameException e)
                {
                    Sender.Tell(e);
                }
            });
            Receive<string>(s => s == "children", _ => Sender.Tell(Context.GetChildren().ToArray()));
            Receive<LookUp>(l => Sender.Tell(Context.Child(l.Name)));
        }
    }
}
