using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Storage;

namespace Pantau.Web.Tally;

/// <summary>
/// The public recap responses of the busy levels (province, kab/kota, kecamatan) kept ready as bytes with their ETag, so that
/// reads stay fast while sheets pour in: a read serves memory and never waits for the database.
/// <list type="bullet">
/// <item>Writes of this instance rebuild the entries they touched <em>before</em> the writer gets its answer
/// (<see cref="RefreshAsync"/>), so a client that has been told "accepted" then reads totals that include its sheet.
/// Until the rebuild is done, other readers get the previous totals (consistent, a few milliseconds old).</item>
/// <item>Writes of other instances arrive as live events (PostgreSQL LISTEN/NOTIFY): the entries are marked stale and rebuilt
/// in the background; a stale entry is still served meanwhile.</item>
/// <item>No entry is served without a check against the database older than <c>Pantau:Tally:RecapCacheSeconds</c> (default 2 s;
/// 0 turns the cache off), so even a lost event cannot leave totals behind for longer. An entry read past half that age is
/// refreshed in the background (refresh ahead), so steady readers do not wait for it; the web endpoint starts that refresh only
/// once its response has been sent, so the read that starts it does not share the CPU with it.</item>
/// <item>A refresh first reads the version of the region's own counter row, which every write below the region bumps in its
/// transaction. When it has not moved, the entry is kept and only its age is reset (one indexed lookup instead of a rebuild).</item>
/// </list>
/// Desa and TPS levels, read rarely and by few, are not cached.
/// </summary>
public sealed class RecapCache(IServiceScopeFactory scopes, TallyReference reference, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider clock, IConfiguration config, BulkLane lane, IHostApplicationLifetime lifetime, ILogger<RecapCache> log)
{
    /// <summary>The serialized answer of the API, its ETag, and the recap itself (the results page renders from it).</summary>
    public sealed record Response(byte[] Bytes, string ETag, RecapDto Recap);

    private sealed class Entry
    {
        public required Response Value;
        public long BuiltAt;
        public long Generation;
        public int Stale;
        public int Refreshing;
        /// <summary>The version of the region's own counter row when the entry was built (0: no row yet).</summary>
        public long RowVersion;
    }

    private readonly ConcurrentDictionary<(string Contest, string Region), Entry> _entries = new();
    private long _generation;
    private readonly TimeSpan _maxAge = TimeSpan.FromSeconds(config.GetValue("Pantau:Tally:RecapCacheSeconds", 2.0));

    /// <summary>Province, kab/kota and kecamatan codes (the levels whose change the tally events name).</summary>
    public static bool Cacheable(string region) => region.Contains('.') ? region.Length <= 8 && RegionCode.IsValid(region) : region.Length == 2 && RegionCode.IsValid(region);

    public int Count => _entries.Count;

    /// <summary>The response for a recap, or null when the contest or region does not exist. A refresh ahead is started through
    /// <paramref name="afterResponse"/> when given (the web endpoint runs it once the response is sent), else at once.</summary>
    public async Task<Response?> GetAsync(string contest, string region, CancellationToken ct, Action<Action>? afterResponse = null)
    {
        if (_maxAge <= TimeSpan.Zero || !Cacheable(region)) return (await BuildAsync(contest, region, ct)).Response;
        var key = (contest, region);
        if (_entries.TryGetValue(key, out var e))
        {
            var age = clock.GetUtcNow().UtcTicks - e.BuiltAt;
            if (age <= _maxAge.Ticks)
            {
                // Refresh ahead: past half its life (or when marked stale) an entry that is being read is refreshed in the background,
                // so a steady reader never waits for the database; only a read after a quiet spell longer than the limit does.
                if (Volatile.Read(ref e.Stale) == 1 || age > _maxAge.Ticks / 2)
                {
                    if (afterResponse is null) RefreshInBackground(key, e);
                    else afterResponse(() => RefreshInBackground(key, e));
                }
                return e.Value;
            }
            return await RevalidateAsync(key, e, ct);
        }
        return await RebuildAsync(key, ct);
    }

    /// <summary>After a local write: rebuilds the cached entries of <paramref name="regions"/> now.</summary>
    public async Task RefreshAsync(string contest, IEnumerable<string> regions, CancellationToken ct)
    {
        foreach (var region in regions)
        {
            if (_entries.ContainsKey((contest, region))) await RebuildAsync((contest, region), ct);
        }
    }

    /// <summary>After a write elsewhere: keeps serving the entries but rebuilds them in the background.</summary>
    public void MarkStale(string contest, IEnumerable<string> regions)
    {
        foreach (var region in regions)
            if (_entries.TryGetValue((contest, region), out var e))
            {
                Volatile.Write(ref e.Stale, 1);
                RefreshInBackground((contest, region), e);
            }
    }

    private void RefreshInBackground((string Contest, string Region) key, Entry e)
    {
        if (Interlocked.Exchange(ref e.Refreshing, 1) == 1) return;
        // On the bulk lane, below the request threads: a background rebuild (a few database reads and a serialisation) must not take
        // a core from the reads it serves.
        _ = lane.RunAsync(async () =>
        {
            try
            {
                await RevalidateAsync(key, e, CancellationToken.None);
            }
            catch (Exception ex)
            {
                Volatile.Write(ref e.Refreshing, 0);
                // A rebuild still pending when the app stops finds its services gone: not worth a warning.
                if (!lifetime.ApplicationStopping.IsCancellationRequested)
                    log.LogWarning(ex, "Rebuilding the recap of {Contest}/{Region} failed", key.Contest, key.Region);
            }
        });
    }

    /// <summary>Reads the recap and stores it unless a rebuild that started later has stored its own already
    /// (two writers finishing in the other order must not leave the older totals behind).</summary>
    private async Task<Response?> RebuildAsync((string Contest, string Region) key, CancellationToken ct)
    {
        var generation = Interlocked.Increment(ref _generation);
        var started = clock.GetUtcNow().UtcTicks;
        var (built, rowVersion) = await BuildAsync(key.Contest, key.Region, ct);
        if (built is null) { _entries.TryRemove(key, out _); return null; }
        Store(key, new Entry { Value = built, BuiltAt = started, Generation = generation, RowVersion = rowVersion });
        return built;
    }

    /// <summary>Keeps <paramref name="e"/> (its age reset) when it is not marked stale and its counter row has not moved, else rebuilds.</summary>
    private async Task<Response?> RevalidateAsync((string Contest, string Region) key, Entry e, CancellationToken ct) =>
        Volatile.Read(ref e.Stale) == 0 && await KeepIfUnchangedAsync(key, e, ct) ? e.Value : await RebuildAsync(key, ct);

    private void Store((string Contest, string Region) key, Entry entry) =>
        _entries.AddOrUpdate(key, entry, (_, old) => old.Generation > entry.Generation ? old : entry);

    /// <summary>
    /// When the region's own counter row still has the version <paramref name="e"/> was built from, nothing below the region has
    /// changed since: the entry is stored again as new (its age reset) and true is returned.
    /// </summary>
    private async Task<bool> KeepIfUnchangedAsync((string Contest, string Region) key, Entry e, CancellationToken ct)
    {
        var generation = Interlocked.Increment(ref _generation);
        var started = clock.GetUtcNow().UtcTicks;
        if (!(await reference.ContestsAsync(ct)).TryGetValue(key.Contest, out var contest)) return false;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var version = await db.TallyRecaps.AsNoTracking().Where(r => r.ContestCode == contest.Code && r.RegionCode == key.Region)
            .Select(r => r.Version).FirstOrDefaultAsync(ct);
        if (version != e.RowVersion) return false;
        Store(key, new Entry { Value = e.Value, BuiltAt = started, Generation = generation, RowVersion = version });
        return true;
    }

    private async Task<(Response? Response, long RowVersion)> BuildAsync(string contest, string region, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var rowVersion = new System.Runtime.CompilerServices.StrongBox<long>();
        var recap = await TallyQueries.RecapAsync(db, reference, contest, region, ct, rowVersion);
        if (recap is null) return (null, 0);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(recap, json.Value.SerializerOptions);
        return (new Response(bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"", recap), rowVersion.Value);
    }
}

/// <summary>Marks cached recaps stale when another instance reports changed totals (events of this instance were refreshed already).</summary>
public sealed class RecapCacheInvalidator(LiveHub hub, RecapCache cache, ILogger<RecapCacheInvalidator> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (hub is PgLiveHub) hub.Observe(OnEvent); // with one instance every write is local
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnEvent(LiveEvent e)
    {
        if (!e.Topic.StartsWith("tally:", StringComparison.Ordinal) || e.Type != "totals") return;
        try
        {
            using var doc = JsonDocument.Parse(e.Json);
            if (doc.RootElement.TryGetProperty("contest", out var c) && c.GetString() is { } contest &&
                doc.RootElement.TryGetProperty("regions", out var regions) && regions.ValueKind == JsonValueKind.Array)
                cache.MarkStale(contest, regions.EnumerateArray().Select(r => r.GetString() ?? "").ToList());
        }
        catch (JsonException ex)
        {
            log.LogDebug(ex, "Ignoring a tally event that is not a totals notice");
        }
    }
}
