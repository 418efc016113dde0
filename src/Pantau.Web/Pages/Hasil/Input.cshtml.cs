using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Hasil;

/// <summary>
/// The C.Hasil-KWK entry form. A plain HTML form whose field names are the API's flat field names (<c>contest</c>, <c>tps</c>,
/// <c>p1</c>..., <c>suaraSah</c> ...), so an offline client can replay it as JSON to <c>/api/tally/sheets</c>.
/// </summary>
[Authorize]
public sealed class InputModel(PantauDbContext db, TallyReference reference, TallyService tally) : PageModel
{
    public string Tps { get; private set; } = "";
    public string Contest { get; private set; } = "";
    public string? TpsLabel { get; private set; }
    public string? TpsError { get; private set; }
    public IReadOnlyList<TallyReference.ContestInfo> Contests { get; private set; } = [];
    public TallyReference.ContestInfo? Selected { get; private set; }
    public Dictionary<string, string> Values { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, List<string>> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);
    public SheetOutcome? Outcome { get; private set; }
    public string IdempotencyKey { get; private set; } = Guid.NewGuid().ToString("N");
    public bool IsCorrection { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? tps, string? contest, CancellationToken ct)
    {
        if (!HttpContext.GetActor().IsIn(RoleGroups.ResultEntry)) return Forbid();
        await LoadAsync(tps, contest, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.ResultEntry)) return Forbid();
        foreach (var (k, v) in Request.Form) if (k != "__RequestVerificationToken") Values[k] = v.ToString();
        await LoadAsync(Values.GetValueOrDefault("tps"), Values.GetValueOrDefault("contest"), ct);
        IsCorrection = Values.GetValueOrDefault("correction") == "true";
        var parsed = SheetParser.FromPairs(Values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)), IsCorrection);
        if (parsed.Input is null)
        {
            foreach (var (field, messages) in parsed.Errors) FieldErrors[field] = messages.ToList();
            return Page();
        }
        Outcome = (await tally.SubmitAsync(actor, "form", [parsed.Input], ct))[0];
        Outcome = (await HttpContext.RequestServices.GetRequiredService<Tally.PublicLog.ReceiptService>().AttachAsync([Outcome], ct))[0];
        foreach (var issue in Outcome.Issues ?? [])
            foreach (var f in issue.Fields)
            {
                if (!FieldErrors.TryGetValue(f, out var list)) FieldErrors[f] = list = [];
                list.Add(issue.Code + ": " + issue.MessageId + " / " + issue.MessageEn);
            }
        // A browser retry of the same POST carries the same key (replayed); the next submission from this page gets a new one.
        if (Outcome.Outcome == "rejected") Response.StatusCode = Outcome.HttpStatus;
        return Page();
    }

    private async Task LoadAsync(string? tps, string? contest, CancellationToken ct)
    {
        Tps = tps?.Trim() ?? "";
        Contest = contest?.Trim() ?? "";
        var all = await reference.ContestsAsync(ct);
        if (Tps.Length > 0)
        {
            var row = await db.Tps.AsNoTracking().Where(t => t.Code == Tps).Select(t => new { t.DesaCode, t.Number, t.Dpt }).FirstOrDefaultAsync(ct);
            if (row is null) TpsError = "TPS tidak dikenal / unknown TPS";
            else if (!HttpContext.GetActor().Covers(Tps)) TpsError = "TPS di luar wilayah tugas Anda / TPS outside your region";
            else
            {
                var desa = await db.Regions.AsNoTracking().Where(r => r.Code == row.DesaCode).Select(r => r.Name).FirstOrDefaultAsync(ct);
                TpsLabel = $"TPS {row.Number:000} · {desa} ({row.DesaCode}) · DPT {Lang.N(row.Dpt)}";
                Contests = all.Values.Where(c => RegionCode.IsWithin(row.DesaCode, c.RegionCode)).OrderBy(c => c.RegionCode.Length).ToList();
            }
        }
        Selected = Contests.FirstOrDefault(c => string.Equals(c.Code, Contest, StringComparison.OrdinalIgnoreCase)) ?? (Contests.Count == 1 ? Contests[0] : null);
        if (Selected is not null) Contest = Selected.Code;
    }

    public string Value(string name) => Values.GetValueOrDefault(name, "");
}
