using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>The report form: citizens (no sign-in, rate-limited, antiforgery) and officers (recorded as the reporter).</summary>
[EnableRateLimiting(RateLimits.PublicForm)]
[RequestSizeLimit(40 * 1024 * 1024)]
public sealed class LaporModel(IncidentService svc, IFileStore store, PantauDbContext db, IConfiguration config) : PageModel
{
    [BindProperty] public IncidentCategory? Category { get; set; }
    [BindProperty] public string? KabKota { get; set; }
    [BindProperty] public string? Kecamatan { get; set; }
    [BindProperty] public string? TpsCode { get; set; }
    [BindProperty] public string? Latitude { get; set; }
    [BindProperty] public string? Longitude { get; set; }
    [BindProperty] public DateTime? OccurredAt { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? ReporterName { get; set; }
    [BindProperty] public string? ReporterContact { get; set; }
    [BindProperty] public string? AsnAgency { get; set; }
    [BindProperty] public string? AsnPosition { get; set; }
    [BindProperty] public string? AsnName { get; set; }
    [BindProperty] public Severity? Severity { get; set; }
    [BindProperty] public List<IFormFile> Files { get; set; } = [];

    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Error { get; private set; }
    public CreatedReport? Created { get; private set; }
    public List<(string Code, string Name)> KabKotaList { get; private set; } = [];
    public List<(string Code, string Name, string Parent)> KecamatanList { get; private set; } = [];
    public bool IsOfficer => HttpContext.GetActor().IsIn(RoleGroups.Officers);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().Where(r => r.Code.StartsWith("16.") && (r.Level == RegionLevel.KabKota || r.Level == RegionLevel.Kecamatan))
            .OrderBy(r => r.Code).Select(r => new { r.Code, r.Name, r.Level, r.ParentCode }).ToListAsync(ct);
        KabKotaList = regions.Where(r => r.Level == RegionLevel.KabKota).Select(r => (r.Code, r.Name)).ToList();
        KecamatanList = regions.Where(r => r.Level == RegionLevel.Kecamatan).Select(r => (r.Code, r.Name, r.ParentCode ?? "")).ToList();
    }

    public string? Err(string key) => Errors.TryGetValue(key, out var e) ? string.Join(" ", e) : null;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var actor = HttpContext.GetActor();
        var officer = actor.IsIn(RoleGroups.Officers);
        double? lat = null, lng = null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (!string.IsNullOrWhiteSpace(Latitude) || !string.IsNullOrWhiteSpace(Longitude))
        {
            if (double.TryParse(Latitude?.Replace(',', '.'), System.Globalization.NumberStyles.Float, inv, out var la) &&
                double.TryParse(Longitude?.Replace(',', '.'), System.Globalization.NumberStyles.Float, inv, out var lo)) { lat = la; lng = lo; }
            else Errors["latitude"] = ["Lintang/bujur harus angka, mis. -2.99 dan 104.76 / latitude and longitude must be numbers."];
        }
        // Evidence is checked before anything is stored: type by content, size capped.
        var max = config.GetValue("Pantau:MaxUploadBytes", 10L * 1024 * 1024);
        var files = Files.Where(f => f.Length > 0).ToList();
        if (files.Count > 5) Errors["files"] = ["Maksimal 5 berkas / at most 5 files."];
        foreach (var f in files)
        {
            var head = new byte[16];
            await using var s = f.OpenReadStream();
            var n = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            var (type, kind) = FileStore.Sniff(head.AsSpan(0, n));
            if (type is null || (kind & (FileKinds.Image | FileKinds.Pdf)) == 0) Errors["files"] = [$"{f.FileName}: hanya foto JPEG/PNG/WebP atau PDF / only JPEG/PNG/WebP photos or PDF."];
            else if (f.Length > max) Errors["files"] = [$"{f.FileName}: lebih dari {max / 1024 / 1024} MB / larger than {max / 1024 / 1024} MB."];
        }
        var region = !string.IsNullOrWhiteSpace(Kecamatan) ? Kecamatan : KabKota;
        DateTimeOffset? at = OccurredAt is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), TimeSpan.FromHours(7)) : null;
        if (Errors.Count == 0)
        {
            var res = await svc.CreateAsync(new CreateIncidentRequest(Category, region, TpsCode, lat, lng, at, Title, Description,
                officer ? Severity : null, null, ReporterName, ReporterContact, AsnAgency, AsnPosition, AsnName), actor, citizen: !officer, ct);
            if (res.Ok)
            {
                foreach (var f in files) await svc.AddEvidenceAsync(res.Value!.Id, f, store, officer ? actor : null, ct);
                if (officer) return Redirect("/insiden/" + res.Value!.Id);
                Created = res.Value;
                return Page();
            }
            if (res.Errors is not null) Errors = res.Errors;
            else Error = res.Error;
        }
        Response.StatusCode = Error is not null ? 403 : 400;
        return Page();
    }
}
