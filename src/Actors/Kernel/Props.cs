using System.Linq.Expressions;
using System.Reflection;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// An immutable recipe for creating an actor; the kernel calls it again on every restart.
/// Create it with <see cref="Create{TActor}()"/>, <see cref="Create{TActor}(Expression{Func{TActor}})"/>
/// or <see cref="CreateBy{TActor}(Func{TActor})"/>.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type type, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy)
    {
        Type = type;
        _factory = factory;
        SupervisorStrategy = supervisorStrategy;
    }

    /// <summary>The actor type.</summary>
    public Type Type { get; }

    /// <summary>The strategy the actor applies to its children, overriding <see cref="ActorBase.SupervisorStrategy"/>; null when unset.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>()
        where TActor : ActorBase, new()
        => new(typeof(TActor), static () => new TActor(), null);

    /// <summary>
    /// Props from a constructor expression such as <c>() =&gt; new MyActor(a, b)</c>. Arguments are
    /// evaluated once, now (as Akka.NET does); each incarnation calls the constructor with them.
    /// Other expression shapes are compiled and called per incarnation.
    /// </summary>
    public static Props Create<TActor>(Expression<Func<TActor>> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (factory.Body is NewExpression { Constructor: { } ctor } newExpression)
        {
            var args = new object?[newExpression.Arguments.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = Evaluate(newExpression.Arguments[i]);
            }

            return new Props(typeof(TActor), () => (ActorBase)Construct(ctor, args), null);
        }

        var compiled = factory.Compile();
        return new Props(typeof(TActor), () => compiled(), null);
    }

    /// <summary>Props from a factory delegate, called once per incarnation (no expression evaluation).</summary>
    public static Props CreateBy<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), () => factory(), null);
    }

    /// <summary>Props for <paramref name="type"/> built with the constructor matching <paramref name="args"/>.</summary>
    public static Props Create(Type type, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(ActorBase).IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type} does not derive from {nameof(ActorBase)}.", nameof(type));
        }

        return new Props(type, () => (ActorBase)Activator.CreateInstance(type, args)!, null);
    }

    /// <summary>Returns a copy whose actor supervises its children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(Type, _factory, strategy);
    }

    /// <summary>Creates a new instance; called by the kernel on the actor's mailbox.</summary>
    internal ActorBase NewActor() => _factory();

    /// <inheritdoc />
    public override string ToString() => $"Props({Type.Name})";

    private static object Construct(ConstructorInfo ctor, object?[] args)
    {
        try
        {
            return ctor.Invoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    // Captured variables appear as fields of a closure constant; walk those without compiling.
    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression c => c.Value,
        MemberExpression { Member: FieldInfo f } m => f.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MemberExpression { Member: PropertyInfo p } m => p.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)(),
    };
}
