namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>RabbitMQ's routing rules, for the in-memory broker.</summary>
internal static class TopicMatcher
{
    /// <summary>Whether <paramref name="routingKey"/> is routed by a binding with <paramref name="bindingKey"/> on an exchange of <paramref name="kind"/>.</summary>
    public static bool Routes(ExchangeKind kind, string bindingKey, string routingKey) => kind switch
    {
        ExchangeKind.Fanout => true,
        ExchangeKind.Direct => string.Equals(bindingKey, routingKey, StringComparison.Ordinal),
        _ => Matches(bindingKey, routingKey),
    };

    /// <summary>Topic match: words split on '.', '*' matches exactly one word, '#' zero or more.</summary>
    public static bool Matches(string pattern, string routingKey) =>
        Match(pattern.Split('.'), 0, routingKey.Split('.'), 0);

    private static bool Match(string[] pattern, int p, string[] key, int k)
    {
        while (p < pattern.Length)
        {
            var word = pattern[p];
            if (word == "#")
            {
                // '#' swallows zero or more words: try every split point (patterns are short).
                for (var skip = k; skip <= key.Length; skip++)
                {
                    if (Match(pattern, p + 1, key, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (k >= key.Length || (word != "*" && !string.Equals(word, key[k], StringComparison.Ordinal)))
            {
                return false;
            }

            p++;
            k++;
        }

        return k == key.Length;
    }
}
