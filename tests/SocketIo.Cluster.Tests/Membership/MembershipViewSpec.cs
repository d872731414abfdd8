using System.Collections.Immutable;
using Akka.Actor;
using SocketIo.Actors.Cluster.Membership;

namespace SocketIo.Cluster.Tests.Membership;

/// <summary>The view requests and broadcasts read: broadcasts go to every member, requests ask only reachable ones.</summary>
public sealed class MembershipViewSpec
{
    [Fact]
    public void An_unreachable_member_gets_broadcasts_but_has_no_actor_a_request_would_ask()
    {
        var view = new MembershipView();
        view.Set(ImmutableDictionary<string, (IActorRef, bool)>.Empty
            .Add("b", (ActorRefs.Nobody, true))
            .Add("c", (ActorRefs.Nobody, false)));

        Assert.Equal(["b"], view.NodeIds);
        Assert.Equal(2, view.Actors.Length);
        Assert.Same(ActorRefs.Nobody, view.ActorOf("b"));
        Assert.Null(view.ActorOf("c"));
        Assert.Null(view.ActorOf("gone"));
    }
}
