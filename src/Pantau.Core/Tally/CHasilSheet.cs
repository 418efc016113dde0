using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Pantau.Core.Tally;

/// <summary>
/// One C.Hasil-KWK result sheet: the count of one contest at one TPS. Immutable; field names are the flat names used by the
/// JSON API, the CSV batch format, the HTML form and the validation messages (see <see cref="SheetFields"/>).
/// </summary>
public sealed record CHasilSheet
{
    public required string Contest { get; init; }
    public required string Tps { get; init; }
    /// <summary>Votes per ballot number; 0 is the kolom kosong column.</summary>
    public ImmutableSortedDictionary<int, long> Votes { get; init; } = ImmutableSortedDictionary<int, long>.Empty;
    public long SuaraSah { get; init; }
    public long SuaraTidakSah { get; init; }
    public long DptL { get; init; }
    public long DptP { get; init; }
    public long Dpt { get; init; }
    public long DpphL { get; init; }
    public long DpphP { get; init; }
    public long Dpph { get; init; }
    public long DptbL { get; init; }
    public long DptbP { get; init; }
    public long Dptb { get; init; }
    public long UsersDptL { get; init; }
    public long UsersDptP { get; init; }
    public long UsersDpt { get; init; }
    public long UsersDpphL { get; init; }
    public long UsersDpphP { get; init; }
    public long UsersDpph { get; init; }
    public long UsersDptbL { get; init; }
    public long UsersDptbP { get; init; }
    public long UsersDptb { get; init; }
    public long DisabledL { get; init; }
    public long DisabledP { get; init; }
    public long Disabled { get; init; }
    public long BallotsReceived { get; init; }
    public long BallotsUsed { get; init; }
    public long BallotsDamaged { get; init; }
    public long BallotsUnused { get; init; }

    // The rows of the real form added in sheet version 2 (optional: absent when a client or a source does not send them).
    /// <summary>Pemilih disabilitas terdaftar (registered disabled voters); <see cref="Disabled"/> is those who voted.</summary>
    public long? DisabledRegisteredL { get; init; }
    public long? DisabledRegisteredP { get; init; }
    public long? DisabledRegistered { get; init; }
    /// <summary>Jumlah pemilih as written on the form (DPT + DPPh + DPTb).</summary>
    public long? VotersL { get; init; }
    public long? VotersP { get; init; }
    public long? Voters { get; init; }
    /// <summary>Jumlah pengguna hak pilih as written on the form (users of DPT + DPPh + DPTb).</summary>
    public long? UsersL { get; init; }
    public long? UsersP { get; init; }
    public long? Users { get; init; }
    /// <summary>Jumlah seluruh suara sah dan tidak sah as written on the form.</summary>
    public long? SuaraTotal { get; init; }

    /// <summary>
    /// The version-1 fields (<see cref="SheetFields.Numeric"/> indexes below <see cref="SheetFields.V1Count"/>) this sheet does not have:
    /// bit <c>i</c> set means field <c>i</c> is absent (a partial sheet from another source), not zero. 0 on every sheet of the intake.
    /// </summary>
    public ulong Absent { get; init; }

    /// <summary>True when a field of the form is absent (see <see cref="Absent"/>), i.e. a partial sheet.</summary>
    public bool IsPartial => Absent != 0;

    public bool Has(string field) => SheetFields.Find(field) is { } f && f.Has(this);

    /// <summary>Pengguna hak pilih: users from DPT + DPPh + DPTb.</summary>
    public long UsersTotal => UsersDpt + UsersDpph + UsersDptb;
    public long RegisteredTotal => Dpt + Dpph + Dptb;
    public long VotesTotal => Votes.Values.Sum();

    /// <summary>
    /// Canonical encoding, ASCII, invariant digits; two sheets with the same content have the same bytes (docs/log-format.md).
    /// Version 1, <c>C1|contest|tps|n=v,n=v|f1|...|f27</c>: the first <see cref="SheetFields.V1Count"/> numeric fields, when all of
    /// them are present and none of the later ones (every sheet written before version 2 keeps its bytes). Otherwise version 2,
    /// <c>C2|contest|tps|n=v,n=v|f1|...|f37</c>: every field of <see cref="SheetFields.Numeric"/>, <c>-</c> for an absent one.
    /// </summary>
    public string Canonical()
    {
        var v2 = Absent != 0 || DisabledRegisteredL.HasValue || DisabledRegisteredP.HasValue || DisabledRegistered.HasValue || VotersL.HasValue ||
                 VotersP.HasValue || Voters.HasValue || UsersL.HasValue || UsersP.HasValue || Users.HasValue || SuaraTotal.HasValue;
        // Written into a stack buffer (numbers formatted in place): only the result is allocated; intake encodes every sheet.
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[512]);
        text.AppendLiteral(v2 ? "C2|" : "C1|");
        text.AppendLiteral(Contest);
        text.AppendLiteral("|");
        text.AppendLiteral(Tps);
        text.AppendLiteral("|");
        var first = true;
        foreach (var (n, v) in Votes)
        {
            if (!first) text.AppendLiteral(",");
            first = false;
            text.AppendFormatted(n);
            text.AppendLiteral("=");
            text.AppendFormatted(v);
        }
        var count = v2 ? SheetFields.Numeric.Count : SheetFields.V1Count;
        for (var i = 0; i < count; i++)
        {
            text.AppendLiteral("|");
            if (SheetFields.Numeric[i].Value(this) is { } v) text.AppendFormatted(v);
            else text.AppendLiteral("-");
        }
        return text.ToStringAndClear();
    }

    /// <summary>Parses <see cref="Canonical"/> output (version 1 or 2).</summary>
    public static CHasilSheet ParseCanonical(string text)
    {
        var parts = text.Split('|');
        var count = parts.Length > 0 && parts[0] == "C2" ? SheetFields.Numeric.Count : SheetFields.V1Count;
        if (parts.Length != 4 + count || parts[0] is not ("C1" or "C2")) throw new FormatException("Not a canonical C.Hasil sheet.");
        var votes = ImmutableSortedDictionary.CreateBuilder<int, long>();
        if (parts[3].Length > 0)
            foreach (var pair in parts[3].Split(','))
            {
                var eq = pair.IndexOf('=');
                votes[int.Parse(pair[..eq], CultureInfo.InvariantCulture)] = long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture);
            }
        var values = new long?[SheetFields.Numeric.Count];
        for (var i = 0; i < count; i++) values[i] = parts[4 + i] == "-" && count > SheetFields.V1Count ? null : long.Parse(parts[4 + i], CultureInfo.InvariantCulture);
        return SheetFields.Build(parts[1], parts[2], votes.ToImmutable(), values);
    }

    public bool SameContent(CHasilSheet other) => Canonical() == other.Canonical();
}

/// <summary>A numeric field of the sheet with its Indonesian and English labels (Pilkada naming; <see cref="SheetNaming"/> for Pemilu).
/// <see cref="Value"/> is null when the sheet does not have the field; <see cref="Get"/> reads an absent field as 0.</summary>
public sealed record SheetField(string Name, string LabelId, string LabelEn, Func<CHasilSheet, long?> Value)
{
    public long Get(CHasilSheet s) => Value(s) ?? 0;
    public bool Has(CHasilSheet s) => Value(s).HasValue;
}

public static class SheetFields
{
    /// <summary>The fields of sheet version 1 (<c>C1</c>), the first entries of <see cref="Numeric"/>; later ones are optional.</summary>
    public const int V1Count = 27;

    private static SheetField Old(int index, string name, string id, string en, Func<CHasilSheet, long> get) =>
        new(name, id, en, s => (s.Absent & (1UL << index)) != 0 ? null : get(s));

    public static readonly IReadOnlyList<SheetField> Numeric =
    [
        Old(0, "suaraSah", "suara sah", "valid votes", s => s.SuaraSah),
        Old(1, "suaraTidakSah", "suara tidak sah", "invalid votes", s => s.SuaraTidakSah),
        Old(2, "dptL", "DPT laki-laki", "DPT male", s => s.DptL),
        Old(3, "dptP", "DPT perempuan", "DPT female", s => s.DptP),
        Old(4, "dpt", "DPT jumlah", "DPT total", s => s.Dpt),
        Old(5, "dpphL", "DPPh laki-laki", "DPPh male", s => s.DpphL),
        Old(6, "dpphP", "DPPh perempuan", "DPPh female", s => s.DpphP),
        Old(7, "dpph", "DPPh jumlah", "DPPh total", s => s.Dpph),
        Old(8, "dptbL", "DPTb laki-laki", "DPTb male", s => s.DptbL),
        Old(9, "dptbP", "DPTb perempuan", "DPTb female", s => s.DptbP),
        Old(10, "dptb", "DPTb jumlah", "DPTb total", s => s.Dptb),
        Old(11, "usersDptL", "pengguna hak pilih DPT laki-laki", "DPT voters who voted, male", s => s.UsersDptL),
        Old(12, "usersDptP", "pengguna hak pilih DPT perempuan", "DPT voters who voted, female", s => s.UsersDptP),
        Old(13, "usersDpt", "pengguna hak pilih DPT jumlah", "DPT voters who voted, total", s => s.UsersDpt),
        Old(14, "usersDpphL", "pengguna hak pilih DPPh laki-laki", "DPPh voters who voted, male", s => s.UsersDpphL),
        Old(15, "usersDpphP", "pengguna hak pilih DPPh perempuan", "DPPh voters who voted, female", s => s.UsersDpphP),
        Old(16, "usersDpph", "pengguna hak pilih DPPh jumlah", "DPPh voters who voted, total", s => s.UsersDpph),
        Old(17, "usersDptbL", "pengguna hak pilih DPTb laki-laki", "DPTb voters who voted, male", s => s.UsersDptbL),
        Old(18, "usersDptbP", "pengguna hak pilih DPTb perempuan", "DPTb voters who voted, female", s => s.UsersDptbP),
        Old(19, "usersDptb", "pengguna hak pilih DPTb jumlah", "DPTb voters who voted, total", s => s.UsersDptb),
        Old(20, "disabledL", "pengguna hak pilih disabilitas laki-laki", "disabled voters who voted, male", s => s.DisabledL),
        Old(21, "disabledP", "pengguna hak pilih disabilitas perempuan", "disabled voters who voted, female", s => s.DisabledP),
        Old(22, "disabled", "pengguna hak pilih disabilitas jumlah", "disabled voters who voted, total", s => s.Disabled),
        Old(23, "ballotsReceived", "surat suara diterima", "ballots received", s => s.BallotsReceived),
        Old(24, "ballotsUsed", "surat suara digunakan", "ballots used", s => s.BallotsUsed),
        Old(25, "ballotsDamaged", "surat suara dikembalikan (rusak/keliru coblos)", "ballots returned (damaged/spoiled)", s => s.BallotsDamaged),
        Old(26, "ballotsUnused", "surat suara tidak digunakan", "ballots unused", s => s.BallotsUnused),
        // Version 2: the real form's disability and written-total rows.
        new("disabledRegisteredL", "pemilih disabilitas terdaftar laki-laki", "registered disabled voters, male", s => s.DisabledRegisteredL),
        new("disabledRegisteredP", "pemilih disabilitas terdaftar perempuan", "registered disabled voters, female", s => s.DisabledRegisteredP),
        new("disabledRegistered", "pemilih disabilitas terdaftar jumlah", "registered disabled voters, total", s => s.DisabledRegistered),
        new("votersL", "jumlah pemilih (DPT + DPPh + DPTb) laki-laki", "all voters (DPT + DPPh + DPTb), male", s => s.VotersL),
        new("votersP", "jumlah pemilih (DPT + DPPh + DPTb) perempuan", "all voters (DPT + DPPh + DPTb), female", s => s.VotersP),
        new("voters", "jumlah pemilih (DPT + DPPh + DPTb)", "all voters (DPT + DPPh + DPTb), total", s => s.Voters),
        new("usersL", "jumlah pengguna hak pilih laki-laki", "all voters who voted, male", s => s.UsersL),
        new("usersP", "jumlah pengguna hak pilih perempuan", "all voters who voted, female", s => s.UsersP),
        new("users", "jumlah pengguna hak pilih", "all voters who voted, total", s => s.Users),
        new("suaraTotal", "jumlah suara sah dan tidak sah", "valid and invalid votes, total", s => s.SuaraTotal),
    ];

    private static readonly Dictionary<string, int> Index =
        Numeric.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);

    public static SheetField? Find(string name) => Index.TryGetValue(name, out var i) ? Numeric[i] : null;
    public static int IndexOf(string name) => Index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>The field name of the votes of ballot number <paramref name="number"/> (<c>p0</c> is kolom kosong).</summary>
    public static string VoteField(int number) => "p" + number.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseVoteField(string name, out int number)
    {
        number = 0;
        return name.Length > 1 && (name[0] is 'p' or 'P') && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public static (string Id, string En) Label(string field) =>
        Find(field) is { } f ? (f.LabelId, f.LabelEn)
        : TryParseVoteField(field, out var n) ? (n == 0 ? ("suara kolom kosong", "kolom kosong votes") : ($"suara paslon {n}", $"votes for paslon {n}"))
        : (field, field);

    /// <summary>The label of a field in the naming of a contest's kind (Pemilu: DPPh is called DPTb and DPTb is called DPK).</summary>
    public static (string Id, string En) Label(string field, SheetNaming naming)
    {
        var (id, en) = Label(field);
        return (SheetNames.Rename(id, naming), SheetNames.Rename(en, naming));
    }

    /// <summary>Builds a sheet from values in <see cref="Numeric"/> order (a short list leaves the later fields absent). A null
    /// version-1 value is an absent field (<see cref="CHasilSheet.Absent"/>).</summary>
    public static CHasilSheet Build(string contest, string tps, ImmutableSortedDictionary<int, long> votes, IReadOnlyList<long?> v)
    {
        ulong absent = 0;
        for (var i = 0; i < V1Count; i++) if (i >= v.Count || v[i] is null) absent |= 1UL << i;
        long At(int i) => i < v.Count ? v[i] ?? 0 : 0;
        long? Opt(int i) => i < v.Count ? v[i] : null;
        return new()
        {
            Contest = contest, Tps = tps, Votes = votes, Absent = absent,
            SuaraSah = At(0), SuaraTidakSah = At(1),
            DptL = At(2), DptP = At(3), Dpt = At(4), DpphL = At(5), DpphP = At(6), Dpph = At(7), DptbL = At(8), DptbP = At(9), Dptb = At(10),
            UsersDptL = At(11), UsersDptP = At(12), UsersDpt = At(13), UsersDpphL = At(14), UsersDpphP = At(15), UsersDpph = At(16),
            UsersDptbL = At(17), UsersDptbP = At(18), UsersDptb = At(19), DisabledL = At(20), DisabledP = At(21), Disabled = At(22),
            BallotsReceived = At(23), BallotsUsed = At(24), BallotsDamaged = At(25), BallotsUnused = At(26),
            DisabledRegisteredL = Opt(27), DisabledRegisteredP = Opt(28), DisabledRegistered = Opt(29),
            VotersL = Opt(30), VotersP = Opt(31), Voters = Opt(32), UsersL = Opt(33), UsersP = Opt(34), Users = Opt(35), SuaraTotal = Opt(36),
        };
    }

    /// <summary>Builds a sheet from named values. Vote fields are <c>p1</c>, <c>p2</c>, ... and <c>p0</c>. A missing version-1 field
    /// is 0 (the intake: old clients send every field of version 1), or absent with <paramref name="partial"/> (a sheet from another
    /// source); a missing version-2 field is always absent.</summary>
    public static CHasilSheet FromNamed(string contest, string tps, IReadOnlyDictionary<int, long> votes, IReadOnlyDictionary<string, long> fields, bool partial = false)
    {
        var values = new long?[Numeric.Count];
        if (!partial) for (var i = 0; i < V1Count; i++) values[i] = 0;
        foreach (var (k, val) in fields) if (IndexOf(k) is var i and >= 0) values[i] = val;
        return Build(contest, tps, votes.ToImmutableSortedDictionary(), values);
    }
}

/// <summary>Which names a sheet's voter categories carry: Pilkada forms say DPT, DPPh (moved in), DPTb (KTP-el, not on a list);
/// Pemilu forms (C.Hasil-PPWP) say DPT, DPTb (moved in), DPK for the same columns (GLOSSARY, "Pemilu vs Pilkada naming").</summary>
public enum SheetNaming
{
    Pilkada = 0,
    Pemilu = 1,
}

public static class SheetNames
{
    /// <summary>Rewrites Pilkada category names in a label or message into <paramref name="naming"/>.</summary>
    public static string Rename(string text, SheetNaming naming)
    {
        if (naming == SheetNaming.Pilkada || !text.Contains("DP", StringComparison.Ordinal)) return text;
        return text.Replace("DPTb", "\u0001", StringComparison.Ordinal).Replace("DPPh", "DPTb", StringComparison.Ordinal).Replace("\u0001", "DPK", StringComparison.Ordinal);
    }

    /// <summary>The form's name: C.Hasil-KWK (Pilkada) or C.Hasil-PPWP (Pemilu, presidential race).</summary>
    public static string FormName(SheetNaming naming) => naming == SheetNaming.Pemilu ? "C.Hasil-PPWP" : "C.Hasil-KWK";
}
