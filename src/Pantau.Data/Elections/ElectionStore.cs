using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;

namespace Pantau.Data.Elections;

/// <summary>What an import or edit of an election changed.</summary>
public sealed record ElectionImportResult(string Code, bool Created, int ContestsAdded, int ContestsUpdated, int ContestsUnchanged, int Paslon)
{
    public override string ToString() =>
        $"{Code}: {(Created ? "created" : "updated")}; contests added {ContestsAdded}, updated {ContestsUpdated}, unchanged {ContestsUnchanged}; paslon {Paslon}";
}

/// <summary>
/// Reads and writes elections in the file format of <see cref="ElectionFile"/> (docs/elections.md): validates a file against the
/// region tree and the other elections, then creates or updates the election, its contests (by code) and their paslon (by number).
/// Every change goes through <see cref="PantauDbContext.SaveChangesAsync(CancellationToken)"/> and is audited.
/// </summary>
public sealed class ElectionStore(PantauDbContext db)
{
    /// <summary>The election files shipped with Pantau (embedded): the 2024 Sumatera Selatan Pilkada.</summary>
    public static ElectionFile Bundled(string name = "pilkada2024-sumsel.election.json")
    {
        using var stream = typeof(ElectionStore).Assembly.GetManifestResourceStream($"Pantau.Data.Elections.{name}")
            ?? throw new FileNotFoundException($"Embedded election file '{name}' not found.");
        using var reader = new StreamReader(stream);
        return ElectionFile.Parse(reader.ReadToEnd(), out var error) ?? throw new InvalidDataException($"{name}: {error}");
    }

    /// <summary>All the errors of a file against the database (regions, elections, contest codes used by other elections).</summary>
    public async Task<List<ElectionFileError>> ValidateAsync(ElectionFile file, CancellationToken ct = default)
    {
        var codes = RegionCodesOf(file);
        var known = (await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).Select(r => r.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var elections = (await db.Elections.AsNoTracking().Select(e => e.Code).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (file.Kind != ElectionKinds.Psu)
        {
            var errors = ElectionRules.Validate(file, known.Contains, elections.Contains);
            errors.AddRange(await ForeignContestCodesAsync(file, ct));
            return errors;
        }
        // A PSU: its contests are contests of the re-voted election, its TPS existing TPS.
        var original = await db.Elections.AsNoTracking().Where(e => e.Code == file.ReVotes).Select(e => (int?)e.Id).FirstOrDefaultAsync(ct);
        var originals = original is null ? [] : await db.Contests.AsNoTracking().Where(c => c.ElectionId == original)
            .ToDictionaryAsync(c => c.Code, c => (c.RegionCode, c.Kind), StringComparer.OrdinalIgnoreCase, ct);
        var regions = originals.ToDictionary(o => o.Key, o => o.Value.RegionCode, StringComparer.OrdinalIgnoreCase);
        // A PSU contest takes the kind and region of the contest it re-votes when the file leaves them out.
        file = file with
        {
            Contests = file.Contests?.Select(c => c?.Code is { } code && originals.TryGetValue(code, out var o)
                ? c with { Kind = c.Kind ?? Election.ContestKindText(o.Kind), Region = c.Region ?? o.RegionCode } : c!).ToList(),
        };
        var reVotedIkp = original is null ? null : await db.Elections.AsNoTracking().Where(e => e.Id == original).Select(e => e.IkpEdition).FirstOrDefaultAsync(ct);
        var psuErrors = ElectionRules.Validate(file, known.Contains, elections.Contains, code => regions.GetValueOrDefault(code), _ => reVotedIkp);
        var contests = file.Contests ?? [];
        var tps = contests.SelectMany(c => c?.Tps ?? []).Where(t => t is not null).Distinct().ToList();
        var existing = (await db.Tps.AsNoTracking().Where(t => tps.Contains(t.Code)).Select(t => t.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < contests.Count; i++)
            for (var j = 0; j < (contests[i]?.Tps?.Count ?? 0); j++)
                if (contests[i].Tps![j] is { } t && !existing.Contains(t) && psuErrors.All(e => e.Field != $"contests[{i}].tps[{j}]"))
                    psuErrors.Add(new($"contests[{i}].tps[{j}]", $"TPS '{t}' tidak ada / unknown TPS."));
        return psuErrors;
    }

    /// <summary>Contest codes of the file that belong to another election (codes are unique across elections).</summary>
    private async Task<List<ElectionFileError>> ForeignContestCodesAsync(ElectionFile file, CancellationToken ct)
    {
        var contests = file.Contests ?? [];
        var codes = contests.Where(c => c?.Code is not null).Select(c => c.Code!).ToList();
        var owners = await db.Contests.AsNoTracking().Where(c => codes.Contains(c.Code))
            .Join(db.Elections, c => c.ElectionId, e => e.Id, (c, e) => new { c.Code, Election = e.Code }).ToListAsync(ct);
        var result = new List<ElectionFileError>();
        for (var i = 0; i < contests.Count; i++)
            if (owners.FirstOrDefault(o => string.Equals(o.Code, contests[i]?.Code, StringComparison.OrdinalIgnoreCase)) is { } o
                && !string.Equals(o.Election, file.Code, StringComparison.OrdinalIgnoreCase))
                result.Add(new($"contests[{i}].code", $"Kode '{o.Code}' sudah dipakai pemilihan {o.Election} / code used by election {o.Election}."));
        return result;
    }

    public static HashSet<string> RegionCodesOf(ElectionFile file)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(file.Region)) codes.Add(file.Region);
        foreach (var c in file.Contests ?? [])
            if (c?.Region is { } r) codes.Add(r);
        return codes;
    }

    /// <summary>Validates and writes a file; returns the errors and writes nothing when there are any.</summary>
    public async Task<(ElectionImportResult? Result, List<ElectionFileError> Errors)> ImportAsync(ElectionFile file, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(file, ct);
        if (errors.Count > 0) return (null, errors);
        var result = await ApplyAsync(file, ct);
        await db.SaveChangesAsync(ct);
        return (result, []);
    }

    /// <summary>Stages the changes of a valid file (the caller saves). Region names are read for the default contest names.</summary>
    public async Task<ElectionImportResult> ApplyAsync(ElectionFile file, CancellationToken ct = default)
    {
        var codes = RegionCodesOf(file);
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var election = await db.Elections.Include(e => e.Contests).ThenInclude(c => c.Paslon).FirstOrDefaultAsync(e => e.Code == file.Code, ct);
        var created = election is null;
        var votingDate = DateOnly.ParseExact(file.VotingDate!, "yyyy-MM-dd");
        int? reVotes = string.IsNullOrEmpty(file.ReVotes) ? null
            : await db.Elections.Where(e => e.Code == file.ReVotes).Select(e => (int?)e.Id).FirstOrDefaultAsync(ct);
        if (election is null)
        {
            election = new Election { Code = file.Code!, Name = file.Name!.Trim() };
            db.Elections.Add(election);
        }
        var kind = Election.ParseKind(file.Kind!);
        var region = string.IsNullOrEmpty(file.Region) ? null : file.Region;
        var reVotedIkp = reVotes is null ? null : await db.Elections.Where(e => e.Id == reVotes).Select(e => e.IkpEdition).FirstOrDefaultAsync(ct);
        var ikp = ElectionRules.IkpEditionFor(file.Kind, file.Ikp, reVotedIkp);
        if (created || election.Name != file.Name!.Trim() || election.Kind != kind || election.VotingDate != votingDate || election.RegionCode != region
            || election.ReVotesElectionId != reVotes || election.Source != file.Source || election.Notes != file.Notes || election.IkpEdition != ikp)
        {
            election.Name = file.Name!.Trim(); election.Kind = kind; election.VotingDate = votingDate; election.RegionCode = region;
            election.ReVotesElectionId = reVotes; election.Source = file.Source; election.Notes = file.Notes; election.IkpEdition = ikp;
            election.Version++;
        }
        int added = 0, updated = 0, unchanged = 0;
        if (kind == ElectionKind.Psu)
        {
            // The re-voting TPS per contest; the contests themselves stay in the election re-voted.
            if (created) await db.SaveChangesAsync(ct); // the election's id
            var rows = await db.PsuTps.Where(t => t.ElectionId == election.Id).ToListAsync(ct);
            foreach (var entry in file.Contests ?? [])
            {
                var mine = rows.Where(r => string.Equals(r.ContestCode, entry.Code, StringComparison.OrdinalIgnoreCase)).ToList();
                var wanted = (entry.Tps ?? []).ToHashSet(StringComparer.Ordinal);
                var before = mine.Select(r => r.TpsCode).ToHashSet(StringComparer.Ordinal);
                if (before.SetEquals(wanted)) { unchanged++; continue; }
                if (before.Count == 0) added++; else updated++;
                db.PsuTps.RemoveRange(mine.Where(r => !wanted.Contains(r.TpsCode)));
                foreach (var t in wanted.Where(t => !before.Contains(t)).Order(StringComparer.Ordinal))
                    db.PsuTps.Add(new PsuTps { ElectionId = election.Id, ContestCode = entry.Code!.ToUpperInvariant(), TpsCode = t });
            }
            return new ElectionImportResult(election.Code, created, added, updated, unchanged, 0);
        }
        foreach (var entry in file.Contests ?? [])
        {
            var old = election.Contests.FirstOrDefault(c => string.Equals(c.Code, entry.Code, StringComparison.OrdinalIgnoreCase));
            if (old is null)
            {
                old = new Contest { Code = entry.Code!, RegionCode = entry.Region!, Name = "" };
                election.Contests.Add(old);
                added++;
                Apply(old, entry, votingDate, names);
            }
            else if (Apply(old, entry, votingDate, names)) updated++;
            else unchanged++;
        }
        // A contest whose voting day followed the election's old date keeps in step.
        foreach (var c in election.Contests) c.VotingDate = votingDate;
        return new ElectionImportResult(election.Code, created, added, updated, unchanged, election.Contests.Sum(c => c.Paslon.Count));
    }

    /// <summary>Copies a contest entry onto a contest; true when anything changed.</summary>
    private static bool Apply(Contest c, ContestEntry e, DateOnly votingDate, IReadOnlyDictionary<string, string> names)
    {
        var kind = Election.ParseContestKind(e.Kind!);
        var name = string.IsNullOrWhiteSpace(e.Name) ? ContestKinds.DefaultName(e.Kind!, names.GetValueOrDefault(e.Region!, e.Region!)) : e.Name.Trim();
        var incoming = (e.Paslon ?? []).Select(p => new Paslon
        {
            Number = p.Number!.Value, Candidate = p.Candidate!.Trim(), RunningMate = Blank(p.RunningMate), Alias = Blank(p.Alias), IsSynthetic = p.Synthetic,
        }).ToList();
        if (ElectionRules.HasKolomKosong(incoming.Count)) incoming.Add(new Paslon { Number = 0, Candidate = "Kolom kosong", IsKolomKosong = true });
        var synthetic = incoming.Any(p => p.IsSynthetic);
        var changed = c.Kind != kind || c.RegionCode != e.Region || c.Name != name || c.Notes != Blank(e.Notes) || c.HasSyntheticPaslon != synthetic || c.VotingDate != votingDate;
        c.Kind = kind; c.RegionCode = e.Region!; c.Name = name; c.Notes = Blank(e.Notes); c.HasSyntheticPaslon = synthetic; c.VotingDate = votingDate;
        foreach (var gone in c.Paslon.Where(p => incoming.All(i => i.Number != p.Number)).ToList()) { c.Paslon.Remove(gone); changed = true; }
        foreach (var p in incoming)
        {
            var op = c.Paslon.FirstOrDefault(x => x.Number == p.Number);
            if (op is null) { c.Paslon.Add(p); changed = true; continue; }
            if (op.Candidate != p.Candidate || op.RunningMate != p.RunningMate || op.Alias != p.Alias || op.IsSynthetic != p.IsSynthetic || op.IsKolomKosong != p.IsKolomKosong)
            {
                op.Candidate = p.Candidate; op.RunningMate = p.RunningMate; op.Alias = p.Alias; op.IsSynthetic = p.IsSynthetic; op.IsKolomKosong = p.IsKolomKosong;
                changed = true;
            }
        }
        c.Paslon = c.Paslon.OrderBy(p => p.IsKolomKosong).ThenBy(p => p.Number).ToList();
        return changed;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>An election in the file format (the export; importing it again changes nothing).</summary>
    public async Task<ElectionFile?> ExportAsync(string code, CancellationToken ct = default)
    {
        var e = await db.Elections.AsNoTracking().Include(x => x.Contests).ThenInclude(c => c.Paslon).FirstOrDefaultAsync(x => x.Code == code, ct);
        if (e is null) return null;
        var reVotes = e.ReVotesElectionId is { } id ? await db.Elections.AsNoTracking().Where(x => x.Id == id).Select(x => x.Code).FirstOrDefaultAsync(ct) : null;
        if (e.Kind == ElectionKind.Psu)
        {
            var rows = await db.PsuTps.AsNoTracking().Where(t => t.ElectionId == e.Id).ToListAsync(ct);
            var codes = rows.Select(r => r.ContestCode).Distinct().ToList();
            var originals = await db.Contests.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, ct);
            return new ElectionFile
            {
                Format = ElectionFile.CurrentFormat, Code = e.Code, Name = e.Name, Kind = Election.KindText(e.Kind),
                VotingDate = e.VotingDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Region = e.RegionCode, ReVotes = reVotes, Ikp = e.IkpEdition, Source = e.Source, Notes = e.Notes,
                Contests = rows.GroupBy(r => r.ContestCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ContestEntry
                {
                    Code = g.Key, Kind = originals.TryGetValue(g.Key, out var o) ? Election.ContestKindText(o.Kind) : null,
                    Region = originals.GetValueOrDefault(g.Key)?.RegionCode, Name = originals.GetValueOrDefault(g.Key)?.Name,
                    Tps = g.Select(r => r.TpsCode).Order(StringComparer.Ordinal).ToList(),
                }).ToList(),
            };
        }
        return new ElectionFile
        {
            Format = ElectionFile.CurrentFormat, Code = e.Code, Name = e.Name, Kind = Election.KindText(e.Kind),
            VotingDate = e.VotingDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Region = e.RegionCode, ReVotes = reVotes, Ikp = e.IkpEdition, Source = e.Source, Notes = e.Notes,
            Contests = e.Contests.OrderBy(c => c.RegionCode.Length).ThenBy(c => c.RegionCode, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal)
                .Select(c => new ContestEntry
                {
                    Code = c.Code, Kind = Election.ContestKindText(c.Kind), Region = c.RegionCode, Name = c.Name, Notes = c.Notes,
                    Paslon = c.Paslon.Where(p => !p.IsKolomKosong).OrderBy(p => p.Number).Select(p => new PaslonEntry
                    {
                        Number = p.Number, Candidate = p.Candidate, RunningMate = p.RunningMate, Alias = p.Alias, Synthetic = p.IsSynthetic,
                    }).ToList(),
                }).ToList(),
        };
    }
}
