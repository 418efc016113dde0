namespace Pantau.Core.Tally;

/// <summary>One broken rule: a stable code, the fields involved and a message in Indonesian and English naming them.</summary>
public sealed record ValidationIssue(string Code, IReadOnlyList<string> Fields, string MessageId, string MessageEn)
{
    public string Message => $"{MessageId} / {MessageEn}";
}

/// <summary>Stable codes of the C.Hasil-KWK arithmetic rules (GLOSSARY rules 1-7) and of the sheet's shape.</summary>
public static class RuleCodes
{
    public const string Negative = "NEGATIVE";                                   // rule 7
    public const string SumPaslonNeSah = "SUM_PASLON_NE_SAH";                    // rule 1
    public const string SahTidakSahNeUsed = "SAH_TIDAK_SAH_NE_USED";             // rule 2
    public const string UsedNeUsers = "USED_NE_USERS";                           // rule 2
    public const string LpNeTotal = "LP_NE_TOTAL";                               // rule 3
    public const string UsersGtRegistered = "USERS_GT_REGISTERED";               // rule 4
    public const string DisabledGtUsers = "DISABLED_GT_USERS";                   // rule 4
    public const string ReceivedNeDptReserve = "RECEIVED_NE_DPT_RESERVE";        // rule 5
    public const string ReceivedNeUsedReturnedUnused = "RECEIVED_NE_USED_RETURNED_UNUSED"; // rule 6
    public const string PaslonUnknown = "PASLON_UNKNOWN";
    public const string PaslonMissing = "PASLON_MISSING";
}

/// <summary>Checks a sheet against every C.Hasil-KWK arithmetic rule of the glossary. Pure and allocation-light.</summary>
public static class SheetValidator
{
    /// <summary>Ballots a TPS receives: DPT plus a 2.5% reserve, rounded up (rule 5).</summary>
    public static long BallotsFor(long dpt) => dpt + (dpt * 25 + 999) / 1000;

    /// <param name="paslonNumbers">The ballot numbers of the contest (0 for kolom kosong); null skips the column check.</param>
    public static IReadOnlyList<ValidationIssue> Validate(CHasilSheet s, IReadOnlyCollection<int>? paslonNumbers = null)
    {
        var issues = new List<ValidationIssue>();
        void Add(string code, string id, string en, params string[] fields) => issues.Add(new ValidationIssue(code, fields, id, en));
        static string L(string f) => SheetFields.Label(f).Id;
        static string E(string f) => SheetFields.Label(f).En;

        // Rule 7: non-negative.
        foreach (var f in SheetFields.Numeric)
            if (f.Get(s) < 0) Add(RuleCodes.Negative, $"{f.LabelId} tidak boleh negatif", $"{f.LabelEn} must not be negative", f.Name);
        foreach (var (n, v) in s.Votes)
            if (v < 0) Add(RuleCodes.Negative, $"{L(SheetFields.VoteField(n))} tidak boleh negatif", $"{E(SheetFields.VoteField(n))} must not be negative", SheetFields.VoteField(n));

        // Columns of the contest.
        if (paslonNumbers is not null)
        {
            foreach (var n in s.Votes.Keys.Where(n => !paslonNumbers.Contains(n)))
                Add(RuleCodes.PaslonUnknown, $"nomor urut {n} tidak ada dalam pemilihan ini", $"ballot number {n} is not in this contest", SheetFields.VoteField(n));
            foreach (var n in paslonNumbers.Where(n => !s.Votes.ContainsKey(n)))
                Add(RuleCodes.PaslonMissing, $"{L(SheetFields.VoteField(n))} belum diisi", $"{E(SheetFields.VoteField(n))} is missing", SheetFields.VoteField(n));
        }

        // Rule 1.
        if (s.VotesTotal != s.SuaraSah)
            Add(RuleCodes.SumPaslonNeSah, $"jumlah suara paslon ({s.VotesTotal}) tidak sama dengan suara sah ({s.SuaraSah})",
                $"sum of paslon votes ({s.VotesTotal}) differs from valid votes ({s.SuaraSah})",
                [.. s.Votes.Keys.Select(SheetFields.VoteField), "suaraSah"]);

        // Rule 2.
        if (s.SuaraSah + s.SuaraTidakSah != s.BallotsUsed)
            Add(RuleCodes.SahTidakSahNeUsed, $"suara sah + suara tidak sah ({s.SuaraSah + s.SuaraTidakSah}) tidak sama dengan surat suara digunakan ({s.BallotsUsed})",
                $"valid + invalid votes ({s.SuaraSah + s.SuaraTidakSah}) differ from ballots used ({s.BallotsUsed})", "suaraSah", "suaraTidakSah", "ballotsUsed");
        if (s.BallotsUsed != s.UsersTotal)
            Add(RuleCodes.UsedNeUsers, $"surat suara digunakan ({s.BallotsUsed}) tidak sama dengan pengguna hak pilih DPT + DPPh + DPTb ({s.UsersTotal})",
                $"ballots used ({s.BallotsUsed}) differ from voters who voted, DPT + DPPh + DPTb ({s.UsersTotal})", "ballotsUsed", "usersDpt", "usersDpph", "usersDptb");

        // Rule 3.
        foreach (var (l, p, t) in LpTriples)
        {
            long lv = SheetFields.Find(l)!.Get(s), pv = SheetFields.Find(p)!.Get(s), tv = SheetFields.Find(t)!.Get(s);
            if (lv + pv != tv)
                Add(RuleCodes.LpNeTotal, $"{L(l)} + {L(p)} ({lv + pv}) tidak sama dengan {L(t)} ({tv})",
                    $"{E(l)} + {E(p)} ({lv + pv}) differ from {E(t)} ({tv})", l, p, t);
        }

        // Rule 4.
        foreach (var (u, r) in UsersVsRegistered)
        {
            long uv = SheetFields.Find(u)!.Get(s), rv = SheetFields.Find(r)!.Get(s);
            if (uv > rv)
                Add(RuleCodes.UsersGtRegistered, $"{L(u)} ({uv}) melebihi {L(r)} ({rv})", $"{E(u)} ({uv}) exceeds {E(r)} ({rv})", u, r);
        }
        var usersL = s.UsersDptL + s.UsersDpphL + s.UsersDptbL;
        var usersP = s.UsersDptP + s.UsersDpphP + s.UsersDptbP;
        foreach (var (d, dv, uv, uid, uen) in new[]
                 {
                     ("disabledL", s.DisabledL, usersL, "pengguna hak pilih laki-laki", "male voters who voted"),
                     ("disabledP", s.DisabledP, usersP, "pengguna hak pilih perempuan", "female voters who voted"),
                     ("disabled", s.Disabled, s.UsersTotal, "pengguna hak pilih", "voters who voted"),
                 })
            if (dv > uv)
                Add(RuleCodes.DisabledGtUsers, $"{L(d)} ({dv}) melebihi {uid} ({uv})", $"{E(d)} ({dv}) exceeds {uen} ({uv})", d);

        // Rule 5.
        var expected = BallotsFor(s.Dpt);
        if (s.BallotsReceived != expected)
            Add(RuleCodes.ReceivedNeDptReserve, $"surat suara diterima ({s.BallotsReceived}) harus DPT + 2,5% cadangan = {expected}",
                $"ballots received ({s.BallotsReceived}) must be DPT + 2.5% reserve = {expected}", "ballotsReceived", "dpt");

        // Rule 6.
        var sum = s.BallotsUsed + s.BallotsDamaged + s.BallotsUnused;
        if (s.BallotsReceived != sum)
            Add(RuleCodes.ReceivedNeUsedReturnedUnused, $"surat suara diterima ({s.BallotsReceived}) tidak sama dengan digunakan + dikembalikan + tidak digunakan ({sum})",
                $"ballots received ({s.BallotsReceived}) differ from used + returned + unused ({sum})", "ballotsReceived", "ballotsUsed", "ballotsDamaged", "ballotsUnused");
        return issues;
    }

    private static readonly (string L, string P, string T)[] LpTriples =
    [
        ("dptL", "dptP", "dpt"), ("dpphL", "dpphP", "dpph"), ("dptbL", "dptbP", "dptb"),
        ("usersDptL", "usersDptP", "usersDpt"), ("usersDpphL", "usersDpphP", "usersDpph"), ("usersDptbL", "usersDptbP", "usersDptb"),
        ("disabledL", "disabledP", "disabled"),
    ];

    private static readonly (string Users, string Registered)[] UsersVsRegistered =
    [
        ("usersDptL", "dptL"), ("usersDptP", "dptP"), ("usersDpt", "dpt"),
        ("usersDpphL", "dpphL"), ("usersDpphP", "dpphP"), ("usersDpph", "dpph"),
        ("usersDptbL", "dptbL"), ("usersDptbP", "dptbP"), ("usersDptb", "dptb"),
    ];
}
