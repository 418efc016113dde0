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

namespace Pantau.Web.Pages.Tally;

/// <summary>
/// The C.Hasil-KWK entry form. A plain HTML form whose field names are the API's flat field names (<c>contest</c>, <c>tps</c>,
/// <c>p1</c>..., <c>suaraSah</c> ...), so an offline client can replay it as JSON to <c>/api/tally/sheets</c>.
/// </summary>
[Authorize(Policy = Access.ResultEntry)]
public sealed class InputModel(PantauDbContext db, TallyReference reference, TallyService tally, Web.Elections.PsuIntake psu, Web.Elections.ElectionCatalog elections, Lang lang) : PageModel
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
    /// <summary>The PSU in which this TPS re-votes the chosen contest, from its voting day on: the sheet goes through the PSU intake
    /// (a correction of the counted sheet, reason "PSU CODE (date)").</summary>
    public Web.Elections.ElectionCatalog.Revote? Psu { get; private set; }
    /// <summary>Why the PSU intake refused the sheet, in the page's language.</summary>
    public string? PsuError { get; private set; }
    /// <summary>The account is bound to one TPS (KPPS): the form opens on it, with no region picker.</summary>
    public bool TpsBound { get; private set; }
    /// <summary>Contests of the TPS that already have a result from it (the "next contest" is the first one without).</summary>
    public HashSet<string> Entered { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>The contest of this TPS to enter after the selected one, if any is still without a result.</summary>
    public TallyReference.ContestInfo? Next => Contests.FirstOrDefault(c => !Entered.Contains(c.Code) && c.Code != Selected?.Code);
    /// <summary>The last submission was stored and counted (or already was): the form starts empty for the next one.</summary>
    public bool Stored => Outcome?.Outcome is "accepted" or "confirmed" or "replayed";

    public async Task<IActionResult> OnGetAsync(string? tps, string? contest, CancellationToken ct)
    {
        await LoadAsync(tps, contest, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        foreach (var (k, v) in Request.Form) if (k != "__RequestVerificationToken") Values[k] = v.ToString();
        await LoadAsync(Values.GetValueOrDefault("tps"), Values.GetValueOrDefault("contest"), ct);
        IsCorrection = Values.GetValueOrDefault("correction") == "true";
        var parsed = SheetParser.FromPairs(Values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)), IsCorrection);
        if (parsed.Input is null)
        {
            foreach (var (field, messages) in parsed.Errors) FieldErrors[field] = messages.Select(lang.One).ToList();
            return Page();
        }
        if (IsCorrection && string.IsNullOrWhiteSpace(Values.GetValueOrDefault("reason")))
        {
            // The reason is required for a correction: said on its field before anything is sent.
            FieldErrors["reason"] = [lang.T("Alasan wajib diisi untuk perbaikan.", "A correction needs a reason.")];
            Response.StatusCode = 400;
            return Page();
        }
        if (Psu is not null && await elections.ResolveAsync(Psu.ElectionCode, ct) is { } psuElection)
        {
            var (psuOutcome, refused) = await psu.SubmitAsync(actor, psuElection, parsed.Input, ct);
            if (refused is not null)
            {
                PsuError = lang.One(refused.Message);
                Response.StatusCode = refused.Status;
                return Page();
            }
            Outcome = psuOutcome!;
        }
        else Outcome = (await tally.SubmitAsync(actor, "form", [parsed.Input], ct))[0];
        Outcome = (await HttpContext.RequestServices.GetRequiredService<Web.Tally.PublicLog.ReceiptService>().AttachAsync([Outcome], ct))[0];
        foreach (var issue in Outcome.Issues ?? [])
            foreach (var f in issue.Fields)
            {
                if (!FieldErrors.TryGetValue(f, out var list)) FieldErrors[f] = list = [];
                list.Add(issue.Code + ": " + lang.T(issue.MessageId, issue.MessageEn));
            }
        // A browser retry of the same POST carries the same key (replayed); the next submission from this page gets a new one.
        if (Outcome.Outcome == "rejected") Response.StatusCode = Outcome.HttpStatus;
        if (Stored)
        {
            // Accepted: the form says so (with the receipt), starts empty, and offers the TPS's next contest.
            Entered.Add(Contest);
            var keep = new[] { "tps", "contest" };
            foreach (var k in Values.Keys.Except(keep, StringComparer.OrdinalIgnoreCase).ToList()) Values.Remove(k);
            IsCorrection = false;
        }
        return Page();
    }

    private async Task LoadAsync(string? tps, string? contest, CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        TpsBound = actor.IsTpsScoped;
        Tps = tps?.Trim() ?? "";
        if (TpsBound && Tps.Length == 0) Tps = actor.ScopeCode; // a KPPS account bound to one TPS opens on it
        Contest = contest?.Trim() ?? "";
        var all = await reference.ContestsAsync(ct);
        if (Tps.Length > 0)
        {
            var row = await db.Tps.AsNoTracking().Where(t => t.Code == Tps).Select(t => new { t.DesaCode, t.Number, t.Dpt }).FirstOrDefaultAsync(ct);
            if (row is null) TpsError = lang.T("TPS tidak dikenal.", "Unknown TPS.");
            else if (!actor.Covers(Tps)) TpsError = lang.T("TPS di luar wilayah tugas Anda.", "This TPS is outside your region.");
            else
            {
                var desa = await db.Regions.AsNoTracking().Where(r => r.Code == row.DesaCode).Select(r => r.Name).FirstOrDefaultAsync(ct);
                TpsLabel = $"TPS {row.Number:000} · {desa} ({row.DesaCode}) · DPT {Lang.N(row.Dpt)}";
                Contests = all.Values.Where(c => RegionCode.IsWithin(row.DesaCode, c.RegionCode)).OrderBy(c => c.RegionCode.Length).ToList();
                foreach (var c in await db.TallyCurrent.AsNoTracking().Where(c => c.TpsCode == Tps).Select(c => c.ContestCode).ToListAsync(ct)) Entered.Add(c);
            }
        }
        Selected = Contests.FirstOrDefault(c => string.Equals(c.Code, Contest, StringComparison.OrdinalIgnoreCase)) ?? (Contests.Count == 1 ? Contests[0] : null);
        // One tap for a TPS-bound account: without a contest in the address, the first contest of its TPS still without a result.
        if (Selected is null && TpsBound && Contest.Length == 0 && Contests.Count > 0)
            Selected = Contests.FirstOrDefault(c => !Entered.Contains(c.Code)) ?? Contests[0];
        if (Selected is not null) Contest = Selected.Code;
        if (Selected is not null && TpsLabel is not null) Psu = await psu.DueAsync(Selected.Code, Tps, ct);
    }

    public string Value(string name) => Values.GetValueOrDefault(name, "");
}
