namespace SocketIo.Actors.Kernel;

/// <summary>Messages implementing this interface do not reset the actor's receive timeout.</summary>
public interface INotInfluenceReceiveTimeout;
