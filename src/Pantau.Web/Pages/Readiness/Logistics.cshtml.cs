using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Pages.Readiness;

[Authorize(Policy = Access.Logistics)]
public sealed class LogisticsModel(LogisticsService svc, LogisticsLabelService labels, ReadinessService rs, ReadinessCommands cmd, TimeProvider time) : PageModel
{
    public string Code { get; private set; } = "16";
    public RequirementsView? Requirements { get; private set; }
    public List<Discrepancy> Discrepancies { get; private set; } = [];
    public List<HandoverView>? Handovers { get; private set; }
    public List<StockRow>? Stock { get; private set; }
    public IReadOnlyList<string> ItemKeys { get; private set; } = [];
    public bool CanRecord { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Saved { get; private set; }
    /// <summary>True when the submission had already been recorded (a double submit or a resend): nothing was recorded twice.</summary>
    public bool Replayed { get; private set; }
    public string? Voided { get; private set; }
    public Dictionary<string, string[]> VoidErrors { get; private set; } = [];
    public List<ShipmentView> Shipments { get; private set; } = [];
    public ShipmentView? CreatedShipment { get; private set; }
    public Dictionary<string, string[]> ShipmentErrors { get; private set; } = [];
    /// <summary>True where the page's region can send a shipment (warehouse, PPK, PPS: not a TPS).</summary>
    public bool CanShip { get; private set; }

    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? At { get; set; }
    [BindProperty] public string? HandedOverBy { get; set; }
    [BindProperty] public string? ReceivedBy { get; set; }
    [BindProperty] public string? EscortedBy { get; set; }
    [BindProperty] public List<LineForm> Lines { get; set; } = [];
    [BindProperty] public IFormFile? Photo { get; set; }
    [BindProperty] public string? Shipment { get; set; }
    [BindProperty] public List<string> Labels { get; set; } = [];
    [BindProperty] public string? ShipTo { get; set; }
    /// <summary>One key per filled-in form: the same form sent twice records one berita acara.</summary>
    [BindProperty] public string? SubmissionKey { get; set; }
    [BindProperty] public long? VoidId { get; set; }
    [BindProperty] public string? VoidReason { get; set; }

    public sealed class LineForm { public string? Item { get; set; } public long? Sent { get; set; } public long? Received { get; set; } public long? Damaged { get; set; } }

    private async Task<bool> LoadAsync(string? code, CancellationToken ct)
    {
        Code = string.IsNullOrEmpty(code) ? HomeRegion.For(HttpContext) : code; // the user's own region when none is given
        Requirements = await svc.RequirementsAsync(Code, ct);
        if (Requirements is null) return false;
        Discrepancies = await svc.DiscrepanciesAsync(Code, rs.Today, ct) ?? [];
        var actor = HttpContext.GetActor();
        if (actor.Reads(Code)) Handovers = await svc.HandoversAsync(Code, 100, ct);
        if (RegionCode.LevelOf(Code) == RegionLevel.KabKota) Stock = await svc.StockAsync(Code, ct);
        CanRecord = actor.IsIn(ReadinessModule.LogisticsEditors) && actor.Covers(Code) && RegionCode.LevelOf(Code) >= RegionLevel.KabKota;
        CanShip = CanRecord && RegionCode.LevelOf(Code) <= RegionLevel.Desa;
        if (actor.Covers(Code)) Shipments = await labels.ListAsync(Code, 20, ct);
        var tree = await rs.TreeAsync(ct);
        ItemKeys = LogisticsRules.Items.SelectMany(k => k.PerContest ? tree.ContestsAt(Code).Select(c => LogisticsRules.Key(k, c)) : [k.Code]).ToList();
        while (Lines.Count < 3) Lines.Add(new LineForm());
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        From = Code;
        At = Schedule.Today(time.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T08:00";
        SubmissionKey = NewKey();
        return Page();
    }

    private static string NewKey() => Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnPostAsync(string? code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        if (!CanRecord) return Forbid();
        DateTimeOffset? at = DateTime.TryParse(At, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Schedule.Wib) : null;
        var lines = Lines.Where(l => !string.IsNullOrEmpty(l.Item))
            .Select(l => new HandoverLineInput(l.Item, l.Sent ?? 0, l.Received ?? 0, l.Damaged ?? 0)).ToList();
        var shipment = string.IsNullOrWhiteSpace(Shipment) ? null : Shipment.Trim();
        var (view, error, replayed) = await svc.RecordHandoverAsync(HttpContext.GetActor(),
            new HandoverInput(shipment is null ? From : null, shipment is null ? To : null, at, HandedOverBy, ReceivedBy, EscortedBy, null, lines, shipment, Labels, SubmissionKey), ct);
        if (error is null && !replayed && Photo is { Length: > 0 }) (view, error) = await cmd.AttachHandoverPhotoAsync(HttpContext.GetActor(), view!.Id, Photo, ct);
        if (error is not null)
        {
            Errors = error.Errors ?? new() { [""] = [error.Detail] };
            Response.StatusCode = error.Status;
            return Page();
        }
        Saved = view!.Id.ToString(CultureInfo.InvariantCulture);
        Replayed = replayed;
        SubmissionKey = NewKey();
        ModelState.Clear(); // the form starts empty for the next berita acara
        Lines = [];
        Labels = [];
        Shipment = null;
        await LoadAsync(code, ct);
        return Page();
    }

    /// <summary>Voids a wrong berita acara with a reason.</summary>
    public async Task<IActionResult> OnPostVoidAsync(string? code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        if (!CanRecord) return Forbid();
        var (view, error) = await svc.VoidHandoverAsync(HttpContext.GetActor(), VoidId ?? 0, VoidReason, ct);
        if (error is not null)
        {
            VoidErrors = error.Errors ?? new() { [""] = [error.Detail] };
            Response.StatusCode = error.Status;
        }
        else Voided = view!.Id.ToString(CultureInfo.InvariantCulture);
        await LoadAsync(code, ct);
        From = Code;
        At = Schedule.Today(time.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T08:00";
        SubmissionKey = NewKey();
        return Page();
    }

    /// <summary>Creates a labelled shipment from this page's holder to <see cref="ShipTo"/> and offers its label sheet.</summary>
    public async Task<IActionResult> OnPostShipmentAsync(string? code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        if (!CanShip) return Forbid();
        var (view, error) = await labels.CreateAsync(HttpContext.GetActor(), new ShipmentInput(Code, ShipTo), ct);
        if (error is not null)
        {
            ShipmentErrors = error.Errors ?? new() { [""] = [error.Detail] };
            Response.StatusCode = error.Status;
            return Page();
        }
        CreatedShipment = view;
        ShipTo = null;
        await LoadAsync(code, ct);
        From = Code;
        At = Schedule.Today(time.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T08:00";
        SubmissionKey = NewKey();
        return Page();
    }
}
