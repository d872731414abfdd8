using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Node.Apps.Internal;

/// <summary>How the seeds' JavaScript and CFML print the values the apps receive from clients.</summary>
internal static class JsValues
{
    /// <summary>
    /// The value as JavaScript's <c>String(x)</c> (or CFML's <c>&amp;</c>) turns a JSON scalar into text: strings
    /// as they are, <c>undefined</c> for a missing argument, other JSON as compact JSON text.
    /// </summary>
    public static string ToText(JToken? token) => token switch
    {
        null => "undefined",
        { Type: JTokenType.String } => (string)token!,
        { Type: JTokenType.Null } => "null",
        _ => token.ToString(Formatting.None),
    };

    /// <summary>
    /// <c>data.message</c>: the field of an object, <c>undefined</c> (null) when <paramref name="data"/> is no
    /// object or lacks it. (JavaScript throws a TypeError for <c>undefined.message</c>; a demo server logs instead.)
    /// </summary>
    public static JToken? Field(JToken? data, string name) => data is JObject obj ? obj[name] : null;
}
