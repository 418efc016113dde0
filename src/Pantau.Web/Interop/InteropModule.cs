using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Interop;

/// <summary>Standard formats for other tools: results in NIST SP 1500-100 (Election Results Common Data Format v2, JSON).</summary>
public sealed class InteropModule : IPantauModule
{
    /// <summary>The tahapan stage whose end marks the declaration of the result (penetapan hasil): after it a complete count is certified.</summary>
    public const string DeclarationStage = "penetapan-hasil";

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/results").WithTags("Results (standards)");
        g.MapGet("/{contest}/nist-1500-100.json", Nist).RequireRateLimiting(RateLimits.PublicApi)
            .WithSummary("Results of one contest in NIST SP 1500-100 (Election Results CDF v2, JSON)")
            .WithDescription("ElectionReport with the election, the contest and its paslon, GpUnits from the contest's region down to every TPS "
                + "(ExternalIdentifier: Kemendagri / KPU codes), vote counts per TPS and rolled up, Status (unofficial-partial, unofficial-complete, "
                + "certified) and the publication sequence (ExternalIdentifier 'publication-sequence': the tally log position).");
    }

    internal static async Task<Results<JsonHttpResult<System.Text.Json.Nodes.JsonObject>, ProblemHttpResult>> Nist(
        PantauDbContext db, TallyReference reference, TimeProvider time, string contest, CancellationToken ct)
    {
        var contests = await reference.ContestsAsync(ct);
        if (!contests.TryGetValue(contest, out var c))
            return TypedResults.Problem($"Pemilihan '{contest}' tidak ditemukan / contest not found.", statusCode: 404, title: "Tidak ditemukan / not found");
        var root = c.RegionCode;
        var prefix = root + ".";
        var regions = await db.Regions.AsNoTracking().Where(r => r.Code == root || r.Code.StartsWith(prefix))
            .Select(r => new NistRegion(r.Code, r.Name, r.Level, r.Type)).ToListAsync(ct);
        var tps = await db.Tps.AsNoTracking().Where(t => t.DesaCode.StartsWith(prefix))
            .Select(t => new NistTps(t.Code, t.DesaCode, t.Number, t.Dpt)).ToListAsync(ct);
        var counted = await (from cur in db.TallyCurrent.AsNoTracking()
                             where cur.ContestCode == c.Code && cur.CountedVersionNo > 0
                             join v in db.ResultVersions.AsNoTracking() on new { cur.ContestCode, cur.TpsCode, VersionNo = cur.CountedVersionNo }
                                 equals new { v.ContestCode, v.TpsCode, v.VersionNo }
                             select new { cur.TpsCode, cur.State, v.Payload }).ToListAsync(ct);
        var counts = counted.Select(x =>
        {
            var s = CHasilSheet.ParseCanonical(x.Payload);
            return new NistTpsCount(x.TpsCode, s.Votes, s.SuaraSah, s.SuaraTidakSah, x.State != TallyState.Accepted);
        }).ToList();
        var seq = await db.TallyLog.AsNoTracking().MaxAsync(e => (long?)e.Seq, ct) ?? 0;
        var declaration = await db.TahapanStages.AsNoTracking().Where(s => s.Code == DeclarationStage).Select(s => (DateOnly?)s.End).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        var declared = declaration is { } d && Pantau.Core.Readiness.Schedule.Today(now) > d;
        var report = NistResults.Build(new NistContestInput(c.Code, c.Name, root,
            await db.Contests.AsNoTracking().Where(x => x.Code == c.Code).Select(x => x.VotingDate).FirstAsync(ct),
            c.Paslon, regions, tps, counts, declared, seq, now));
        return TypedResults.Json(report, contentType: "application/json");
    }
}
