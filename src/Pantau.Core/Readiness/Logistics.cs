using Pantau.Core.Regions;

namespace Pantau.Core.Readiness;

/// <summary>A logistics item kind. Per-contest items are keyed <c>kind:CONTEST</c> (e.g. <c>surat-suara:PILGUB-16</c>).</summary>
public sealed record LogisticsItemKind(string Code, string NameId, string NameEn, bool PerContest, Func<int, int> PerTps);

/// <summary>Required quantity of one item at one TPS.</summary>
public sealed record Requirement(string ItemKey, string NameId, string NameEn, long Quantity);

/// <summary>
/// Logistics per TPS (GLOSSARY "Logistics per TPS"). Ballots: ceil(DPT × 1.025) per contest (DPT + 2.5 % reserve), computed in integers.
/// Other quantities are Pantau's planning defaults, documented in docs/readiness.md.
/// </summary>
public static class LogisticsRules
{
    public const string Ballot = "surat-suara";

    public static readonly IReadOnlyList<LogisticsItemKind> Items =
    [
        new(Ballot, "Surat suara", "Ballot papers", true, dpt => Ballots(dpt)),
        new("kotak-suara", "Kotak suara", "Ballot box", true, _ => 1),
        new("bilik-suara", "Bilik suara", "Voting booth", true, _ => 1),
        new("segel", "Segel", "Seals", true, _ => 10),
        new("formulir", "Formulir C/BA (set)", "Forms C/BA (set)", true, _ => 1),
        new("sampul", "Sampul (set)", "Envelopes (set)", true, _ => 1),
        new("gembok", "Gembok", "Padlock", true, _ => 1),
        new("daftar-calon", "Daftar pasangan calon", "Candidate list", true, _ => 1),
        new("alat-bantu-tunanetra", "Alat bantu tunanetra", "Braille template", true, _ => 1),
        new("tinta", "Tinta", "Indelible ink", false, _ => 2),
        new("alat-coblos", "Alat coblos", "Punching tool", false, _ => 4),
        new("spidol", "Spidol", "Marker", false, _ => 2),
        new("tanda-pengenal", "Tanda pengenal KPPS", "KPPS ID badges", false, _ => 9),
        new("salinan-dpt", "Salinan DPT/DPTb", "DPT/DPTb copies", false, _ => 1),
    ];

    /// <summary>Ballots per contest for a TPS: DPT + ceil(2.5 % of DPT) = ceil(DPT × 1.025), exact integer arithmetic.</summary>
    public static int Ballots(int dpt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dpt);
        return checked((int)((dpt * 1025L + 999) / 1000));
    }

    public static LogisticsItemKind? Kind(string itemKey) => Items.FirstOrDefault(i => i.Code == KindCode(itemKey));

    public static string KindCode(string itemKey) => itemKey.Split(':')[0];

    public static string Key(LogisticsItemKind kind, string? contest) => kind.PerContest ? $"{kind.Code}:{contest}" : kind.Code;

    /// <summary>True when <paramref name="itemKey"/> names a known item (with a contest of <paramref name="contests"/> when per contest).</summary>
    public static bool IsValidKey(string itemKey, IReadOnlyCollection<string> contests)
    {
        var kind = Kind(itemKey);
        if (kind is null) return false;
        var parts = itemKey.Split(':');
        return kind.PerContest ? parts.Length == 2 && contests.Contains(parts[1]) : parts.Length == 1;
    }

    /// <summary>Everything one TPS needs for the contests held there (in Sumsel: the governor race and its bupati/walikota race).</summary>
    public static IReadOnlyList<Requirement> ForTps(int dpt, IReadOnlyList<string> contests)
    {
        var list = new List<Requirement>();
        foreach (var k in Items)
        {
            if (k.PerContest) foreach (var c in contests) list.Add(new(Key(k, c), $"{k.NameId} {c}", $"{k.NameEn} {c}", k.PerTps(dpt)));
            else list.Add(new(k.Code, k.NameId, k.NameEn, k.PerTps(dpt)));
        }
        return list;
    }

    /// <summary>Sum of requirements over many TPS (given their DPT), by item key.</summary>
    public static Dictionary<string, long> Sum(IEnumerable<(int Dpt, IReadOnlyList<string> Contests)> tps)
    {
        var sum = new Dictionary<string, long>();
        foreach (var (dpt, contests) in tps)
            foreach (var r in ForTps(dpt, contests))
                sum[r.ItemKey] = sum.GetValueOrDefault(r.ItemKey) + r.Quantity;
        return sum;
    }
}

/// <summary>Who holds logistics at each step of the chain.</summary>
public enum CustodyLevel { Warehouse = 2, Ppk = 3, Pps = 4, Kpps = 5 }

/// <summary>A holder in the chain: the KPU kab/kota warehouse (kab/kota code), PPK (kecamatan code), PPS (desa code) or KPPS (TPS code).</summary>
public sealed record CustodyNode(CustodyLevel Level, string Code)
{
    /// <summary>The dotted region code used for scope checks (a TPS maps to its desa).</summary>
    public string RegionCode => Level == CustodyLevel.Kpps && Pantau.Core.Regions.RegionCode.TryParseTpsCode(Code, out var desa, out _) ? desa : Code;

    /// <summary>Reads a holder from a code: 5-char kab/kota → warehouse, kecamatan → PPK, desa → PPS, 13-digit TPS code → KPPS.</summary>
    public static bool TryParse(string? code, out CustodyNode node)
    {
        node = null!;
        if (string.IsNullOrEmpty(code)) return false;
        if (Regions.RegionCode.TryParseTpsCode(code, out _, out _)) { node = new(CustodyLevel.Kpps, code); return true; }
        if (!Regions.RegionCode.TryGetLevel(code, out var level) || level == RegionLevel.Provinsi) return false;
        node = new((CustodyLevel)(int)level, code);
        return true;
    }
}

public static class CustodyChain
{
    /// <summary>
    /// A handover must go exactly one step down the chain to a holder beneath the sender: warehouse → PPK of a kecamatan of the same kab/kota,
    /// PPK → PPS of a desa in that kecamatan, PPS → KPPS of a TPS in that desa. Returns an error (id / en) or null.
    /// </summary>
    public static string? Validate(CustodyNode from, CustodyNode to)
    {
        if ((int)to.Level != (int)from.Level + 1)
            return $"Serah terima harus satu tingkat ke bawah ({Name(from.Level)} → {Next(from.Level)}), bukan {Name(from.Level)} → {Name(to.Level)} / a handover goes exactly one step down the chain.";
        var parent = to.Level == CustodyLevel.Kpps ? to.RegionCode : RegionCode.ParentOf(to.Code);
        if (parent != from.Code)
            return $"{Name(to.Level)} {to.Code} bukan bagian dari {Name(from.Level)} {from.Code} / {to.Code} is not within {from.Code}: the handover leaves the chain.";
        return null;
    }

    public static string Name(CustodyLevel l) => l switch
    {
        CustodyLevel.Warehouse => "Gudang KPU kab/kota",
        CustodyLevel.Ppk => "PPK",
        CustodyLevel.Pps => "PPS",
        _ => "KPPS",
    };

    private static string Next(CustodyLevel l) => l == CustodyLevel.Kpps ? "-" : Name(l + 1);
}

public enum DiscrepancyKind { ReceivedNotSent = 1, Damaged = 2, ShortOfRequirement = 3, NotAtPpkByTarget = 4 }

public sealed record Discrepancy(DiscrepancyKind Kind, string RegionCode, string? ItemKey, long Expected, long Actual, string MessageId, string MessageEn);

/// <summary>Discrepancy rules (pure).</summary>
public static class Discrepancies
{
    /// <summary>Damaged share of what was sent above which a line is flagged (0.5 %). Any damage on a non-ballot item with fewer than 200 sent counts.</summary>
    public const double DamageThreshold = 0.005;

    public static IEnumerable<Discrepancy> ForLine(string toCode, string itemKey, long sent, long received, long damaged)
    {
        if (received != sent)
            yield return new(DiscrepancyKind.ReceivedNotSent, toCode, itemKey, sent, received,
                $"{itemKey}: diterima {Id(received)} ≠ dikirim {Id(sent)}", $"{itemKey}: received {En(received)} ≠ sent {En(sent)}");
        if (DamageAboveThreshold(sent, damaged))
            yield return new(DiscrepancyKind.Damaged, toCode, itemKey, (long)Math.Floor(sent * DamageThreshold), damaged,
                $"{itemKey}: {Id(damaged)} rusak (di atas {DamageThreshold.ToString("P1", MessageNumbers.IdCulture)})", $"{itemKey}: {En(damaged)} damaged (above {DamageThreshold.ToString("P1", MessageNumbers.EnCulture)})");
    }

    private static string Id(long n) => MessageNumbers.Id(n);
    private static string En(long n) => MessageNumbers.En(n);

    /// <summary>Damage above the threshold: more than 0.5 % of what was sent (strictly).</summary>
    public static bool DamageAboveThreshold(long sent, long damaged) => damaged > 0 && damaged * 1000 > sent * 5;

    /// <summary>Usable stock (received − damaged) at a holder compared with what the TPS beneath it need.</summary>
    public static IEnumerable<Discrepancy> Shortfalls(string regionCode, IReadOnlyDictionary<string, long> required, IReadOnlyDictionary<string, long> usable)
    {
        foreach (var (key, need) in required.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var have = usable.GetValueOrDefault(key);
            if (have < need)
                yield return new(DiscrepancyKind.ShortOfRequirement, regionCode, key, need, have,
                    $"{key}: kurang {Id(need - have)} dari kebutuhan {Id(need)}", $"{key}: {En(need - have)} short of the requirement {En(need)}");
        }
    }

    /// <summary>Logistics must be at the PPK by its target day; after that day a kecamatan without any received handover is flagged.</summary>
    public static Discrepancy? NotAtPpk(string kecamatanCode, bool anyReceived, DateOnly target, DateOnly today) =>
        anyReceived || today <= target ? null
        : new(DiscrepancyKind.NotAtPpkByTarget, kecamatanCode, null, 1, 0,
            $"Logistik belum tiba di PPK (target {target:yyyy-MM-dd})", $"Logistics not at the PPK (target {target:yyyy-MM-dd})");
}

/// <summary>One line of a handover that asks for more than its sender holds.</summary>
public sealed record Overdraw(int Line, string ItemKey, long Sent, long OnHand, string MessageId, string MessageEn);

/// <summary>
/// Stock on hand at a holder of the chain (PPK, PPS): what it received minus what it has handed over, per item (void berita acara are
/// left out by the caller). A holder cannot hand over what it never received. The KPU kab/kota warehouse is the chain's source: what it
/// gets from the printer is not recorded in Pantau, so its handovers are not checked against receipts.
/// </summary>
public static class CustodyStock
{
    public static bool Applies(CustodyLevel sender) => sender != CustodyLevel.Warehouse;

    public static Dictionary<string, long> OnHand(IEnumerable<(string Item, long Quantity)> received, IEnumerable<(string Item, long Quantity)> handedOver)
    {
        var stock = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (item, q) in received) stock[item] = stock.GetValueOrDefault(item) + q;
        foreach (var (item, q) in handedOver) stock[item] = stock.GetValueOrDefault(item) - q;
        return stock;
    }

    /// <summary>Lines of a new handover whose sent count exceeds the sender's stock on hand of that item.</summary>
    public static IEnumerable<Overdraw> Overdrawn(string sender, IReadOnlyDictionary<string, long> onHand, IReadOnlyList<(string Item, long Sent)> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var (item, sent) = lines[i];
            var have = Math.Max(0, onHand.GetValueOrDefault(item));
            if (sent > have)
                yield return new(i, item, sent, have,
                    $"{sender} hanya memegang {Id(have)} {item} (diterima dikurangi yang sudah diserahkan), tidak bisa menyerahkan {Id(sent)}",
                    $"{sender} holds only {En(have)} {item} (received minus handed over) and cannot hand over {En(sent)}");
        }
    }

    private static string Id(long n) => MessageNumbers.Id(n);
    private static string En(long n) => MessageNumbers.En(n);
}

/// <summary>Numbers in the logistics messages the way each language writes them (1.000 and 0,5% in Indonesian; 1,000 and 0.5% in English).</summary>
internal static class MessageNumbers
{
    public static readonly System.Globalization.CultureInfo IdCulture = System.Globalization.CultureInfo.GetCultureInfo("id-ID");
    public static readonly System.Globalization.CultureInfo EnCulture = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
    public static string Id(long n) => n.ToString("N0", IdCulture);
    public static string En(long n) => n.ToString("N0", EnCulture);
}
