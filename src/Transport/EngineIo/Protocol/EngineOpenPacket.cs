using System.Buffers;
using System.Text.Json;

namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>The data of the open packet (<c>0{"sid":...}</c>) the server sends first on every session.</summary>
public sealed record EngineOpenPacket(
    string Sid,
    IReadOnlyList<string> Upgrades,
    long PingIntervalMs,
    long PingTimeoutMs,
    long? MaxPayload)
{
    /// <summary>
    /// Writes the JSON object in the reference order:
    /// <c>{"sid":"...","upgrades":[...],"pingInterval":N,"pingTimeout":N,"maxPayload":N}</c>;
    /// <c>maxPayload</c> is left out when null (protocol 3).
    /// </summary>
    public void Write(IBufferWriter<byte> writer)
    {
        using var json = new Utf8JsonWriter(writer);
        json.WriteStartObject();
        json.WriteString("sid", Sid);
        json.WriteStartArray("upgrades");
        foreach (var upgrade in Upgrades)
        {
            json.WriteStringValue(upgrade);
        }

        json.WriteEndArray();
        json.WriteNumber("pingInterval", PingIntervalMs);
        json.WriteNumber("pingTimeout", PingTimeoutMs);
        if (MaxPayload is { } max)
        {
            json.WriteNumber("maxPayload", max);
        }

        json.WriteEndObject();
    }

    /// <summary>The open packet itself (type Open, JSON data).</summary>
    public EnginePacket ToPacket()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        Write(buffer);
        return new EnginePacket(EnginePacketType.Open, buffer.WrittenMemory, false);
    }
}
