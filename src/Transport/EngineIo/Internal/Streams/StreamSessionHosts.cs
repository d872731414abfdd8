using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// Where session graphs run. With <c>hosts == 0</c> each graph is materialized on its own by the system's
/// materializer (one interpreter actor per session). Otherwise sessions are spread round-robin over that many
/// long-running host graphs, and each session graph is materialized by its host's sub-fusing materializer: it stays a
/// graph of its own (its own interpreter and stages, stopped on its own) but shares the host's interpreter actor,
/// so an idle session costs no actor, no mailbox and no dispatcher registration.
/// </summary>
internal sealed class StreamSessionHosts : IDisposable
{
    private readonly IMaterializer _materializer;
    private readonly HostStage.Handle[] _hosts;
    private int _next = -1;

    public StreamSessionHosts(IMaterializer materializer, int hosts)
    {
        _materializer = materializer;
        _hosts = new HostStage.Handle[hosts];
        for (var i = 0; i < hosts; i++)
        {
            _hosts[i] = Source.FromGraph(new HostStage()).To(Sink.Ignore<NotUsed>()).Run(materializer);
        }
    }

    /// <summary>Materializes <see cref="EngineSession.Blueprint"/> for the session named in <paramref name="session"/>.</summary>
    public void Run(Attributes session)
    {
        if (_hosts.Length == 0)
        {
            _materializer.Materialize(EngineSession.Blueprint, session);
            return;
        }

        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_hosts.Length);
        _hosts[index].Run(session);
    }

    /// <summary>Stops the hosts; sessions still running in them keep their interpreter actor until they stop.</summary>
    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Stop();
        }
    }

    /// <summary>A source that never emits, living only to give session graphs an interpreter to be fused into.</summary>
    private sealed class HostStage : GraphStageWithMaterializedValue<SourceShape<NotUsed>, HostStage.Handle>
    {
        public HostStage() => Shape = new SourceShape<NotUsed>(Out);

        public Outlet<NotUsed> Out { get; } = new("engineio.host.out");

        public override SourceShape<NotUsed> Shape { get; }

        public override ILogicAndMaterializedValue<Handle> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
        {
            var handle = new Handle();
            return new LogicAndMaterializedValue<Handle>(new Logic(this, handle), handle);
        }

        /// <summary>Hands sessions to the host; sessions handed over before the host started are run when it starts.</summary>
        internal sealed class Handle
        {
            private readonly StageInbox<Attributes> _sessions = new();
            private Action? _stop;

            public void Run(Attributes session) => _sessions.Post(session);

            public void Stop() => Volatile.Read(ref _stop)?.Invoke();

            public void Started(Action<Attributes> run, Action stop)
            {
                Volatile.Write(ref _stop, stop);
                _sessions.Started(run);
            }
        }

        private sealed class Logic : OutGraphStageLogic
        {
            private readonly HostStage _stage;
            private readonly Handle _handle;

            public Logic(HostStage stage, Handle handle) : base(stage.Shape)
            {
                _stage = stage;
                _handle = handle;
                SetHandler(stage.Out, this);
            }

            public override void PreStart() =>
                _handle.Started(GetAsyncCallback<Attributes>(session => SubFusingMaterializer.Materialize(EngineSession.Blueprint, session)), GetAsyncCallback(CompleteStage));

            public override void OnPull()
            {
            }
        }
    }
}
