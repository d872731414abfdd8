using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>A session as the server's request handling sees it, whichever implementation runs it (a stream graph, or the hand-written transport).</summary>
internal interface IServerSession : ISessionDiagnostics
{
    /// <summary>True while a POST body is being read (diagnostics and tests).</summary>
    bool IsPostInFlight { get; }

    /// <summary>A polling GET: held until there is something to send, then answered with one payload.</summary>
    Task HandlePollAsync(HttpContext context);

    /// <summary>A polling POST: its packets are delivered, then it is answered <c>ok</c>.</summary>
    Task HandlePostAsync(HttpContext context);

    /// <summary>A WebSocket upgrade request, on the accepted <paramref name="probe"/>; completes when that socket is done with.</summary>
    Task UpgradeAsync(WebSocket probe);

    /// <summary>Answers the GET a session closed by the client owed a noop.</summary>
    Task AnswerOwedNoopAsync(HttpContext context);

    /// <summary>Closes with <c>server shutting down</c>, flushing what the transport can still write.</summary>
    void Shutdown();
}
