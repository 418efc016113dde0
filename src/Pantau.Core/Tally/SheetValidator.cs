namespace Pantau.Core.Tally;

/// <summary>One broken rule: a stable code, the fields involved and a message in Indonesian and English naming them.</summary>
public sealed record ValidationIssue(string Code, IReadOnlyList<string> Fields, string MessageId, string MessageEn)
{
    public string Message => $"{MessageId} / {MessageEn}";
}

/// <summary>Stable codes of the C.Hasil arithmetic rules (GLOSSARY rules 1-7) and of the sheet's shape.</summary>
public static class RuleCodes
{
    public const string Negative = "NEGATIVE";                                   // rule 7
    public const string SumPaslonNeSah = "SUM_PASLON_NE_SAH";                    // rule 1
    public const string SahTidakSahNeUsed = "SAH_TIDAK_SAH_NE_USED";             // rule 2
    /// <summary>suara sah + tidak sah differs from the written jumlah suara (rule 2, written total).</summary>
    public const string SahTidakSahNeTotal = "SAH_TIDAK_SAH_NE_TOTAL";
    public const string UsedNeUsers = "USED_NE_USERS";                           // rule 2
    /// <summary>The written jumlah pengguna hak pilih differs from the written jumlah suara (rule 2, written totals).</summary>
    public const string UsersNeTotal = "USERS_NE_TOTAL";
    /// <summary>A written total of a voter section (jumlah pemilih, jumlah pengguna hak pilih) differs from the sum of its rows.</summary>
    public const string VotersNeSum = "VOTERS_NE_SUM";
    public const string UsersNeSum = "USERS_NE_SUM";
    public const string LpNeTotal = "LP_NE_TOTAL";                               // rule 3
    public const string UsersGtRegistered = "USERS_GT_REGISTERED";               // rule 4
    public const string DisabledGtUsers = "DISABLED_GT_USERS";                   // rule 4
    /// <summary>Disabled voters who voted exceed the registered disabled voters (rule 4, the form's two disability rows).</summary>
    public const string DisabledGtRegistered = "DISABLED_GT_REGISTERED";
    /// <summary>A warning, not an error (rule 5): ballots received differ from DPT + 2.5 % (reserves move between TPS under a berita acara).</summary>
    public const string ReceivedNeDptReserve = "RECEIVED_NE_DPT_RESERVE";
    public const string ReceivedNeUsedReturnedUnused = "RECEIVED_NE_USED_RETURNED_UNUSED"; // rule 6
    public const string PaslonUnknown = "PASLON_UNKNOWN";
    public const string PaslonMissing = "PASLON_MISSING";

    /// <summary>The codes of the vote arithmetic (the votes do not add up), as opposed to the voter, ballot and shape rules.</summary>
    public static readonly IReadOnlySet<string> VoteArithmetic = new HashSet<string> { SumPaslonNeSah, SahTidakSahNeTotal, SahTidakSahNeUsed };
}

/// <summary>
/// Checks a sheet against every C.Hasil arithmetic rule of the glossary. Pure and allocation-light. A rule is checked only when
/// every field it reads is present on the sheet (a partial sheet from another source, or a version-1 sheet without the form's
/// written totals and registered disabled voters); messages use the names of the contest's kind (<see cref="SheetNaming"/>).
/// </summary>
public static class SheetValidator
{
    /// <summary>Ballots a TPS receives: DPT plus a 2.5% reserve, rounded up (rule 5).</summary>
    public static long BallotsFor(long dpt) => dpt + (dpt * 25 + 999) / 1000;

    /// <param name="paslonNumbers">The ballot numbers of the contest (0 for kolom kosong); null skips the column check.</param>
    public static IReadOnlyList<ValidationIssue> Validate(CHasilSheet s, IReadOnlyCollection<int>? paslonNumbers = null, SheetNaming naming = SheetNaming.Pilkada)
    {
        var issues = new List<ValidationIssue>();
        void Add(string code, string id, string en, params string[] fields) =>
            issues.Add(new ValidationIssue(code, fields, SheetNames.Rename(id, naming), SheetNames.Rename(en, naming)));
        static string L(string f) => SheetFields.Label(f).Id;
        static string E(string f) => SheetFields.Label(f).En;
        bool H(string f) => SheetFields.Find(f)!.Has(s);
        long V(string f) => SheetFields.Find(f)!.Get(s);

        // Rule 7: non-negative.
        foreach (var f in SheetFields.Numeric)
            if (f.Get(s) < 0) Add(RuleCodes.Negative, $"{f.LabelId} tidak boleh negatif", $"{f.LabelEn} must not be negative", f.Name);
        foreach (var (n, v) in s.Votes)
            if (v < 0) Add(RuleCodes.Negative, $"{L(SheetFields.VoteField(n))} tidak boleh negatif", $"{E(SheetFields.VoteField(n))} must not be negative", SheetFields.VoteField(n));

        // Columns of the contest (a partial sheet without any votes has no columns to check).
        if (paslonNumbers is not null && !(s.IsPartial && s.Votes.Count == 0))
        {
            foreach (var n in s.Votes.Keys.Where(n => !paslonNumbers.Contains(n)))
                Add(RuleCodes.PaslonUnknown, $"nomor urut {n} tidak ada dalam pemilihan ini", $"ballot number {n} is not in this contest", SheetFields.VoteField(n));
            foreach (var n in paslonNumbers.Where(n => !s.Votes.ContainsKey(n)))
                Add(RuleCodes.PaslonMissing, $"{L(SheetFields.VoteField(n))} belum diisi", $"{E(SheetFields.VoteField(n))} is missing", SheetFields.VoteField(n));
        }

        // Rule 1.
        if (H("suaraSah") && (s.Votes.Count > 0 || !s.IsPartial) && s.VotesTotal != s.SuaraSah)
            Add(RuleCodes.SumPaslonNeSah, $"jumlah suara paslon ({s.VotesTotal}) tidak sama dengan suara sah ({s.SuaraSah})",
                $"sum of paslon votes ({s.VotesTotal}) differs from valid votes ({s.SuaraSah})",
                [.. s.Votes.Keys.Select(SheetFields.VoteField), "suaraSah"]);

        // Rule 2, with the written totals where the sheet has them.
        var sahTidakSah = s.SuaraSah + s.SuaraTidakSah;
        if (H("suaraSah") && H("suaraTidakSah") && H("ballotsUsed") && sahTidakSah != s.BallotsUsed)
            Add(RuleCodes.SahTidakSahNeUsed, $"suara sah + suara tidak sah ({sahTidakSah}) tidak sama dengan surat suara digunakan ({s.BallotsUsed})",
                $"valid + invalid votes ({sahTidakSah}) differ from ballots used ({s.BallotsUsed})", "suaraSah", "suaraTidakSah", "ballotsUsed");
        if (s.SuaraTotal is { } total && H("suaraSah") && H("suaraTidakSah") && sahTidakSah != total)
            Add(RuleCodes.SahTidakSahNeTotal, $"suara sah + suara tidak sah ({sahTidakSah}) tidak sama dengan {L("suaraTotal")} ({total})",
                $"valid + invalid votes ({sahTidakSah}) differ from {E("suaraTotal")} ({total})", "suaraSah", "suaraTidakSah", "suaraTotal");
        if (H("ballotsUsed") && H("usersDpt") && H("usersDpph") && H("usersDptb") && s.BallotsUsed != s.UsersTotal)
            Add(RuleCodes.UsedNeUsers, $"surat suara digunakan ({s.BallotsUsed}) tidak sama dengan pengguna hak pilih DPT + DPPh + DPTb ({s.UsersTotal})",
                $"ballots used ({s.BallotsUsed}) differ from voters who voted, DPT + DPPh + DPTb ({s.UsersTotal})", "ballotsUsed", "usersDpt", "usersDpph", "usersDptb");
        if (s.Users is { } users && s.SuaraTotal is { } total2 && users != total2)
            Add(RuleCodes.UsersNeTotal, $"{L("users")} ({users}) tidak sama dengan {L("suaraTotal")} ({total2})",
                $"{E("users")} ({users}) differs from {E("suaraTotal")} ({total2})", "users", "suaraTotal");

        // The written totals of the voter sections against their rows.
        foreach (var (code, total3, parts) in WrittenTotals)
        {
            if (!H(total3) || !parts.All(H)) continue;
            var sum = parts.Sum(V);
            if (sum != V(total3))
                Add(code, $"{L(total3)} ({V(total3)}) tidak sama dengan {string.Join(" + ", parts.Select(L))} ({sum})",
                    $"{E(total3)} ({V(total3)}) differs from {string.Join(" + ", parts.Select(E))} ({sum})", [total3, .. parts]);
        }

        // Rule 3.
        foreach (var (l, p, t) in LpTriples)
        {
            if (!H(l) || !H(p) || !H(t)) continue;
            long lv = V(l), pv = V(p), tv = V(t);
            if (lv + pv != tv)
                Add(RuleCodes.LpNeTotal, $"{L(l)} + {L(p)} ({lv + pv}) tidak sama dengan {L(t)} ({tv})",
                    $"{E(l)} + {E(p)} ({lv + pv}) differ from {E(t)} ({tv})", l, p, t);
        }

        // Rule 4.
        foreach (var (u, r, code) in UsersVsRegistered)
        {
            if (!H(u) || !H(r)) continue;
            long uv = V(u), rv = V(r);
            if (uv > rv)
                Add(code, $"{L(u)} ({uv}) melebihi {L(r)} ({rv})", $"{E(u)} ({uv}) exceeds {E(r)} ({rv})", u, r);
        }
        string[] usersLFields = ["usersDptL", "usersDpphL", "usersDptbL"], usersPFields = ["usersDptP", "usersDpphP", "usersDptbP"], usersFields = ["usersDpt", "usersDpph", "usersDptb"];
        foreach (var (d, uf, uid, uen) in new[]
                 {
                     ("disabledL", usersLFields, "pengguna hak pilih laki-laki", "male voters who voted"),
                     ("disabledP", usersPFields, "pengguna hak pilih perempuan", "female voters who voted"),
                     ("disabled", usersFields, "pengguna hak pilih", "voters who voted"),
                 })
        {
            if (!H(d) || !uf.All(H)) continue;
            long dv = V(d), uv = uf.Sum(V);
            if (dv > uv)
                Add(RuleCodes.DisabledGtUsers, $"{L(d)} ({dv}) melebihi {uid} ({uv})", $"{E(d)} ({dv}) exceeds {uen} ({uv})", d);
        }

        // Rule 5 is a warning (see Warnings). Rule 6.
        if (H("ballotsReceived") && H("ballotsUsed") && H("ballotsDamaged") && H("ballotsUnused"))
        {
            var sum = s.BallotsUsed + s.BallotsDamaged + s.BallotsUnused;
            if (s.BallotsReceived != sum)
                Add(RuleCodes.ReceivedNeUsedReturnedUnused, $"surat suara diterima ({s.BallotsReceived}) tidak sama dengan digunakan + dikembalikan + tidak digunakan ({sum})",
                    $"ballots received ({s.BallotsReceived}) differ from used + returned + unused ({sum})", "ballotsReceived", "ballotsUsed", "ballotsDamaged", "ballotsUnused");
        }
        return issues;
    }

    /// <summary>
    /// Differences to explain that are not arithmetic errors of the count: rule 5, ballots received against DPT + 2.5 % reserve
    /// (reserves move between TPS under a berita acara, and SIREKAP does not check it). A warning does not flag the sheet.
    /// </summary>
    public static IReadOnlyList<ValidationIssue> Warnings(CHasilSheet s, SheetNaming naming = SheetNaming.Pilkada)
    {
        if (!s.Has("ballotsReceived") || !s.Has("dpt")) return [];
        var expected = BallotsFor(s.Dpt);
        if (s.BallotsReceived == expected) return [];
        return [new ValidationIssue(RuleCodes.ReceivedNeDptReserve, ["ballotsReceived", "dpt"],
            SheetNames.Rename($"surat suara diterima ({s.BallotsReceived}) berbeda dari DPT + 2,5% cadangan = {expected}: jelaskan (berita acara pemindahan cadangan)", naming),
            SheetNames.Rename($"ballots received ({s.BallotsReceived}) differ from DPT + 2.5% reserve = {expected}: explain (berita acara of moved reserves)", naming))];
    }

    private static readonly (string Code, string Total, string[] Parts)[] WrittenTotals =
    [
        (RuleCodes.VotersNeSum, "votersL", ["dptL", "dpphL", "dptbL"]), (RuleCodes.VotersNeSum, "votersP", ["dptP", "dpphP", "dptbP"]),
        (RuleCodes.VotersNeSum, "voters", ["dpt", "dpph", "dptb"]),
        (RuleCodes.UsersNeSum, "usersL", ["usersDptL", "usersDpphL", "usersDptbL"]), (RuleCodes.UsersNeSum, "usersP", ["usersDptP", "usersDpphP", "usersDptbP"]),
        (RuleCodes.UsersNeSum, "users", ["usersDpt", "usersDpph", "usersDptb"]),
    ];

    private static readonly (string L, string P, string T)[] LpTriples =
    [
        ("dptL", "dptP", "dpt"), ("dpphL", "dpphP", "dpph"), ("dptbL", "dptbP", "dptb"),
        ("usersDptL", "usersDptP", "usersDpt"), ("usersDpphL", "usersDpphP", "usersDpph"), ("usersDptbL", "usersDptbP", "usersDptb"),
        ("disabledL", "disabledP", "disabled"), ("disabledRegisteredL", "disabledRegisteredP", "disabledRegistered"),
        ("votersL", "votersP", "voters"), ("usersL", "usersP", "users"),
    ];

    private static readonly (string Users, string Registered, string Code)[] UsersVsRegistered =
    [
        ("usersDptL", "dptL", RuleCodes.UsersGtRegistered), ("usersDptP", "dptP", RuleCodes.UsersGtRegistered), ("usersDpt", "dpt", RuleCodes.UsersGtRegistered),
        ("usersDpphL", "dpphL", RuleCodes.UsersGtRegistered), ("usersDpphP", "dpphP", RuleCodes.UsersGtRegistered), ("usersDpph", "dpph", RuleCodes.UsersGtRegistered),
        ("usersDptbL", "dptbL", RuleCodes.UsersGtRegistered), ("usersDptbP", "dptbP", RuleCodes.UsersGtRegistered), ("usersDptb", "dptb", RuleCodes.UsersGtRegistered),
        ("disabledL", "disabledRegisteredL", RuleCodes.DisabledGtRegistered), ("disabledP", "disabledRegisteredP", RuleCodes.DisabledGtRegistered),
        ("disabled", "disabledRegistered", RuleCodes.DisabledGtRegistered),
    ];
}
