using System.Collections.Concurrent;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// The registry of message types allowed to cross nodes, each under a stable name (the manifest).
/// The JSON serializer only instantiates types found here, so a message from the network can
/// never make a node create an arbitrary type. Every node of a region must register the same
/// names. <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="Guid"/> and Newtonsoft's <c>JToken</c> are registered already.
/// </summary>
public sealed class ShardingMessageTypes
{
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _byType = new();

    /// <summary>Creates a registry holding the built-in primitive types.</summary>
    public ShardingMessageTypes()
    {
        Register<string>("string");
        Register<int>("int");
        Register<long>("long");
        Register<double>("double");
        Register<bool>("bool");
        Register<Guid>("guid");
        Register<Newtonsoft.Json.Linq.JToken>("json");
    }

    /// <summary>Allows <typeparamref name="T"/> under <paramref name="name"/> (default: its full type name). Returns this registry, for chaining.</summary>
    /// <exception cref="ArgumentException">The name or the type is already registered differently.</exception>
    public ShardingMessageTypes Register<T>(string? name = null) => Register(typeof(T), name);

    /// <summary>Allows <paramref name="type"/> under <paramref name="name"/> (default: its full type name). Returns this registry, for chaining.</summary>
    /// <exception cref="ArgumentException">The name or the type is already registered differently.</exception>
    public ShardingMessageTypes Register(Type type, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        name ??= type.FullName ?? type.Name;
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_byName.GetOrAdd(name, type).Equals(type))
        {
            throw new ArgumentException($"Message name '{name}' is already registered for {_byName[name]}", nameof(name));
        }

        if (_byType.GetOrAdd(type, name) != name)
        {
            throw new ArgumentException($"{type} is already registered as '{_byType[type]}'", nameof(type));
        }

        return this;
    }

    /// <summary>The registered name of <paramref name="type"/>; JToken subclasses map to "json".</summary>
    public bool TryGetName(Type type, out string name)
    {
        if (_byType.TryGetValue(type, out name!))
        {
            return true;
        }

        if (typeof(Newtonsoft.Json.Linq.JToken).IsAssignableFrom(type))
        {
            return _byType.TryGetValue(typeof(Newtonsoft.Json.Linq.JToken), out name!);
        }

        return false;
    }

    /// <summary>The type registered under <paramref name="name"/>.</summary>
    public bool TryGetType(string name, out Type type) => _byName.TryGetValue(name, out type!);
}
