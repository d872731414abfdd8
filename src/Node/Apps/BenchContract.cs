using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// The bench harness contract (shared/bench/CONTRACT.md) on a namespace: <c>echo</c> acks with the same
/// arguments, <c>join</c> joins a room, <c>room:emit</c> broadcasts to a room except the sender,
/// <c>io:emit</c> broadcasts to the whole namespace; each acks with no arguments when asked.
/// </summary>
public static class BenchContract
{
    public static void Register(Socket socket)
    {
        var io = socket.Namespace;
        socket.On("echo", (args, ack) => ack?.Invoke([.. args]));
        socket.On("join", (args, ack) =>
        {
            socket.Join(ArgString(args, 0));
            ack?.Invoke();
        });
        socket.On("room:emit", (args, ack) =>
        {
            socket.To(ArgString(args, 0)).Emit(ArgString(args, 1), args.Count > 2 ? args[2] : null);
            ack?.Invoke();
        });
        socket.On("io:emit", (args, ack) =>
        {
            io.Emit(ArgString(args, 0), args.Count > 1 ? args[1] : null);
            ack?.Invoke();
        });
    }

    /// <summary>The argument as a string, the way JavaScript's <c>String(x)</c> would print a JSON scalar.</summary>
    private static string ArgString(Newtonsoft.Json.Linq.JArray args, int index) =>
        index < args.Count ? (args[index].Type == Newtonsoft.Json.Linq.JTokenType.String ? (string)args[index]! : args[index].ToString(Newtonsoft.Json.Formatting.None)) : "undefined";
}
