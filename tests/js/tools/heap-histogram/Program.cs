using System.Globalization;
using Microsoft.Diagnostics.Runtime;

// Usage: HeapHistogram PID [TOP]
// Attaches to PID (suspended while the heap is walked), marks the objects reachable from the GC roots, and prints
// the TOP (default 30) types by reachable bytes: "count bytes type", then a TOTAL line. With HEAP_DETAIL=1 it then
// prints the TOP most frequent reachable strings (their first 60 characters) and delegate targets, to tell where
// per-connection strings and delegates come from. Only reachable objects are
// counted, so garbage awaiting a gen2 collection does not show up as growth. Exit code 1 when it cannot attach.
if (args.Length < 1 || !int.TryParse(args[0], out var pid))
{
    Console.Error.WriteLine("usage: HeapHistogram PID [TOP]");
    return 2;
}
var top = args.Length > 1 && int.TryParse(args[1], out var t) ? t : 30;
try
{
    using var target = DataTarget.AttachToProcess(pid, suspend: true);
    var runtime = target.ClrVersions[0].CreateRuntime();
    var heap = runtime.Heap;
    var marked = new HashSet<ulong>();
    var stack = new Stack<ulong>();
    foreach (var root in heap.EnumerateRoots())
        if (root.Object.Address != 0 && marked.Add(root.Object.Address)) stack.Push(root.Object.Address);
    var byType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
    var detail = Environment.GetEnvironmentVariable("HEAP_DETAIL") == "1";
    var details = new Dictionary<string, long>(StringComparer.Ordinal);
    while (stack.Count > 0)
    {
        var obj = heap.GetObject(stack.Pop());
        if (!obj.IsValid) continue;
        var name = obj.Type?.Name ?? "<unknown>";
        var (c, b) = byType.GetValueOrDefault(name);
        byType[name] = (c + 1, b + (long)obj.Size);
        if (detail && obj.Type is { } type)
        {
            string? key = null;
            if (type.IsString)
            {
                var text = obj.AsString(60) ?? "";
                key = "string: " + text;
            }
            else if (type.BaseType?.Name == "System.MulticastDelegate")
            {
                var owner = obj.ReadObjectField("_target");
                key = $"delegate {name} -> {(owner.IsValid ? owner.Type?.Name : "static")}";
            }

            if (key is not null)
            {
                details[key] = details.GetValueOrDefault(key) + 1;
            }
        }
        foreach (var reference in obj.EnumerateReferences(carefully: true))
            if (reference.Address != 0 && marked.Add(reference.Address)) stack.Push(reference.Address);
    }
    foreach (var (name, (count, bytes)) in byType.OrderByDescending(kv => kv.Value.Bytes).Take(top))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10} {bytes,12} {name}"));
    foreach (var (key, count) in details.OrderByDescending(kv => kv.Value).Take(top))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10} {key.ReplaceLineEndings(" ")}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"TOTAL {byType.Values.Sum(v => v.Count)} objects {byType.Values.Sum(v => v.Bytes)} bytes reachable"));
    return 0;
}
catch (Exception e) when (e is ClrDiagnosticsException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"HeapHistogram: cannot read process {pid}: {e.Message}");
    return 1;
}
