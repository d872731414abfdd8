namespace SocketIo.Actors.Kernel;

/// <summary>Marks messages the kernel handles itself before the actor's receive (PoisonPill, Kill, ...).</summary>
public interface IAutoReceivedMessage;
