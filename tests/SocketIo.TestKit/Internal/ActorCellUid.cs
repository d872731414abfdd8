namespace SocketIo.TestKit.Internal;

/// <summary>Uids for probe paths, from the kernel's own counter so they never collide with actors.</summary>
internal static class ActorCellUid
{
    public static long Next() => SocketIo.Actors.Kernel.Internal.ActorCell.NewUid();
}
