// A bare Kestrel HTTP/1.1 server: every request (GET, or POST whose body is read to the end) is answered
// 200 "ok" as text/plain, with no routing, no middleware and no logging. bench/run.sh (`ceiling`) measures it with the
// request mix of the harness's polling scenario to show the most requests per second Kestrel serves on one core.
var port = Environment.GetEnvironmentVariable("PORT") ?? "3002";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
var ok = "ok"u8.ToArray();
var sink = new byte[4096];
app.Run(async context =>
{
    if (HttpMethods.IsPost(context.Request.Method))
    {
        // The sink is shared: its bytes are never read, only the body has to be drained before answering.
        while (await context.Request.Body.ReadAsync(sink) > 0)
        {
        }
    }

    context.Response.ContentType = "text/plain; charset=UTF-8";
    context.Response.ContentLength = ok.Length;
    await context.Response.Body.WriteAsync(ok);
});
Console.WriteLine($"listening on http://127.0.0.1:{port}");
app.Run();
