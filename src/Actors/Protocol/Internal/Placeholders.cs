using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Protocol.Internal;

/// <summary>Finds and fills the <c>{"_placeholder":true,"num":N}</c> slots of a binary packet.</summary>
internal static class Placeholders
{
    /// <summary>
    /// Collects the placeholders of <paramref name="data"/> indexed by <c>num</c>. They must number
    /// exactly 0..<paramref name="count"/>-1, each once (what socket.io clients always send); anything
    /// else (num missing, not an integer, out of range, duplicated, a slot left empty) is an error,
    /// caught before any attachment is buffered.
    /// </summary>
    public static ProtocolError? TryCollect(JToken data, int count, out JObject[] slots)
    {
        slots = count == 0 ? [] : new JObject[count];
        var found = 0;
        var pending = new Stack<JToken>();
        pending.Push(data);
        while (pending.Count > 0)
        {
            var token = pending.Pop();
            if (token is JObject obj)
            {
                if (obj.TryGetValue("_placeholder", StringComparison.Ordinal, out var marker)
                    && marker is JValue { Type: JTokenType.Boolean, Value: true })
                {
                    if (obj.TryGetValue("num", StringComparison.Ordinal, out var numToken)
                        && numToken is JValue { Type: JTokenType.Integer, Value: long num }
                        && num >= 0 && num < count && slots[num] is null)
                    {
                        slots[num] = obj;
                        found++;
                        continue;
                    }

                    return ProtocolError.InvalidPlaceholder;
                }

                foreach (var property in obj.Properties())
                {
                    pending.Push(property.Value);
                }
            }
            else if (token is JArray array)
            {
                foreach (var item in array)
                {
                    pending.Push(item);
                }
            }
        }

        return found == count ? null : ProtocolError.InvalidPlaceholder;
    }

    public static void Fill(JObject[] slots, byte[][] buffers)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].Replace(new JValue(buffers[i]));
        }
    }
}
