using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace SocketIo.Tests.Shared.Fuzzing;

/// <summary>
/// A seeded mutation fuzzer: picks a seed input from a corpus and applies 1-8 random edits (bit flips,
/// interesting bytes, deletions, duplications, splices with another seed, long digit runs, deep nesting,
/// random tails). The same seed always yields the same inputs, so a failure names a reproducible input.
/// </summary>
internal sealed class Mutator
{
    private static readonly byte[] Interesting =
    [
        0, (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'9', (byte)'b', (byte)':',
        (byte)'-', (byte)'/', (byte)',', (byte)'[', (byte)']', (byte)'{', (byte)'}', (byte)'"', (byte)'\\', (byte)'?',
        (byte)'=', 0x1e, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xf8, 0xfe, 0xff, (byte)' ', (byte)'\n',
    ];

    private static readonly string[] Tokens =
    [
        "\"_placeholder\":true", "\"num\":", "{\"_placeholder\":true,\"num\":0}", "\\u", "\\ud800", "\\u0000", "1e400", "-0",
        "9999999999999999999999", "null", "true", "[]", "{}", "\"\"", ",", "/admin,", "probe", "AAAA", "====", "\uffff",
    ];

    private readonly byte[][] _corpus;

    public Mutator(int seed, IEnumerable<byte[]> corpus)
    {
        Random = new Random(seed);
        _corpus = [.. corpus];
    }

    public Random Random { get; }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The next input: a mutated corpus entry (about 1 in 50 is a corpus entry as it is).</summary>
    public byte[] Next(int maxLength = 64 * 1024)
    {
        var r = Random;
        var data = new List<byte>(_corpus[r.Next(_corpus.Length)]);
        if (r.Next(50) == 0)
        {
            return [.. data];
        }

        var edits = 1 + r.Next(8);
        for (var e = 0; e < edits; e++)
        {
            var at = data.Count == 0 ? 0 : r.Next(data.Count + 1);
            switch (r.Next(12))
            {
                case 0 when data.Count > 0:
                    var i = r.Next(data.Count);
                    data[i] ^= (byte)(1 << r.Next(8));
                    break;
                case 1:
                    data.Insert(at, Interesting[r.Next(Interesting.Length)]);
                    break;
                case 2 when data.Count > 0:
                    data[r.Next(data.Count)] = Interesting[r.Next(Interesting.Length)];
                    break;
                case 3 when data.Count > 0:
                    var start = r.Next(data.Count);
                    data.RemoveRange(start, 1 + r.Next(Math.Min(16, data.Count - start)));
                    break;
                case 4 when data.Count > 0:
                    var from = r.Next(data.Count);
                    var len = 1 + r.Next(Math.Min(32, data.Count - from));
                    data.InsertRange(at, data.GetRange(from, len));
                    break;
                case 5:
                    var other = _corpus[r.Next(_corpus.Length)];
                    if (other.Length > 0)
                    {
                        var o = r.Next(other.Length);
                        data.InsertRange(at, other.AsSpan(o, 1 + r.Next(other.Length - o)).ToArray());
                    }

                    break;
                case 6:
                    data.InsertRange(at, Utf8(Tokens[r.Next(Tokens.Length)]));
                    break;
                case 7:
                    data.InsertRange(at, Enumerable.Repeat((byte)('0' + r.Next(10)), 1 + r.Next(30)));
                    break;
                case 8:
                    var depth = 1 + r.Next(r.Next(4) == 0 ? 200 : 40);
                    var open = r.Next(2) == 0 ? (byte)'[' : (byte)'{';
                    data.InsertRange(at, Enumerable.Repeat(open, depth));
                    if (r.Next(2) == 0)
                    {
                        data.InsertRange(at + depth, Enumerable.Repeat(open == (byte)'[' ? (byte)']' : (byte)'}', depth));
                    }

                    break;
                case 9 when data.Count > 0:
                    data.RemoveRange(at == data.Count ? data.Count - 1 : at, data.Count - (at == data.Count ? data.Count - 1 : at));
                    break;
                case 10:
                    var tail = new byte[1 + r.Next(16)];
                    r.NextBytes(tail);
                    data.InsertRange(at, tail);
                    break;
                default:
                    if (data.Count > 0 && r.Next(20) == 0 && data.Count < maxLength / 8)
                    {
                        // Grow by repetition: large inputs check that work and allocation stay proportional.
                        var block = data.ToArray();
                        while (data.Count + block.Length <= maxLength && r.Next(4) != 0)
                        {
                            data.AddRange(block);
                        }
                    }

                    break;
            }
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    /// <summary>The input as one segment, or (one time in four) split into random segments.</summary>
    public ReadOnlySequence<byte> AsSequence(byte[] input)
    {
        if (input.Length < 2 || Random.Next(4) != 0)
        {
            return new ReadOnlySequence<byte>(input);
        }

        var cut = 1 + Random.Next(input.Length - 1);
        var first = new Segment(input.AsMemory(0, cut), 0);
        var last = first;
        var pos = cut;
        while (pos < input.Length)
        {
            var len = 1 + Random.Next(input.Length - pos);
            last = last.Append(input.AsMemory(pos, len));
            pos += len;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

/// <summary>
/// Runs a fuzz loop on its own thread under a watchdog: an exception fails the run with the input that caused it
/// (hex), a run that does not finish within its time limit fails as a hang (naming the input being decoded), and
/// every input's allocation is measured against a proportional bound.
/// Iterations and seed come from FUZZ_ITERATIONS / FUZZ_SEED (defaults 100,000 and a fixed seed); each run appends
/// one line of figures to FUZZ_REPORT when that is set (scripts/fuzz.sh).
/// </summary>
internal static class FuzzRunner
{
    public const int DefaultSeed = 20240801;

    public static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 100_000;

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : DefaultSeed;

    /// <summary>
    /// Calls <paramref name="body"/> <see cref="Iterations"/> times; it decodes one input, checks its properties
    /// (throwing on a violation) and returns an outcome label counted in the report. Allocation per input must stay
    /// under <paramref name="bytesPerInputByte"/> × input length + <paramref name="allocationSlack"/>.
    /// </summary>
    public static FuzzReport Run(string name, Mutator mutator, Func<byte[], string> body, int bytesPerInputByte = 256, long allocationSlack = 256 * 1024, int? iterations = null)
    {
        var count = iterations ?? Iterations;
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        byte[] current = [];
        Exception? failure = null;
        long maxAllocation = 0;
        double maxRatio = 0;
        var done = 0;
        var watch = Stopwatch.StartNew();
        var thread = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var input = mutator.Next();
                    Volatile.Write(ref current, input);
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var outcome = body(input);
                    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    var bound = (long)bytesPerInputByte * input.Length + allocationSlack;
                    if (allocated > bound)
                    {
                        throw new InvalidOperationException($"allocated {allocated} bytes for a {input.Length}-byte input (bound {bound})");
                    }

                    maxAllocation = Math.Max(maxAllocation, allocated);
                    if (input.Length >= 64)
                    {
                        maxRatio = Math.Max(maxRatio, (double)allocated / input.Length);
                    }

                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                    done = i + 1;
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }, 16 * 1024 * 1024) { IsBackground = true, Name = "fuzz " + name };
        thread.Start();
        // A generous limit: 100,000 inputs take seconds; only a decoder stuck on one input gets near it.
        var limit = TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(count * 0.5);
        if (!thread.Join(limit))
        {
            Assert.Fail($"{name}: no progress within {limit} (hang?) after {done} inputs; current input: {Convert.ToHexString(Volatile.Read(ref current))}");
        }

        if (failure is not null)
        {
            Assert.Fail($"{name}: input #{done} (seed {Seed}) failed: {failure}\ninput (hex): {Convert.ToHexString(current)}\ninput (text): {Encoding.UTF8.GetString(current)}");
        }

        var report = new FuzzReport(name, count, Seed, watch.Elapsed, maxAllocation, maxRatio, outcomes);
        if (Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } path)
        {
            lock (typeof(FuzzRunner))
            {
                File.AppendAllText(path, report + Environment.NewLine);
            }
        }

        return report;
    }
}

internal sealed record FuzzReport(string Name, int Inputs, int Seed, TimeSpan Elapsed, long MaxAllocation, double MaxBytesPerInputByte, IReadOnlyDictionary<string, long> Outcomes)
{
    public long Count(string outcome) => Outcomes.GetValueOrDefault(outcome);

    public override string ToString() =>
        $"{Name}: {Inputs:N0} inputs (seed {Seed}) in {Elapsed.TotalSeconds:F1} s, 0 exceptions, 0 hangs, max allocation {MaxAllocation:N0} B " +
        $"({MaxBytesPerInputByte:F1} B per input byte); outcomes: " +
        string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}={o.Value:N0}"));
}
