using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Pantau.Data.Identity;

/// <summary>
/// Per database (by connection string), a number that moves whenever a <see cref="PantauDbContext"/> saves a change to a user or an
/// API token. A cache of credential checks keeps an entry only while the epoch it was read under is current, so a revocation, a
/// disabled account or a changed role takes effect at once in this process. Other processes see it when their cache entries expire.
/// <para>
/// One registry per process, <see cref="Process"/>: every context on a database has to move the same number, whether the web app's,
/// a command-line verb's, one made outside dependency injection (seeding, tests) or another in-process host's on the same database
/// (two-instance tests), or a cache would keep a revoked credential. The web app registers <see cref="Process"/> as a singleton;
/// a <see cref="PantauDbContext"/> given none uses it too.
/// </para>
/// </summary>
public sealed class AccountEpochs
{
    /// <summary>The registry of this process.</summary>
    public static AccountEpochs Process { get; } = new();

    private readonly ConcurrentDictionary<string, StrongBox<long>> _epochs = new();

    private StrongBox<long> Of(string? connectionString) => _epochs.GetOrAdd(connectionString ?? "", _ => new StrongBox<long>());

    /// <summary>The current epoch of the database behind <paramref name="connectionString"/>.</summary>
    public long Current(string? connectionString) => Interlocked.Read(ref Of(connectionString).Value);

    /// <summary>Moves the epoch of the database behind <paramref name="connectionString"/>.</summary>
    public void Move(string? connectionString) => Interlocked.Increment(ref Of(connectionString).Value);
}
