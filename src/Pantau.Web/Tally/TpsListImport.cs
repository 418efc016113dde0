using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Auditing;
using Pantau.Data.Regions;

namespace Pantau.Web.Tally;

public sealed record TpsListResult(bool Ok, int Status, IReadOnlyList<ImportProblem> Errors, int Tps = 0, int WithDpt = 0, int SynthesizedDpt = 0, int Removed = 0)
{
    public IReadOnlyList<ImportProblem> Warnings { get; init; } = [];
}

/// <summary>
/// The official TPS list with DPT (issue 21 point 3): replaces the TPS of every desa the file names (TPS of those desa that the file
/// does not list are removed; desa the file does not name keep theirs, synthesized or not). A TPS the file gives without DPT gets the
/// mean DPT of the file's TPS in its kecamatan (else of the whole file) and stays marked <c>sintetis</c>. Bad rows (unknown desa,
/// duplicate TPS, L + P not equal to the total, negative numbers) are reported as <c>file:line: message</c> and nothing is written.
/// </summary>
public sealed class TpsListImport(PantauDbContext db, TallyReference reference, TimeProvider clock)
{
    /// <param name="dptErrorIsAbsent">See <see cref="TpsListRows.Read(int, IReadOnlyDictionary{string, int}, IReadOnlyList{string}, bool, out string?)"/>
    /// (CLI <c>--dpt-errors synthesize</c>, API <c>?dptErrors=synthesize</c>).</param>
    public async Task<TpsListResult> ImportAsync(Actor actor, TextReader csv, string fileName, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default,
        bool dptErrorIsAbsent = false, string? region = null)
    {
        var warnings = new List<ImportProblem>();
        TpsListResult Fail(int status, int line, string m) => new(false, status, [new(fileName, line, m)]);
        var headerLine = await csv.ReadLineAsync(ct);
        if (headerLine is null) return Fail(400, 1, "berkas kosong / the file is empty");
        var (index, problem) = TpsListRows.Bind(SourceResults.Split(headerLine, ','));
        if (problem is not null) return Fail(400, 1, problem);
        var errors = new List<ImportProblem>();
        var rows = new List<TpsListRow>();
        var line = 1;
        while (await csv.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var (row, error) = TpsListRows.Read(line, index, SourceResults.Split(text, ','), dptErrorIsAbsent, out var warning);
            if (warning is not null) warnings.Add(new(fileName, line, warning));
            if (error is not null) errors.Add(new(fileName, line, error));
            else rows.Add(row!);
        }
        // Scope before the rest: every desa of the file must be inside the actor's region.
        if (rows.FirstOrDefault(r => !actor.Covers(r.DesaCode) || (region is not null && !RegionCode.IsWithin(r.DesaCode, region))) is { } outside)
            return Fail(403, outside.Line, $"desa {outside.DesaCode} di luar wilayah tugas Anda ({actor.ScopeCode}) / desa {outside.DesaCode} is outside your region ({actor.ScopeCode})");
        var desaCodes = rows.Select(r => r.DesaCode).Distinct().ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in desaCodes.Chunk(5000))
            known.UnionWith(await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.Desa && EF.Parameter(part).Contains(r.Code)).Select(r => r.Code).ToListAsync(ct));
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (!known.Contains(r.DesaCode)) errors.Add(new(fileName, r.Line, $"desa {r.DesaCode} tidak dikenal / unknown desa {r.DesaCode}"));
            else if (seen.TryGetValue(r.Code, out var first)) errors.Add(new(fileName, r.Line, $"TPS {r.Code} ganda (baris {first}) / TPS {r.Code} appears twice (line {first})"));
            else seen[r.Code] = r.Line;
        }
        if (errors.Count > 0) return new(false, 400, errors.OrderBy(e => e.Line).ToList());

        // DPT where the file has none: the mean of its kecamatan's listed TPS (else of the file), marked synthesized.
        var withDpt = rows.Where(r => r.Dpt is not null).ToList();
        var overall = withDpt.Count == 0 ? 0 : (int)Math.Round(withDpt.Average(r => r.Dpt!.Value));
        var perKecamatan = withDpt.GroupBy(r => r.DesaCode[..8]).ToDictionary(g => g.Key, g => (int)Math.Round(g.Average(r => r.Dpt!.Value)));
        var tps = rows.Select(r =>
        {
            var dpt = r.Dpt ?? perKecamatan.GetValueOrDefault(r.DesaCode[..8], overall);
            return new Tps
            {
                Code = r.Code, DesaCode = r.DesaCode, KecamatanCode = r.DesaCode[..8], KabKotaCode = r.DesaCode[..5], Number = r.Number,
                Dpt = dpt, DptMale = r.DptL ?? dpt / 2, DptFemale = r.DptP ?? dpt - dpt / 2, IsSynthetic = r.Dpt is null,
            };
        }).ToList();
        var removed = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var auto = db.ChangeTracker.AutoDetectChangesEnabled;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AuditEnabled = false;
            try
            {
                removed = 0;
                foreach (var part in desaCodes.Chunk(2000))
                    removed += await db.Tps.Where(t => EF.Parameter(part).Contains(t.DesaCode)).ExecuteDeleteAsync(ct);
                for (var i = 0; i < tps.Count; i += 1000)
                {
                    db.Tps.AddRange(tps.Skip(i).Take(1000));
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    progress?.Report((Math.Min(i + 1000, tps.Count), tps.Count));
                }
                var audit = new AuditEntry
                {
                    At = clock.GetUtcNow(), UserId = actor.UserId, UserName = actor.UserName, Action = "Import", EntityType = "TpsList", EntityKey = fileName,
                    After = JsonSerializer.Serialize(new { tps = tps.Count, withDpt = withDpt.Count, synthesizedDpt = tps.Count - withDpt.Count, desa = desaCodes.Count, replaced = removed }),
                };
                AuditAppend.Seal(audit, await AuditAppend.LockTailAsync(db, ct));
                db.AuditEntries.Add(audit);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            finally
            {
                db.AuditEnabled = true;
                db.ChangeTracker.AutoDetectChangesEnabled = auto;
                db.ChangeTracker.Clear();
            }
        });
        reference.Invalidate();
        return new(true, 200, [], tps.Count, withDpt.Count, tps.Count - withDpt.Count, Math.Max(0, removed - tps.Count)) { Warnings = warnings };
    }

    internal static async Task<int> Command(WebApplication app, string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith('-')) { Console.Error.WriteLine("usage: import-tps FILE.csv [--dpt-errors synthesize]"); return 2; }
        var mode = Infrastructure.Commands.Option(args, "--dpt-errors");
        if (mode is not (null or "synthesize")) { Console.Error.WriteLine("--dpt-errors takes 'synthesize'"); return 2; }
        var lenient = mode == "synthesize";
        var path = args[0];
        if (!File.Exists(path)) { Console.Error.WriteLine($"{path}: file not found"); return 2; }
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PantauDbContext>().Database.MigrateAsync();
        var import = scope.ServiceProvider.GetRequiredService<TpsListImport>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        var result = await import.ImportAsync(Actor.System, reader, path, new Progress<(int Done, int Total)>(p => Console.Error.Write($"\r  {p.Done}/{p.Total} TPS written")), default, lenient);
        Console.Error.WriteLine();
        if (!result.Ok)
        {
            foreach (var e in result.Errors) Console.Error.WriteLine(e);
            Console.Error.WriteLine($"{result.Errors.Count} error(s); nothing was written.");
            return 1;
        }
        foreach (var w in result.Warnings) Console.Error.WriteLine($"{w.File}:{w.Line}: warning: {w.Message}");
        Console.WriteLine($"Imported {result.Tps} TPS ({result.WithDpt} with DPT from the file, {result.SynthesizedDpt} with synthesized DPT, marked sintetis).");
        return 0;
    }
}
