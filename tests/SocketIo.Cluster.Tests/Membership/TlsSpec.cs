using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit;
using Akka.TestKit.TestActors;
using Akka.TestKit.Xunit2;
using SocketIo.Cluster.Tests.Adapter;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Cluster.Tests.Membership;

/// <summary>
/// TLS between nodes, as the commented block in the <c>akka</c> section of cluster.hocon configures it
/// (<c>akka.remote.dot-netty.tcp.enable-ssl</c>, the certificate as a PKCS#12 file and its password): nodes that
/// share the certificate form a cluster and exchange messages over TLS; a node without TLS is refused at the TLS
/// handshake, and a node that validates certificates refuses the self-signed one, so neither becomes a member.
/// The TestKit's system is the first TLS node, <c>a</c>; every node runs on 127.0.0.1 with a free port and the
/// settings of <see cref="TestCluster.BaseConfig"/>.
/// </summary>
public sealed class TlsSpec : TestKit
{
    /// <summary>How long a refused node is watched for becoming a member: several of its join attempts.</summary>
    private static readonly TimeSpan RefusalWindow = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Settings of a node that should stay outside and knocks often while a spec watches: a connection whose
    /// handshake goes unanswered is given up after a second (15 s by default), retried half a second later, and an
    /// unanswered join is asked again every second.
    /// </summary>
    private static readonly Config Knocking = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp.connection-timeout = 1s
        akka.remote.retry-gate-closed-for = 500ms
        akka.cluster.retry-unsuccessful-join-after = 1s
        """);

    private readonly SelfSignedCertificate _certificate;
    private readonly List<ActorSystem> _others = [];

    public TlsSpec(ITestOutputHelper output)
        : this(SelfSignedCertificate.Create(), output)
    {
    }

    private TlsSpec(SelfSignedCertificate certificate, ITestOutputHelper output)
        : base(TlsConfig(certificate), TestCluster.SystemName, output) => _certificate = certificate;

    /// <summary>
    /// A node's settings with TLS on and the certificate from its file. Validation is suppressed by default because
    /// the certificate is self-signed: no trust store on the machine knows it.
    /// </summary>
    private static Config TlsConfig(SelfSignedCertificate certificate, bool suppressValidation = true) =>
        ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              enable-ssl = true
              ssl {
                suppress-validation = {{(suppressValidation ? "true" : "false")}}
                certificate {
                  path = "{{certificate.Path.Replace("\\", "\\\\", StringComparison.Ordinal)}}"
                  password = "{{certificate.Password}}"
                }
              }
            }
            """).WithFallback(ConfigurationFactory.ParseString(TestCluster.BaseConfig));

    /// <summary>A node's settings without TLS: plain TCP, Akka's default.</summary>
    private static Config PlainConfig() => ConfigurationFactory.ParseString(TestCluster.BaseConfig);

    private AkkaCluster A => AkkaCluster.Get(Sys);

    /// <summary>Starts another actor system of the same name (shut down with the spec).</summary>
    private ActorSystem StartNode(Config config)
    {
        var system = ActorSystem.Create(TestCluster.SystemName, config);
        _others.Add(system);
        return system;
    }

    /// <summary>Forms the TLS cluster: <c>a</c> joins itself, a second TLS node <c>b</c> joins <c>a</c>; returns <c>b</c> once both see both Up.</summary>
    private async Task<ActorSystem> StartTlsClusterOfTwo()
    {
        A.Join(A.SelfAddress);
        var b = StartNode(TlsConfig(_certificate));
        AkkaCluster.Get(b).Join(A.SelfAddress);

        var both = new[] { A.SelfAddress, AkkaCluster.Get(b).SelfAddress }.Order().ToArray();
        await AwaitAssertAsync(() =>
        {
            foreach (var node in new[] { A, AkkaCluster.Get(b) })
            {
                var members = node.State.Members;
                Assert.Equal(both, members.Select(m => m.Address).Order());
                Assert.All(members, m => Assert.Equal(MemberStatus.Up, m.Status));
            }
        }, TimeSpan.FromSeconds(20));
        return b;
    }

    /// <summary>
    /// A probe of <paramref name="system"/> that receives <paramref name="system"/>'s log events of type
    /// <typeparamref name="TLog"/> (the evidence of why a connection was refused).
    /// </summary>
    private TestProbe LogEvents<TLog>(ActorSystem system, string name)
        where TLog : LogEvent
    {
        var probe = CreateTestProbe(system, name);
        system.EventStream.Subscribe(probe, typeof(TLog));
        return probe;
    }

    /// <summary>A probe of <paramref name="system"/> subscribed to its own cluster's member events, from its current (empty) state on.</summary>
    private TestProbe MemberEvents(ActorSystem system)
    {
        var probe = CreateTestProbe(system, "member-events");
        AkkaCluster.Get(system).Subscribe(probe, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        return probe;
    }

    /// <summary>Subscribes the test actor to <c>a</c>'s member events; the snapshot of the current state is consumed.</summary>
    private async Task WatchTlsMembers()
    {
        A.Subscribe(TestActor, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));
        await ExpectMsgAsync<ClusterEvent.CurrentClusterState>();
    }

    /// <summary>
    /// Over <see cref="RefusalWindow"/>, <c>a</c> hears no member event and <paramref name="outsider"/> never sees
    /// itself join (it keeps asking meanwhile); then the TLS cluster is still exactly <c>a</c> and <c>b</c>.
    /// </summary>
    private async Task AssertStaysOutside(ActorSystem outsider, TestProbe outsiderEvents, ActorSystem b)
    {
        await Task.WhenAll(ExpectNoMsgAsync(RefusalWindow).AsTask(), outsiderEvents.ExpectNoMsgAsync(RefusalWindow).AsTask());
        var tls = new[] { A.SelfAddress, AkkaCluster.Get(b).SelfAddress }.Order();
        Assert.Equal(tls, A.State.Members.Select(m => m.Address).Order());
        Assert.Equal(tls, AkkaCluster.Get(b).State.Members.Select(m => m.Address).Order());
        Assert.Empty(AkkaCluster.Get(outsider).State.Members);
        Assert.NotEqual(MemberStatus.Up, AkkaCluster.Get(outsider).SelfMember.Status);
    }

    private static bool Says(object message, string text) =>
        message is LogEvent log && log.Message.ToString()!.Contains(text, StringComparison.Ordinal);

    [Fact]
    public async Task Two_nodes_with_the_same_certificate_become_up_members_and_exchange_messages_over_tls()
    {
        var b = await StartTlsClusterOfTwo();
        b.ActorOf(SimpleEchoActor.Props(), "echo");

        Assert.Contains("ssl", A.SelfAddress.Protocol, StringComparison.Ordinal);
        // a finds b's echo actor by its remote path and hears its own message back, both legs over TLS.
        var echo = Sys.ActorSelection(new RootActorPath(AkkaCluster.Get(b).SelfAddress) / "user" / "echo");
        await AwaitAssertAsync(async () =>
        {
            var identity = await echo.Ask<ActorIdentity>(new Identify("echo"), TimeSpan.FromSeconds(3));
            Assert.NotNull(identity.Subject);
        }, TimeSpan.FromSeconds(10));
        echo.Tell("hello over tls", TestActor);
        await ExpectMsgAsync("hello over tls");
    }

    [Fact]
    public async Task A_node_without_tls_is_refused_at_the_handshake_and_never_becomes_a_member()
    {
        var b = await StartTlsClusterOfTwo();
        await WatchTlsMembers();
        var rejections = LogEvents<Warning>(Sys, "rejections");

        var plain = StartNode(Knocking.WithFallback(PlainConfig()));
        var plainEvents = MemberEvents(plain);
        // a's own host and port under the plain node's protocol: an address with a's protocol (…ssl.tcp) would be
        // ignored by the plain node's cluster before any connection is tried.
        var plainCluster = AkkaCluster.Get(plain);
        plainCluster.Join(new Address(plainCluster.SelfAddress.Protocol, TestCluster.SystemName, A.SelfAddress.Host, A.SelfAddress.Port));

        const string Rejected = "due to TLS handshake failure";
        await rejections.FishForMessageAsync(m => Says(m, Rejected), hint: "a rejects the plain node's connection at the TLS handshake");
        await AssertStaysOutside(plain, plainEvents, b);
        await rejections.FishForMessageAsync(m => Says(m, Rejected), hint: "a rejected the plain node's later attempts too");
    }

    [Fact]
    public async Task A_node_that_validates_certificates_refuses_the_self_signed_one_and_never_becomes_a_member()
    {
        var b = await StartTlsClusterOfTwo();
        await WatchTlsMembers();

        // Same certificate, validation on: the certificate chains to no root this machine trusts.
        var strict = StartNode(Knocking.WithFallback(TlsConfig(_certificate, suppressValidation: false)));
        var failures = LogEvents<Error>(strict, "validation-failures");
        var strictEvents = MemberEvents(strict);
        AkkaCluster.Get(strict).Join(A.SelfAddress);

        await failures.FishForMessageAsync(m => Says(m, "Certificate chain validation failed"), hint: "the strict node refuses a's certificate");
        await AssertStaysOutside(strict, strictEvents, b);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var system in _others) Shutdown(system, TimeSpan.FromSeconds(20));
        base.Dispose(disposing);
        if (disposing) _certificate.Dispose();
    }

    /// <summary>
    /// A self-signed RSA 2048 certificate for CN=localhost (SAN localhost and 127.0.0.1), allowed for both ends of a
    /// connection (server and client authentication: Akka.Remote requires mutual TLS by default), written as a
    /// password-protected PKCS#12 file in the temp folder; disposing deletes the file.
    /// </summary>
    private sealed class SelfSignedCertificate : IDisposable
    {
        private SelfSignedCertificate(string path, string password)
        {
            Path = path;
            Password = password;
        }

        public string Path { get; }

        public string Password { get; }

        public static SelfSignedCertificate Create()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));

            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"socketio-tls-spec-{Guid.NewGuid():N}.pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
            return new SelfSignedCertificate(path, password);
        }

        public void Dispose() => File.Delete(Path);
    }
}
