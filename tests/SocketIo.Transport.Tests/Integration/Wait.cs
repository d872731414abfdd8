namespace SocketIo.Transport.Tests.Integration;

internal static class Wait
{
    /// <summary>Waits for a condition (not a timing assertion): fails after the test timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestServer.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
