namespace Pantau.Web.Regions;

/// <summary>
/// Model of the shared region picker partial (<c>Pages/Shared/_RegionPicker.cshtml</c>, enhanced by <c>wwwroot/js/region-picker.js</c>).
/// Without JavaScript it is a plain code input; with it, cascading selects (provinsi → kab/kota → kecamatan → desa → TPS) and a
/// search box by name or code. It posts one value: the dotted region code (16.71.01) or a 13-digit TPS code.
/// </summary>
/// <param name="Name">Form field name (and id unless <paramref name="Id"/> is given).</param>
/// <param name="Value">Current code, pre-selected in the selects.</param>
/// <param name="Depth">Deepest level that can be picked: provinsi, kabkota, kecamatan, desa or tps.</param>
/// <param name="Root">Region the selects start from (its children are the first list); empty starts at the list of provinces.</param>
/// <param name="LabelId">Label in Indonesian (default "Wilayah").</param>
/// <param name="LabelEn">Label in English (default "Region").</param>
/// <param name="Required">Adds <c>required</c> to the input.</param>
/// <param name="Id">Element id when several pickers share a page.</param>
/// <param name="TpsOnly">Only a 13-digit TPS code is accepted (the selects still drill down to it).</param>
/// <param name="AutoSubmit">Submit the enclosing form when a region is chosen (for filters on list pages).</param>
public sealed record RegionPicker(string Name = "region", string? Value = null, string Depth = "desa", string Root = "16",
    string? LabelId = null, string? LabelEn = null, bool Required = false, string? Id = null, bool AutoSubmit = false, bool TpsOnly = false)
{
    public string ElementId => Id ?? Name.Replace('.', '-');

    /// <summary>The root for a list filter: the actor's own scope (its children are the first list), or the provinces for a national scope.</summary>
    public static string RootFor(string? scope) => Pantau.Core.Regions.RegionCode.IsValid(scope) ? scope! : "";
    public bool AllowsTps => Depth == "tps" || TpsOnly;
    public string Pattern => TpsOnly ? @"\d{13}" : @"(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)" + (AllowsTps ? @"|\d{13}" : "");
}
