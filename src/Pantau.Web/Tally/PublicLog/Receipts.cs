using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;

namespace Pantau.Web.Tally.PublicLog;

/// <summary>
/// What a saksi or KPPS member keeps for an acknowledged sheet: the log sequence and leaf hash of the entry that recorded it,
/// the TPS, contest and the canonical sheet. <see cref="Code"/> (<c>seq-XXXXXXXX</c>, the first 8 hex digits of the leaf hash)
/// is short enough to copy onto paper; <c>/cek</c> takes it.
/// </summary>
public sealed record PublicReceipt(long Seq, string LeafHash, string Tps, string Contest, int VersionNo, string Sheet, string Code, string CheckUrl)
{
    public static string CodeOf(long seq, string leafHashHex) => $"{seq}-{leafHashHex[..8].ToUpperInvariant()}";

    /// <summary>Parses a code (<c>123-ABCDEF01</c>, spaces and case ignored).</summary>
    public static bool TryParseCode(string? code, out long seq, out string prefix)
    {
        seq = 0; prefix = "";
        var c = (code ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        var dash = c.IndexOf('-');
        if (dash <= 0 || c.Length - dash - 1 != 8) return false;
        prefix = c[(dash + 1)..];
        return long.TryParse(c[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seq) && seq > 0
            && prefix.All(Uri.IsHexDigit);
    }
}

/// <summary>The absolute check address of a receipt (<c>/cek?kode=...</c>), which its QR code (<see cref="Pantau.Web.Infrastructure.QrCodes"/>) holds.</summary>
public static class ReceiptQr
{
    public static string CheckAddress(HttpRequest request, string code) => $"{request.Scheme}://{request.Host}/cek?kode={code}";
}

/// <summary>Adds receipts to intake outcomes (one query for the versions, one for their log entries, per call).</summary>
public sealed class ReceiptService(IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<SheetOutcome>> AttachAsync(IReadOnlyList<SheetOutcome> outcomes, CancellationToken ct = default)
    {
        // Sheets stored by this request already carry theirs (the intake makes it from the entry it writes); replays, confirmations
        // and other earlier versions are looked up.
        var wanted = outcomes.Where(o => o.Receipt is null && o.VersionNo is not null && o.Outcome != "rejected").ToList();
        if (wanted.Count == 0) return outcomes;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var versions = new Dictionary<(string, string, int), long>();
        // Per contest, so the lookup walks the (ContestCode, TpsCode, VersionNo) index: a filter on the TPS alone scans every
        // version (the national bench's batch rate halved as the table grew, from 9,700 to 2,900 sheets/s).
        foreach (var byContest in wanted.GroupBy(o => o.Contest, StringComparer.Ordinal))
        {
            var contest = byContest.Key;
            foreach (var part in byContest.Select(o => o.Tps).Distinct().Chunk(500))
            {
                var rows = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contest && EF.Parameter(part).Contains(v.TpsCode))
                    .Select(v => new { v.ContestCode, v.TpsCode, v.VersionNo, v.LogSeq }).ToListAsync(ct);
                foreach (var r in rows) versions[(r.ContestCode, r.TpsCode, r.VersionNo)] = r.LogSeq;
            }
        }
        var seqs = wanted.Select(o => versions.GetValueOrDefault((o.Contest, o.Tps, o.VersionNo!.Value))).Where(s => s > 0).Distinct().ToList();
        var entries = new Dictionary<long, string>();
        foreach (var part in seqs.Chunk(1000))
            foreach (var e in await db.TallyLog.AsNoTracking().Where(e => part.Contains(e.Seq)).Select(e => new { e.Seq, e.Entry }).ToListAsync(ct))
                entries[e.Seq] = e.Entry;
        return outcomes.Select(o =>
        {
            if (o.Receipt is not null || o.VersionNo is null || o.Outcome == "rejected" || !versions.TryGetValue((o.Contest, o.Tps, o.VersionNo.Value), out var seq)
                || !entries.TryGetValue(seq, out var stored)) return o;
            return o with { Receipt = Make(seq, stored) };
        }).ToList();
    }

    public static PublicReceipt Make(long seq, string storedEntry)
    {
        var e = LogEntry.Parse(storedEntry);
        return Make(e with { Seq = seq }, e.Sheet.Canonical());
    }

    /// <summary>The receipt of <paramref name="e"/>, whose sheet's canonical encoding is <paramref name="canonical"/>.</summary>
    public static PublicReceipt Make(LogEntry e, string canonical)
    {
        var seq = e.Seq;
        var leaf = Convert.ToHexStringLower(Merkle.LeafHash(PublicEntry.Encode(e, canonical)));
        var code = PublicReceipt.CodeOf(seq, leaf);
        return new PublicReceipt(seq, leaf, e.Sheet.Tps, e.Sheet.Contest, e.VersionNo, canonical, code, "/cek?kode=" + code);
    }
}
