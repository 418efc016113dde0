namespace Pantau.Core.Readiness;

/// <summary>A checklist item definition (seeded; one task per region of its level).</summary>
public sealed record TemplateDefinition(string Code, ReadinessLevel Level, ReadinessCategory Category, string TitleId, string TitleEn,
    string Owner, string TargetRule, bool BlocksVoting);

public static class ReadinessTemplates
{
    /// <summary>Template whose target is the day logistics must be at the PPK (used by the "not at PPK by target" rule).</summary>
    public const string LogisticsAtPpk = "kec-logistik-ppk";

    public static IReadOnlyList<TemplateDefinition> Default { get; } =
    [
        new("prov-posko", ReadinessLevel.Provinsi, ReadinessCategory.Infrastructure, "Posko Desk Pilkada provinsi beroperasi 24 jam", "Province Desk Pilkada post staffed 24 h", "Kesbangpol Provinsi", "H-14", false),
        new("prov-rakor-pengamanan", ReadinessLevel.Provinsi, ReadinessCategory.Infrastructure, "Rakor pengamanan Forkopimda provinsi", "Province Forkopimda security meeting", "Polda Sumsel", "masa-tenang.start-3", true),
        new("prov-jaringan-rekap", ReadinessLevel.Provinsi, ReadinessCategory.CountingIt, "Jaringan dan perangkat rekap provinsi diuji", "Province recap network and devices tested", "KPU Provinsi / Diskominfo", "rekap-provinsi.start-7", false),
        new("kk-gudang", ReadinessLevel.KabKota, ReadinessCategory.Logistics, "Gudang logistik KPU kab/kota siap dan aman", "KPU warehouse ready and secured", "KPU kab/kota", "kampanye.start+0", true),
        new("kk-sortir-lipat", ReadinessLevel.KabKota, ReadinessCategory.Logistics, "Sortir dan lipat surat suara selesai", "Ballots sorted and folded", "KPU kab/kota", "H-14", true),
        new("kk-jaringan-rekap", ReadinessLevel.KabKota, ReadinessCategory.CountingIt, "Jaringan dan perangkat rekap kab/kota diuji", "Regency recap network and devices tested", "KPU kab/kota / Diskominfo", "H-7", true),
        new(LogisticsAtPpk, ReadinessLevel.Kecamatan, ReadinessCategory.Logistics, "Logistik diterima PPK", "Logistics received by the PPK", "KPU kab/kota", "H-7", true),
        new("kec-gudang-ppk", ReadinessLevel.Kecamatan, ReadinessCategory.Infrastructure, "Tempat penyimpanan logistik PPK aman", "PPK storage secured", "Camat / PPK", "H-10", false),
        new("kec-tempat-rekap", ReadinessLevel.Kecamatan, ReadinessCategory.Infrastructure, "Tempat rekapitulasi kecamatan siap", "Kecamatan recap venue ready", "Camat", "rekap-kecamatan.start-3", false),
        new("desa-logistik-pps", ReadinessLevel.Desa, ReadinessCategory.Logistics, "Logistik diterima PPS", "Logistics received by the PPS", "PPK", "H-3", true),
        new("desa-bimtek-kpps", ReadinessLevel.Desa, ReadinessCategory.CountingIt, "Bimtek KPPS (termasuk Sirekap) selesai", "KPPS training (incl. Sirekap) done", "PPS", "H-10", false),
        new("tps-lokasi", ReadinessLevel.Tps, ReadinessCategory.Infrastructure, "Lokasi TPS siap (tenda, meja, akses disabilitas)", "TPS site ready (tent, tables, disability access)", "KPPS / Pemerintah desa", "H-1", true),
        new("tps-listrik", ReadinessLevel.Tps, ReadinessCategory.Infrastructure, "Listrik/penerangan TPS tersedia", "Electricity/lighting at the TPS", "PLN / Pemerintah desa", "H-3", true),
        new("tps-sinyal", ReadinessLevel.Tps, ReadinessCategory.CountingIt, "Sinyal internet untuk unggah hasil dicek", "Internet signal for result upload checked", "Diskominfo / operator seluler", "H-7", true),
        new("tps-perangkat", ReadinessLevel.Tps, ReadinessCategory.CountingIt, "Ponsel KPPS dan aplikasi Sirekap diuji", "KPPS phone and Sirekap app tested", "KPPS", "H-3", true),
        new("tps-logistik", ReadinessLevel.Tps, ReadinessCategory.Logistics, "Logistik TPS diterima lengkap oleh KPPS", "TPS logistics received complete by KPPS", "PPS", "H-1", true),
        new("tps-linmas", ReadinessLevel.Tps, ReadinessCategory.Infrastructure, "Petugas ketertiban/Linmas TPS ditetapkan", "TPS order officers (Linmas) assigned", "Pemerintah desa / Satpol PP", "H-5", false),
    ];
}
