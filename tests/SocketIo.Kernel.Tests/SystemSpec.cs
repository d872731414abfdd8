using SocketIo.Actors.Kernel;
using SocketIo.TestKit;

namespace SocketIo.Kernel.Tests;

public sealed class SystemSpec : ActorSpec
{
    [Fact]
    public async Task Terminate_stops_children_before_parents_and_completes_WhenTerminated()
    {
        ActorOf(Props.Create(() => new TreeActor(TestActor, 2)), "root");
        ExpectMsg("started root");
        ExpectMsg("started child");
        ExpectMsg("started grandchild");

        var terminated = Sys.Terminate();

        ExpectMsg("stopped grandchild");
        ExpectMsg("stopped child");
        ExpectMsg("stopped root");
        await terminated.WaitAsync(DefaultTimeout);
        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_tell_to_a_stopped_actor_is_published_as_DeadLetter_and_counted()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = ActorOf(Props.Create(() => new EchoActor(TestActor)));
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var sender = CreateTestProbe();

        actor.Tell("too late", sender.Ref);

        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("too late", letter.Message);
        Assert.Equal(sender.Ref, letter.Sender);
        Assert.Equal(actor, letter.Recipient);
        Assert.Equal(1, Sys.DeadLetterCount);
    }

    [Fact]
    public void A_tell_to_DeadLetters_is_counted_and_published()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));

        Sys.DeadLetters.Tell("nowhere");

        Assert.Equal("nowhere", ExpectMsg<DeadLetter>().Message);
        Assert.Equal(1, Sys.DeadLetterCount);
    }

    [Fact]
    public void Event_stream_delivers_to_subscribers_of_the_type_and_of_its_base_types()
    {
        var byInterface = CreateTestProbe();
        var byClass = CreateTestProbe();
        Sys.EventStream.Subscribe(byInterface.Ref, typeof(IRoomEvent));
        Sys.EventStream.Subscribe(byClass.Ref, typeof(RoomJoined));

        Sys.EventStream.Publish(new RoomJoined("lobby"));
        Sys.EventStream.Publish(new RoomLeft("lobby"));
        Sys.EventStream.Publish("not a room event");

        byInterface.ExpectMsg(new RoomJoined("lobby"));
        byInterface.ExpectMsg(new RoomLeft("lobby"));
        byClass.ExpectMsg(new RoomJoined("lobby"));
        byInterface.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        byClass.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Event_stream_unsubscribe_stops_delivery()
    {
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(IRoomEvent)));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(IRoomEvent)));
        Sys.EventStream.Publish(new RoomJoined("a"));
        ExpectMsg(new RoomJoined("a"));

        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(IRoomEvent)));
        Sys.EventStream.Publish(new RoomJoined("b"));

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_subscriber_that_stops_is_unsubscribed_automatically()
    {
        var subscriber = ActorOf(Props.Create(() => new SubscriberActor(TestActor)));
        ExpectMsg("subscribed");
        Sys.EventStream.Publish(new RoomJoined("x"));
        ExpectMsg(new RoomJoined("x"));
        Watch(subscriber);
        Sys.Stop(subscriber);
        ExpectTerminated(subscriber);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));

        Sys.EventStream.Publish(new RoomJoined("y"));

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.False(Sys.EventStream.Unsubscribe(subscriber));
    }

    [Fact]
    public void System_messages_are_processed_before_queued_user_messages()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        using var release = new ManualResetEventSlim();
        var actor = ActorOf(Props.Create(() => new BlockingActor(TestActor, release)));
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        actor.Tell("block");
        ExpectMsg("blocked");

        actor.Tell("queued user message");
        Sys.Stop(actor);
        release.Set();

        watcher.ExpectTerminated(actor);
        Assert.Equal("queued user message", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Actors_that_never_run_out_of_messages_do_not_starve_others()
    {
        var counters = new long[Environment.ProcessorCount * 4];
        var spinners = Enumerable.Range(0, counters.Length)
            .Select(i => ActorOf(Props.Create(() => new SpinningActor(counters, i))))
            .ToArray();
        foreach (var spinner in spinners)
        {
            spinner.Tell("spin");
        }

        AwaitCondition(() => counters.All(c => Interlocked.Read(ref c) > 1000));
        var echo = ActorOf(Props.Create(() => new EchoActor(TestActor)));
        echo.Tell("still served");

        ExpectMsg("still served");
        foreach (var spinner in spinners)
        {
            Sys.Stop(spinner);
        }
    }

    [Fact]
    public async Task Context_GetLogger_and_kernel_logs_use_the_system_logger_factory()
    {
        var loggerFactory = new RecordingLoggerFactory();
        var system = ActorSystem.Create("logging", new ActorSystemOptions { LoggerFactory = loggerFactory });
        try
        {
            var actor = system.ActorOf(Props.Create(() => new LoggingActor(TestActor)));
            actor.Tell("log me");
            ExpectMsg("logged");
            system.DeadLetters.Tell("dead");

            Assert.Contains(loggerFactory.Entries, e => e.Category == typeof(LoggingActor).FullName && e.Message == "got log me");
            Assert.Contains(loggerFactory.Entries, e => e.Category == "SocketIo.Actors.Kernel" && e.EventId == 1000);
        }
        finally
        {
            await system.Terminate().WaitAsync(DefaultTimeout);
        }
    }

    [Fact]
    public async Task Creating_an_actor_after_Terminate_throws()
    {
        await Sys.Terminate().WaitAsync(DefaultTimeout);

        Assert.Throws<InvalidOperationException>(() => ActorOf(Props.Create(() => new EchoActor(TestActor))));
    }

    private interface IRoomEvent;

    private sealed record RoomJoined(string Room) : IRoomEvent;

    private sealed record RoomLeft(string Room) : IRoomEvent;

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor(IActorRef probe) => ReceiveAny(m => probe.Tell(m, Sender));
    }

    private sealed class TreeActor : ReceiveActor
    {
        private static readonly string[] Names = ["root", "child", "grandchild"];
        private readonly IActorRef _probe;
        private readonly string _name;

        public TreeActor(IActorRef probe, int depth)
        {
            _probe = probe;
            _name = Names[2 - depth];
            probe.Tell($"started {_name}");
            if (depth > 0)
            {
                Context.ActorOf(Props.Create(() => new TreeActor(probe, depth - 1)), Names[3 - depth]);
            }
        }

        protected override void PostStop() => _probe.Tell($"stopped {_name}");
    }

    private sealed class SubscriberActor : ReceiveActor
    {
        public SubscriberActor(IActorRef probe)
        {
            Context.System.EventStream.Subscribe(Self, typeof(IRoomEvent));
            probe.Tell("subscribed");
            ReceiveAny(m => probe.Tell(m));
        }
    }

    private sealed class BlockingActor : ReceiveActor
    {
        public BlockingActor(IActorRef probe, ManualResetEventSlim release)
        {
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                release.Wait();
            });
            Receive<string>(s => probe.Tell(s));
        }
    }

    private sealed class SpinningActor : ReceiveActor
    {
        public SpinningActor(long[] counters, int index) =>
            Receive<string>(s =>
            {
                Interlocked.Increment(ref counters[index]);
                Self.Tell(s);
            });
    }

    private sealed class LoggingActor : ReceiveActor
    {
        public LoggingActor(IActorRef probe)
        {
            Receive<string>(s =>
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(Context.GetLogger(), "got {Text}", s);
                probe.Tell("logged");
            });
        }
    }
}
