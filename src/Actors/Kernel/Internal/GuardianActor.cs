namespace SocketIo.Actors.Kernel.Internal;

/// <summary>The <c>/user</c> guardian: parent of top-level actors, supervising them with the default strategy.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
