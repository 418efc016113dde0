using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Regions;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>
/// Imports from the browser (<c>/hasil/impor</c>, Desk within its scope): the official TPS list with DPT (the page of
/// <c>POST /api/tally/tps-list</c> and <c>import-tps</c>) and per-TPS results from another source (of
/// <c>POST /api/tally/sources/{source}/import</c> and <c>import-results</c>). The same services, the same rules: scope first,
/// then every row; on any bad row nothing is written and every problem is listed as <c>file:line: message</c>, in the page's language.
/// </summary>
[Authorize(Policy = Access.Desk)]
public sealed class ImporModel(TpsListImport tpsList, SourceResults sources, TallyReference reference, Lang lang) : PageModel
{
    /// <summary>Which form was sent: <c>tps</c> or <c>results</c>.</summary>
    public string? Form { get; private set; }
    public string Scope { get; private set; } = "";
    public IReadOnlyList<(string Code, string Name)> Contests { get; private set; } = [];
    public IReadOnlyList<string> Presets { get; } = [.. SourceResults.Presets.Keys.Order(StringComparer.Ordinal)];

    // The form's values, kept after a refused import.
    public string? Region { get; private set; }
    public bool SynthesizeDptErrors { get; private set; }
    public string? Contest { get; private set; }
    public string? Source { get; private set; }
    public string? Mapping { get; private set; }

    public string? Error { get; private set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public int ProblemsTotal { get; private set; }
    public string? Info { get; private set; }
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    public string? ResultsLink { get; private set; }

    /// <summary>At most this many problems are listed on the page (the count says how many there are).</summary>
    public const int ListedProblems = 200;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Scope = actor.ScopeCode;
        Region ??= RegionCode.IsValid(Scope) ? Scope : null;
        // Contests the Desk may import into: the contest's region inside its scope, or its scope inside the contest's region.
        Contests = (await reference.ContestsAsync(ct)).Values
            .Where(c => SourceResults.MayImportInto(actor, c.RegionCode))
            .OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => (c.Code, c.Name)).ToList();
    }

    private async Task<IActionResult> RefusedAsync(int status, string message, IReadOnlyList<ImportProblem>? problems, CancellationToken ct)
    {
        Response.StatusCode = status;
        Error = message;
        ProblemsTotal = problems?.Count ?? 0;
        Problems = problems?.Take(ListedProblems).Select(Line).ToList() ?? [];
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>One problem in the page's language: <c>file:line: message</c>.</summary>
    private string Line(ImportProblem p) => $"{p.File}:{p.Line}: {lang.One(p.Message)}";

    private static string FileName(IFormFile file) => Path.GetFileName(file.FileName) is { Length: > 0 and <= 200 } n ? n : "upload.csv";

    public async Task<IActionResult> OnPostTpsAsync(string? region, bool synthesizeDptErrors, IFormFile? file, CancellationToken ct)
    {
        Form = "tps";
        Region = region?.Trim();
        SynthesizeDptErrors = synthesizeDptErrors;
        var actor = HttpContext.GetActor();
        // Scope before anything else is looked at.
        if (Region is { Length: > 0 } && RegionCode.IsValid(Region) && !actor.Covers(Region))
            return await RefusedAsync(403, lang.T($"Wilayah {Region} di luar wilayah tugas Anda ({actor.ScopeCode}).", $"Region {Region} is outside your region ({actor.ScopeCode})."), null, ct);
        if (Region is null || !RegionCode.IsValid(Region))
            return await RefusedAsync(400, lang.T("Pilih wilayah daftar TPS (provinsi, kab/kota, kecamatan atau desa).", "Choose the region of the TPS list (province, regency/city, kecamatan or desa)."), null, ct);
        if (file is null || file.Length == 0)
            return await RefusedAsync(400, lang.T("Pilih berkas CSV daftar TPS.", "Choose the CSV file of the TPS list."), null, ct);
        if (file.Length > SourceResultsModule.MaxUpload)
            return await RefusedAsync(413, lang.T("Berkas terlalu besar.", "The file is too large."), null, ct);
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        var result = await tpsList.ImportAsync(actor, reader, FileName(file), null, ct, synthesizeDptErrors, Region);
        if (!result.Ok)
            return await RefusedAsync(result.Status, lang.T($"Daftar TPS ditolak: {result.Errors.Count} masalah. Tidak ada yang disimpan.",
                $"The TPS list was refused: {result.Errors.Count} problem(s). Nothing was saved."), result.Errors, ct);
        Info = lang.T($"Daftar TPS {Region} dimuat: {Lang.N(result.Tps)} TPS, {Lang.N(result.WithDpt)} dengan DPT dari berkas, {Lang.N(result.SynthesizedDpt)} DPT sintetis, {Lang.N(result.Removed)} TPS lama dihapus.",
            $"TPS list of {Region} loaded: {Lang.N(result.Tps)} TPS, {Lang.N(result.WithDpt)} with DPT from the file, {Lang.N(result.SynthesizedDpt)} synthetic DPT, {Lang.N(result.Removed)} old TPS removed.");
        Warnings = result.Warnings.Take(ListedProblems).Select(Line).ToList();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResultsAsync(string? contest, string? source, string? mapping, IFormFile? file, CancellationToken ct)
    {
        Form = "results";
        Contest = contest?.Trim();
        Source = source?.Trim();
        Mapping = mapping?.Trim();
        var actor = HttpContext.GetActor();
        var contests = await reference.ContestsAsync(ct);
        if (string.IsNullOrEmpty(Contest))
            return await RefusedAsync(400, lang.T("Pilih pemilihan.", "Choose a contest."), null, ct);
        if (!contests.TryGetValue(Contest, out var ci))
            return await RefusedAsync(404, lang.T($"Pemilihan {Contest} tidak dikenal.", $"Unknown contest {Contest}."), null, ct);
        // Scope first: the Desk's region must hold part of the contest (each row's TPS is checked again by the import).
        if (!SourceResults.MayImportInto(actor, ci.RegionCode))
            return await RefusedAsync(403, lang.T($"Pemilihan {ci.Code} di luar wilayah tugas Anda.", $"Contest {ci.Code} is outside your region."), null, ct);
        if (Source is null || !SourceResults.IsSourceName(Source))
            return await RefusedAsync(400, lang.T("Nama sumber: 1–40 huruf, angka, titik, tanda hubung atau garis bawah (bukan 'official'), mis. SIREKAP.",
                "Source name: 1–40 letters, digits, dots, hyphens or underscores (not 'official'), e.g. SIREKAP."), null, ct);
        if (SourceResults.ParseMapping(Mapping, out var mappingError) is not { } map)
            return await RefusedAsync(400, lang.One(mappingError), null, ct);
        if (file is null || file.Length == 0)
            return await RefusedAsync(400, lang.T("Pilih berkas CSV hasil.", "Choose the CSV file of results."), null, ct);
        if (file.Length > SourceResultsModule.MaxUpload)
            return await RefusedAsync(413, lang.T("Berkas terlalu besar.", "The file is too large."), null, ct);
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        var result = await sources.ImportAsync(actor, Source, ci.Code, map, reader, FileName(file), null, ct);
        if (!result.Ok)
            return await RefusedAsync(result.Status, lang.T($"Hasil ditolak: {result.Errors.Count} masalah. Tidak ada yang disimpan.",
                $"The results were refused: {result.Errors.Count} problem(s). Nothing was saved."), result.Errors, ct);
        Info = lang.T($"{Source} untuk {ci.Code}: {Lang.N(result.Rows)} baris, {Lang.N(result.Accepted)} diterima, {Lang.N(result.Flagged)} bertanda, {Lang.N(result.NoData)} tanpa data (belum ada).",
            $"{Source} for {ci.Code}: {Lang.N(result.Rows)} rows, {Lang.N(result.Accepted)} accepted, {Lang.N(result.Flagged)} flagged, {Lang.N(result.NoData)} without data (missing).");
        ResultsLink = $"/hasil/sumber?contest={Uri.EscapeDataString(ci.Code)}&source={Uri.EscapeDataString(Source)}&against=official";
        await LoadAsync(ct);
        return Page();
    }
}
