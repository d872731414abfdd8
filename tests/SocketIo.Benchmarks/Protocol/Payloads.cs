using System.Text;
using Newtonsoft.Json.Linq;

namespace SocketIo.Benchmarks.Protocol;

/// <summary>The packets the bench harness sends (shared/bench/CONTRACT.md), as wire text and as decoded values.</summary>
internal static class Payloads
{
    /// <summary>The harness's echo argument: a ~100-byte JSON object (the whole frame is 117 bytes).</summary>
    public const string EchoObject = """{"i":12345,"t":1732240000123456,"s":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","ok":true,"f":0.5}""";

    /// <summary>Socket.IO text packet of one echo event with ack id 42 (the Engine.IO <c>4</c> already stripped).</summary>
    public static readonly byte[] EchoEventText = Encoding.UTF8.GetBytes($"""242["echo",{EchoObject}]""");

    /// <summary>A BINARY_EVENT header announcing one attachment, and the 1 KiB attachment.</summary>
    public static readonly byte[] BinaryEventText = Encoding.UTF8.GetBytes("""51-7["upload",{"name":"a.bin"},{"_placeholder":true,"num":0}]""");

    public static readonly byte[] Attachment = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();

    /// <summary>The echo arguments as the decoder hands them to a listener.</summary>
    public static JArray EchoArgs() => new() { JObject.Parse(EchoObject) };

    /// <summary>The fanout broadcast payload <c>{"t":µs,"s":seq,"p":pad}</c>.</summary>
    public static JObject Tick() => new() { ["t"] = 1732240000123456L, ["s"] = 17, ["p"] = new string('p', 64) };
}
