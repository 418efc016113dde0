using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Regions;

namespace Pantau.Web.Pages.Regions;

public sealed class IndexModel(PantauDbContext db) : PageModel
{
    public RegionDetail Detail { get; private set; } = null!;
    public IReadOnlyList<TpsDto> Tps { get; private set; } = [];

    /// <summary>The GeoJSON level of the children (null below kecamatan: desa have TPS, not polygons).</summary>
    public string? ChildGeoLevel => Detail.Region.Level switch
    {
        RegionLevel.Provinsi => "kabkota", RegionLevel.KabKota => "kecamatan", RegionLevel.Kecamatan => "desa", _ => null,
    };

    public async Task<IActionResult> OnGetAsync(string? code, string? kode, CancellationToken ct)
    {
        // The region picker posts ?kode=...; a TPS code opens its desa.
        if (!string.IsNullOrWhiteSpace(kode))
        {
            kode = kode.Trim();
            if (RegionCode.TryParseTpsCode(kode, out var desa, out _)) kode = desa;
            return RegionCode.IsValid(kode) ? Redirect("/wilayah/" + kode) : RedirectToPage(new { code, kode = (string?)null });
        }
        code ??= "16";
        if (!RegionCode.IsValid(code)) return NotFound();
        var d = await RegionsModule.Detail(db, code, ct);
        if (d is null) return NotFound();
        Detail = d;
        if (d.Region.Level == RegionLevel.Desa)
            Tps = (await RegionsModule.TpsOf(db, code, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<List<TpsDto>> ok ? ok.Value! : [];
        return Page();
    }
}
