using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Web.Readiness;
using Pantau.Web.Tally;

namespace Pantau.Web.Elections;

/// <summary>One election as lists show it.</summary>
public sealed record ElectionInfo(string Code, string Name, string Kind, DateOnly VotingDate, string? Region, string? ReVotes, int Contests, bool IsCurrent);

/// <summary>What <c>_ElectionBar</c> shows: the election a page shows, the others to choose from, and the page's other query values to keep.</summary>
public sealed record ElectionBar(ElectionCatalog.Entry? Selected, IReadOnlyList<ElectionInfo> All, string Path, IReadOnlyList<(string Name, string Value)> Keep)
{
    public static async Task<ElectionBar> ForAsync(ElectionCatalog catalog, ElectionCatalog.Entry? selected, string path, CancellationToken ct,
        params (string Name, string? Value)[] keep) =>
        new(selected, await catalog.InfosAsync(ct), path, keep.Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => (k.Name, k.Value!)).ToList());
}

/// <summary>A new election (the election fields of the file format, without contests).</summary>
public sealed record NewElection(string? Code, string? Name, string? Kind, string? VotingDate, string? Region, string? ReVotes, string? Source = null, string? Notes = null,
    string? Ikp = null);

/// <summary>
/// The elections side by side (cached for the process; <see cref="Invalidate"/> after a change) and the current one:
/// the next whose voting day is today (WIB) or later, else the latest (<see cref="CurrentElection.Choose"/>).
/// </summary>
public sealed class ElectionCatalog(IServiceScopeFactory scopes, TimeProvider time)
{
    public sealed record Entry(int Id, string Code, string Name, ElectionKind Kind, DateOnly VotingDate, string? Region, string? ReVotes,
        IReadOnlyList<string> ContestCodes)
    {
        /// <summary>The key of the IKP edition of the election (docs/incidents.md, "Kerawanan index").</summary>
        public string Ikp { get; init; } = Core.Incidents.IkpEditions.Pilkada2024Key;
    }

    private volatile IReadOnlyList<Entry>? _all;

    public async Task<IReadOnlyList<Entry>> AllAsync(CancellationToken ct = default)
    {
        if (_all is { } all) return all;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var elections = await db.Elections.AsNoTracking().ToListAsync(ct);
        var contests = await db.Contests.AsNoTracking().Select(c => new { c.ElectionId, c.Code }).ToListAsync(ct);
        var codes = elections.ToDictionary(e => e.Id, e => e.Code);
        return _all = elections.OrderBy(e => e.VotingDate).ThenBy(e => e.Code, StringComparer.Ordinal)
            .Select(e => new Entry(e.Id, e.Code, e.Name, e.Kind, e.VotingDate, e.RegionCode,
                e.ReVotesElectionId is { } r ? codes.GetValueOrDefault(r) : null,
                contests.Where(c => c.ElectionId == e.Id).Select(c => c.Code).Order(StringComparer.Ordinal).ToList()) { Ikp = e.IkpEdition })
            .ToList();
    }

    public void Invalidate() { _all = null; _revoted = null; }

    /// <summary>A TPS re-voting a contest in a PSU election.</summary>
    public sealed record Revote(string ContestCode, string TpsCode, string ElectionCode, DateOnly VotingDate);

    private volatile IReadOnlyList<Revote>? _revoted;

    /// <summary>
    /// The re-voted TPS of a contest whose PSU voting day has come (today, WIB, or earlier): their PSU sheet replaces the counted one.
    /// With <paramref name="includeComing"/> also the PSU still to come.
    /// </summary>
    public async Task<IReadOnlyList<Revote>> RevotedAsync(string contestCode, bool includeComing = false, CancellationToken ct = default)
    {
        var all = _revoted;
        if (all is null)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
            var elections = (await AllAsync(ct)).ToDictionary(e => e.Id);
            var rows = await db.PsuTps.AsNoTracking().ToListAsync(ct);
            _revoted = all = rows.Where(r => elections.ContainsKey(r.ElectionId))
                .Select(r => new Revote(r.ContestCode, r.TpsCode, elections[r.ElectionId].Code, elections[r.ElectionId].VotingDate)).ToList();
        }
        var today = Today;
        return all.Where(r => string.Equals(r.ContestCode, contestCode, StringComparison.OrdinalIgnoreCase) && (includeComing || r.VotingDate <= today))
            .OrderBy(r => r.TpsCode, StringComparer.Ordinal).ToList();
    }

    public DateOnly Today => Core.Readiness.Schedule.Today(time.GetUtcNow());

    public async Task<Entry?> CurrentAsync(CancellationToken ct = default) =>
        CurrentElection.Choose(await AllAsync(ct), e => e.VotingDate, e => e.Code, Today);

    /// <summary>
    /// The election asked for by <c>?election=CODE</c>, or when none is asked for the current one among those that concern
    /// <paramref name="region"/> (national ones, those of the region, of its province or of a kab/kota inside it), else the current one.
    /// Null when the code is unknown.
    /// </summary>
    public async Task<Entry?> ResolveAsync(string? code, CancellationToken ct = default, string? region = null)
    {
        var all = await AllAsync(ct);
        if (!string.IsNullOrWhiteSpace(code)) return all.FirstOrDefault(e => string.Equals(e.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrEmpty(region))
        {
            var concerned = all.Where(e => e.Region is null || Core.Regions.RegionCode.IsWithin(region, e.Region) || Core.Regions.RegionCode.IsWithin(e.Region, region)).ToList();
            if (CurrentElection.Choose(concerned, e => e.VotingDate, e => e.Code, Today) is { } mine) return mine;
        }
        return CurrentElection.Choose(all, e => e.VotingDate, e => e.Code, Today);
    }

    /// <summary>The election a contest belongs to.</summary>
    public async Task<Entry?> OfContestAsync(string contestCode, CancellationToken ct = default) =>
        (await AllAsync(ct)).FirstOrDefault(e => e.ContestCodes.Contains(contestCode, StringComparer.OrdinalIgnoreCase));

    public async Task<List<ElectionInfo>> InfosAsync(CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        return (await AllAsync(ct)).Select(e => new ElectionInfo(e.Code, e.Name, Election.KindText(e.Kind), e.VotingDate, e.Region, e.ReVotes,
            e.ContestCodes.Count, e.Code == current?.Code)).ToList();
    }
}

/// <summary>
/// Setting elections up (Admin, Desk provinsi and Desk kab/kota within their scope): create an election, add or edit a contest with its
/// region and paslon, import an election file. The region scope is checked before the input is validated; every change is audited
/// (through SaveChanges). Used by the API, the page <c>/admin/pemilihan</c> and the CLI verbs.
/// </summary>
public sealed class ElectionSetup(PantauDbContext db, ElectionCatalog catalog, TallyReference tally, RegionTreeCache trees)
{
    public static readonly Role[] Roles = RoleGroups.Desk;

    private static Failure OutOfScope(string? region) => region is null
        ? new Failure(403, "Di luar wilayah / out of scope", "Pemilihan nasional hanya dapat diatur Admin / only an Admin sets up a national election.")
        : Failure.Forbidden(region);

    /// <summary>
    /// A wholly empty form (no region, no name or code) from an account with a regional scope: missing fields, not a request for a national
    /// election (a named one with no region stays a 403 from <see cref="OutOfScope"/>).
    /// </summary>
    private static Failure RegionRequired(string field) =>
        Failure.Invalid(new() { [field] = ["Wilayah wajib diisi (wilayah dalam cakupan akun Anda) / the region is required (one inside your scope)."] });

    private static Failure Invalid(IEnumerable<ElectionFileError> errors) =>
        Failure.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static bool May(Actor actor, string? region) => actor.IsIn(Roles) && actor.Covers(region ?? "");

    /// <summary>Whether the actor may change the election (its region in scope; a national one only for a national Admin).</summary>
    public static bool MayEdit(Actor actor, string? electionRegion) => May(actor, string.IsNullOrEmpty(electionRegion) ? null : electionRegion);

    public async Task<(ElectionImportResult? Result, Failure? Error)> CreateAsync(Actor actor, NewElection input, CancellationToken ct = default)
    {
        var region = string.IsNullOrWhiteSpace(input.Region) ? null : input.Region.Trim();
        if (region is null && string.IsNullOrWhiteSpace(input.Name) && string.IsNullOrWhiteSpace(input.Code) && actor.ScopeCode.Length > 0)
            return (null, RegionRequired("region"));
        if (!May(actor, region)) return (null, OutOfScope(region));
        if (input.Code is not null && await db.Elections.AnyAsync(e => e.Code == input.Code.Trim(), ct))
            return (null, new Failure(409, "Sudah ada / exists", $"Pemilihan '{input.Code}' sudah ada / election '{input.Code}' already exists."));
        var file = new ElectionFile
        {
            Format = ElectionFile.CurrentFormat, Code = input.Code?.Trim(), Name = input.Name, Kind = input.Kind?.Trim().ToLowerInvariant(),
            VotingDate = input.VotingDate?.Trim(), Region = region, ReVotes = string.IsNullOrWhiteSpace(input.ReVotes) ? null : input.ReVotes.Trim(),
            Ikp = string.IsNullOrWhiteSpace(input.Ikp) ? null : input.Ikp.Trim(), Source = input.Source, Notes = input.Notes, Contests = [],
        };
        return await WriteAsync(file, ct);
    }

    /// <summary>
    /// Adds the contest, or replaces the one of the same code (its region, name and paslon list). The scope is the contest's: a Desk
    /// kab/kota sets up the bupati race of its kab/kota inside the province's Pilkada, a Desk provinsi its PPWP count inside a national Pemilu.
    /// </summary>
    public async Task<(ElectionImportResult? Result, Failure? Error)> PutContestAsync(Actor actor, string electionCode, ContestEntry contest, CancellationToken ct = default)
    {
        var current = await new ElectionStore(db).ExportAsync(electionCode, ct);
        if (current is null) return (null, Failure.NotFound($"Pemilihan '{electionCode}' tidak ada / election not found."));
        var index = current.Contests!.FindIndex(c => string.Equals(c.Code, contest.Code, StringComparison.OrdinalIgnoreCase));
        if (index >= 0 && !May(actor, current.Contests[index].Region)) return (null, OutOfScope(current.Contests[index].Region));
        var region = string.IsNullOrWhiteSpace(contest.Region) ? null : contest.Region;
        if (region is null && string.IsNullOrWhiteSpace(contest.Code) && string.IsNullOrWhiteSpace(contest.Kind) && actor.ScopeCode.Length > 0)
            return (null, RegionRequired("region"));
        if (!May(actor, region)) return (null, OutOfScope(region));
        var contests = current.Contests.ToList();
        if (index >= 0) contests[index] = contest; else contests.Add(contest);
        var at = index >= 0 ? index : contests.Count - 1;
        return await WriteAsync(current with { Contests = contests }, ct, field => field.StartsWith($"contests[{at}]", StringComparison.Ordinal));
    }

    /// <summary>Whether the actor may add or change a contest of <paramref name="region"/>.</summary>
    public static bool MayEditContest(Actor actor, string? region) => May(actor, region);

    /// <summary>Imports a whole file (creates the election or updates it and its contests).</summary>
    public async Task<(ElectionImportResult? Result, Failure? Error)> ImportAsync(Actor actor, ElectionFile file, CancellationToken ct = default)
    {
        var region = string.IsNullOrEmpty(file.Region) ? null : file.Region;
        if (!May(actor, region)) return (null, OutOfScope(region));
        foreach (var c in file.Contests ?? [])
            if (c?.Region is { Length: > 0 } r && !May(actor, r)) return (null, OutOfScope(r));
        var existing = file.Code is null ? null : await db.Elections.AsNoTracking().Where(e => e.Code == file.Code).Select(e => new { e.RegionCode }).FirstOrDefaultAsync(ct);
        if (existing is not null && !MayEdit(actor, existing.RegionCode)) return (null, OutOfScope(existing.RegionCode));
        return await WriteAsync(file, ct);
    }

    /// <summary>Parses the text of a file and imports it; a file that is not JSON of the format is a 400 with its line.</summary>
    public async Task<(ElectionImportResult? Result, Failure? Error)> ImportTextAsync(Actor actor, string text, CancellationToken ct = default)
    {
        var file = ElectionFile.Parse(text, out var error);
        if (file is null) return (null, Failure.Invalid(new() { ["file"] = [$"Berkas pemilihan tidak terbaca / unreadable election file: {error}"] }));
        return await ImportAsync(actor, file, ct);
    }

    private async Task<(ElectionImportResult?, Failure?)> WriteAsync(ElectionFile file, CancellationToken ct, Func<string, bool>? relevant = null)
    {
        var store = new ElectionStore(db);
        var errors = await store.ValidateAsync(file, ct);
        if (relevant is not null && errors.Count > 0 && errors.Any(e => relevant(e.Field)))
            errors = errors.Where(e => relevant(e.Field)).Select(e => e with { Field = "contest" + e.Field[(e.Field.IndexOf('.') is var i and > 0 ? i : e.Field.Length)..] }).ToList();
        if (errors.Count > 0) return (null, Invalid(errors));
        var result = await store.ApplyAsync(file, ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return (null, new Failure(409, "Konflik / conflict", "Pemilihan diubah bersamaan; coba lagi / changed concurrently; try again.")); }
        Changed();
        return (result, null);
    }

    private void Changed()
    {
        catalog.Invalidate();
        tally.Invalidate();
        trees.Invalidate();
    }
}
