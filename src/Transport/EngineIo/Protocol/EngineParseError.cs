namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>Why a packet or payload from a client could not be decoded. Any error closes the session with <c>parse error</c>.</summary>
public enum EngineParseError
{
    None = 0,
    /// <summary>An empty packet or an empty payload.</summary>
    Empty,
    /// <summary>The type character (or byte) is not one of 0-6, or a binary packet is not a message.</summary>
    UnknownPacketType,
    /// <summary>The data after a <c>b</c> prefix is not valid (padded) base64.</summary>
    InvalidBase64,
    /// <summary>Text data is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>A v3 length prefix is missing, not a number, or too long.</summary>
    InvalidLength,
    /// <summary>A v3 length prefix does not match the data that follows.</summary>
    LengthMismatch,
    /// <summary>A v3 binary payload entry is neither a string (0) nor binary (1) entry.</summary>
    InvalidPayloadMarker,
}

/// <summary>Human-readable descriptions of <see cref="EngineParseError"/> values.</summary>
public static class EngineParseErrors
{
    public static string Describe(EngineParseError error) => error switch
    {
        EngineParseError.None => "no error",
        EngineParseError.Empty => "empty packet",
        EngineParseError.UnknownPacketType => "unknown packet type",
        EngineParseError.InvalidBase64 => "invalid base64 data",
        EngineParseError.InvalidUtf8 => "invalid UTF-8 text",
        EngineParseError.InvalidLength => "invalid length prefix",
        EngineParseError.LengthMismatch => "length prefix does not match the data",
        EngineParseError.InvalidPayloadMarker => "invalid binary payload entry marker",
        _ => error.ToString(),
    };
}

/// <summary>State of a payload parser between calls; start each payload with <c>default</c>.</summary>
public struct PayloadParserState
{
    internal bool Started;
    internal bool Ended;
}
