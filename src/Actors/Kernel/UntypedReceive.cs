namespace SocketIo.Actors.Kernel;

/// <summary>A behaviour of an <see cref="UntypedActor"/>.</summary>
public delegate void UntypedReceive(object message);
