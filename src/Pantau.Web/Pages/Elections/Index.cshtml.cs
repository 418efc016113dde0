using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Elections;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Web.Elections;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Pages.Elections;

/// <summary>Election setup (<c>/admin/pemilihan</c>): the elections side by side, one election's contests, forms to create an election,
/// add or edit a contest and import an election file. Admin and Desk provinsi/kab-kota, within their scope.</summary>
[Authorize(Policy = Access.Desk)]
public sealed class IndexModel(ElectionCatalog catalog, ElectionSetup setup, PantauDbContext db, Lang lang) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }

    public List<ElectionInfo> Elections { get; private set; } = [];
    public ElectionFile? Selected { get; private set; }
    public bool MayEdit { get; private set; }
    public string? Error { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public string? Info { get; private set; }

    /// <summary>The contest form's values (kept after a refused submission).</summary>
    public ContestForm Contest { get; private set; } = new();

    public sealed record ContestForm(string? Code = null, string? Kind = "bupati", string? Region = null, string? Name = null, string? Paslon = null);

    public async Task OnGetAsync(string? edit)
    {
        await LoadAsync();
        if (edit is not null && Selected?.Contests?.FirstOrDefault(c => string.Equals(c.Code, edit, StringComparison.OrdinalIgnoreCase)) is { } c)
            Contest = new ContestForm(c.Code, c.Kind, c.Region, c.Name, PaslonText(c.Paslon ?? []));
    }

    private async Task LoadAsync()
    {
        Elections = await catalog.InfosAsync(HttpContext.RequestAborted);
        var code = ElectionCode ?? Elections.FirstOrDefault(e => e.IsCurrent)?.Code;
        Selected = code is null ? null : await new ElectionStore(db).ExportAsync(code, HttpContext.RequestAborted);
        ElectionCode = Selected?.Code;
        // Contests are set up within the contest's region: any Desk may add one of its region to an election.
        MayEdit = Selected is not null && HttpContext.GetActor().IsIn(ElectionSetup.Roles);
    }

    private async Task<IActionResult> Done(ElectionImportResult? result, Failure? error, string? selectCode, Func<ElectionImportResult, string> info)
    {
        if (error is not null)
        {
            Error = error.Errors is null ? error.Detail : error.Title;
            Errors = error.Errors ?? [];
            Response.StatusCode = error.Status;
        }
        else
        {
            Info = info(result!);
            ElectionCode = selectCode ?? result!.Code;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string? code, string? name, string? kind, string? votingDate, string? region, string? reVotes)
    {
        var (r, e) = await setup.CreateAsync(HttpContext.GetActor(), new NewElection(code, name, kind, votingDate, region, reVotes), HttpContext.RequestAborted);
        return await Done(r, e, null, x => lang.T($"Pemilihan {x.Code} dibuat.", $"Election {x.Code} created."));
    }

    public async Task<IActionResult> OnPostContestAsync(string? code, string? kind, string? region, string? name, string? paslon)
    {
        Contest = new ContestForm(code, kind, region, name, paslon);
        var entry = new ContestEntry
        {
            Code = code?.Trim().ToUpperInvariant(), Kind = kind, Region = region?.Trim(), Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            Paslon = ParsePaslon(paslon),
        };
        var (r, e) = await setup.PutContestAsync(HttpContext.GetActor(), ElectionCode ?? "", entry, HttpContext.RequestAborted);
        if (e is null) Contest = new ContestForm();
        return await Done(r, e, ElectionCode, x => lang.T($"Pemilihan {entry.Code} disimpan di {x.Code}.", $"Contest {entry.Code} saved in {x.Code}."));
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0)
            return await Done(null, Failure.Invalid(new() { ["file"] = ["Pilih berkas pemilihan (.json) / choose an election file (.json)."] }), ElectionCode, _ => "");
        if (file.Length > ElectionsModule.MaxFileBytes)
            return await Done(null, new Failure(413, "Terlalu besar / too large", "Berkas terlalu besar (maks. 2 MB) / file too large (max 2 MB)."), ElectionCode, _ => "");
        using var reader = new StreamReader(file.OpenReadStream());
        var (r, e) = await setup.ImportTextAsync(HttpContext.GetActor(), await reader.ReadToEndAsync(HttpContext.RequestAborted), HttpContext.RequestAborted);
        return await Done(r, e, null, x => lang.T(
            $"{x.Code} diimpor: pemilihan ditambah {x.ContestsAdded}, diubah {x.ContestsUpdated}, tetap {x.ContestsUnchanged}.",
            $"{x.Code} imported: contests added {x.ContestsAdded}, updated {x.ContestsUpdated}, unchanged {x.ContestsUnchanged}."));
    }

    /// <summary>One paslon a line: <c>nomor | calon | wakil | alias</c> (wakil and alias optional).</summary>
    public static List<PaslonEntry> ParsePaslon(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var f = line.Split('|').Select(x => x.Trim()).ToArray();
            return new PaslonEntry
            {
                Number = int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
                Candidate = f.Length > 1 ? f[1] : null,
                RunningMate = f.Length > 2 && f[2].Length > 0 ? f[2] : null,
                Alias = f.Length > 3 && f[3].Length > 0 ? f[3] : null,
            };
        }).ToList();

    public static string PaslonText(IEnumerable<PaslonEntry> paslon) =>
        string.Join("\n", paslon.Select(p => string.Join(" | ", new[] { p.Number?.ToString(CultureInfo.InvariantCulture), p.Candidate, p.RunningMate, p.Alias }.Select(x => x ?? "")).TrimEnd(' ', '|')));

    public bool MayEditContest(string? region) => ElectionSetup.MayEditContest(HttpContext.GetActor(), region);

    public string KindName(string? kind) => kind switch
    {
        ElectionKinds.Pilkada => "Pilkada",
        ElectionKinds.Pemilu => "Pemilu",
        ElectionKinds.Psu => lang.T("PSU (pemungutan suara ulang)", "PSU (re-vote)"),
        ContestKinds.Gubernur => lang.T("Gubernur", "Governor"),
        ContestKinds.Bupati => "Bupati",
        ContestKinds.Walikota => lang.T("Walikota", "Mayor"),
        ContestKinds.Presiden => lang.T("Presiden (PPWP)", "President (PPWP)"),
        _ => kind ?? "",
    };
}
