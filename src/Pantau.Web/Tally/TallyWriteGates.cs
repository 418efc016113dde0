using System.Collections.Concurrent;

namespace Pantau.Web.Tally;

/// <summary>
/// One gate per database (by connection string) that the tally writers of this process take in turn (<see cref="TallyService"/>):
/// in one process a chunk never races another chunk for the same rows, so it does not roll back and retry (across processes the
/// concurrency tokens and the log's primary key keep the counters right, at the cost of those retries).
/// <para>
/// One registry per process, <see cref="Process"/>, which the tally module registers as a singleton: two hosts in one process on
/// the same database (the two-instance tests, a read and an ingest instance in the benchmark) share the gate, as one process should.
/// </para>
/// </summary>
public sealed class TallyWriteGates
{
    /// <summary>The registry of this process.</summary>
    public static TallyWriteGates Process { get; } = new();

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    /// <summary>The gate of the database behind <paramref name="connectionString"/>.</summary>
    public SemaphoreSlim For(string? connectionString) => _gates.GetOrAdd(connectionString ?? "", _ => new SemaphoreSlim(1, 1));
}
