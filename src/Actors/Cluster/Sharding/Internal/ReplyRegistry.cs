using Akka.Actor;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// Local senders that remote entities may reply to, by correlation id. A sender keeps one id
/// while it keeps sending; an entry expires <c>timeout</c> after its last use, so a reply that
/// comes later is dropped. Thread-safe.
/// </summary>
internal sealed class ReplyRegistry : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _byRef = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;
    private readonly ITimer _sweeper;
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    public ReplyRegistry(TimeProvider clock, TimeSpan timeout)
    {
        _clock = clock;
        _timeout = timeout;
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        _sweeper = clock.CreateTimer(static s => ((ReplyRegistry)s!).Sweep(), this, period, period);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>The correlation id of <paramref name="sender"/>, registering it (or extending its registration).</summary>
    public string Register(IActorRef sender)
    {
        var expires = _clock.GetUtcNow() + _timeout;
        lock (_gate)
        {
            if (_byRef.TryGetValue(sender, out var existing) && _byId.TryGetValue(existing, out var entry))
            {
                entry.Expires = expires;
                return existing;
            }

            var id = $"{_prefix}-{++_next}";
            _byId[id] = new Entry(sender) { Expires = expires };
            _byRef[sender] = id;
            return id;
        }
    }

    public bool TryGet(string correlationId, out IActorRef sender)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(correlationId, out var entry))
            {
                sender = entry.Sender;
                return true;
            }
        }

        sender = null!;
        return false;
    }

    public void Dispose() => _sweeper.Dispose();

    private void Sweep()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var (id, entry) in _byId.Where(e => e.Value.Expires <= now).ToList())
            {
                _byId.Remove(id);
                _byRef.Remove(entry.Sender);
            }
        }
    }

    private sealed class Entry(IActorRef sender)
    {
        public IActorRef Sender { get; } = sender;

        public DateTimeOffset Expires { get; set; }
    }
}
