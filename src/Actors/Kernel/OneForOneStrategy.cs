namespace SocketIo.Actors.Kernel;

/// <summary>
/// Applies the decider's directive to the failing child only. When a child needs more than
/// <c>maxNrOfRetries</c> restarts within <c>withinTimeRange</c> it is stopped instead.
/// </summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly Func<Exception, Directive> _decider;

    /// <summary>Creates a strategy with unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider)
        : this(null, null, localOnlyDecider)
    {
    }

    /// <summary>Creates a strategy with a restart limit; null for either limit means unlimited / lifetime.</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider)
    {
        ArgumentNullException.ThrowIfNull(localOnlyDecider);
        _decider = localOnlyDecider;
        MaxNumberOfRetries = maxNrOfRetries ?? -1;
        WithinTimeRange = withinTimeRange;
    }

    /// <inheritdoc />
    public override int MaxNumberOfRetries { get; }

    /// <inheritdoc />
    public override TimeSpan? WithinTimeRange { get; }

    /// <inheritdoc />
    public override Directive Decide(Exception exception) => _decider(exception);
}
