using Akka.Actor;
using Akka.Streams;
using Microsoft.Extensions.Options;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Hosting;

/// <summary>
/// The one Akka.Streams materializer of an actor system that every Engine.IO server of the host shares (a
/// materializer per server, or per actor, would each keep a supervisor actor alive).
/// </summary>
public sealed class EngineStreams : IExtension
{
    public EngineStreams(ExtendedActorSystem system) =>
        Materializer = system.Materializer(ActorMaterializerSettings.Create(system), namePrefix: "engineio");

    public IMaterializer Materializer { get; }

    public static EngineStreams Get(ActorSystem system) => system.WithExtension<EngineStreams, Provider>();

    /// <summary>Sets <see cref="EngineIoOptions.Materializer"/> to the application actor system's materializer.</summary>
    internal sealed class OptionsSetup(ActorSystem system) : IConfigureOptions<EngineIoOptions>
    {
        public void Configure(EngineIoOptions options) => options.Materializer ??= Get(system).Materializer;
    }

    private sealed class Provider : ExtensionIdProvider<EngineStreams>
    {
        public override EngineStreams CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
