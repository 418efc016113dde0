using Pantau.Core.Regions;

namespace Pantau.Data.Regions;

/// <summary>One node of the Kemendagri region tree (provinsi, kab/kota, kecamatan, desa/kelurahan).</summary>
public class Region
{
    /// <summary>Dotted Kemendagri code, e.g. <c>16.71.01.1001</c>.</summary>
    public required string Code { get; set; }
    public string? ParentCode { get; set; }
    public required string Name { get; set; }
    public RegionLevel Level { get; set; }
    /// <summary>kabupaten/kota at level 2, desa/kelurahan at level 4, null otherwise.</summary>
    public string? Type { get; set; }
    /// <summary>Label point from the boundary data, when known.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

/// <summary>A Pilkada 2024 TPS (polling station).</summary>
public class Tps
{
    /// <summary>KPU TPS code: 10-digit desa code + 3-digit number.</summary>
    public required string Code { get; set; }
    public required string DesaCode { get; set; }
    public required string KecamatanCode { get; set; }
    public required string KabKotaCode { get; set; }
    public int Number { get; set; }
    /// <summary>Registered voters (DPT). Synthesized: the sources publish no per-TPS DPT.</summary>
    public int Dpt { get; set; }
    public int DptMale { get; set; }
    public int DptFemale { get; set; }
    /// <summary>True when the TPS itself or its DPT is synthesized rather than taken from an official source.</summary>
    public bool IsSynthetic { get; set; }
}

/// <summary>Pemilu 2024 TPS per desa as published by KPU (the reference from which Pilkada TPS are derived).</summary>
public class PemiluTps
{
    public required string Code { get; set; }
    public required string DesaCode { get; set; }
    public int Number { get; set; }
    public bool IsKhusus { get; set; }
}
