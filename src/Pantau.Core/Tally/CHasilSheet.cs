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

    /// <summary>Pengguna hak pilih: users from DPT + DPPh + DPTb.</summary>
    public long UsersTotal => UsersDpt + UsersDpph + UsersDptb;
    public long RegisteredTotal => Dpt + Dpph + Dptb;
    public long VotesTotal => Votes.Values.Sum();

    /// <summary>
    /// Canonical encoding (version 1): ASCII, <c>C1|contest|tps|n=v,n=v|f1|f2|...</c> with the numeric fields in
    /// <see cref="SheetFields.Numeric"/> order, invariant digits. Two sheets with the same content have the same bytes.
    /// </summary>
    public string Canonical()
    {
        // Written into a stack buffer (numbers formatted in place): only the result is allocated; intake encodes every sheet.
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[512]);
        text.AppendLiteral("C1|");
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
        foreach (var f in SheetFields.Numeric)
        {
            text.AppendLiteral("|");
            text.AppendFormatted(f.Get(this));
        }
        return text.ToStringAndClear();
    }

    /// <summary>Parses <see cref="Canonical"/> output.</summary>
    public static CHasilSheet ParseCanonical(string text)
    {
        var parts = text.Split('|');
        if (parts.Length != 4 + SheetFields.Numeric.Count || parts[0] != "C1") throw new FormatException("Not a canonical C.Hasil sheet.");
        var votes = ImmutableSortedDictionary.CreateBuilder<int, long>();
        if (parts[3].Length > 0)
            foreach (var pair in parts[3].Split(','))
            {
                var eq = pair.IndexOf('=');
                votes[int.Parse(pair[..eq], CultureInfo.InvariantCulture)] = long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture);
            }
        var values = new long[SheetFields.Numeric.Count];
        for (var i = 0; i < values.Length; i++) values[i] = long.Parse(parts[4 + i], CultureInfo.InvariantCulture);
        return SheetFields.Build(parts[1], parts[2], votes.ToImmutable(), values);
    }

    public bool SameContent(CHasilSheet other) => Canonical() == other.Canonical();
}

/// <summary>A numeric field of the sheet with its Indonesian and English labels.</summary>
public sealed record SheetField(string Name, string LabelId, string LabelEn, Func<CHasilSheet, long> Get);

public static class SheetFields
{
    public static readonly IReadOnlyList<SheetField> Numeric =
    [
        new("suaraSah", "suara sah", "valid votes", s => s.SuaraSah),
        new("suaraTidakSah", "suara tidak sah", "invalid votes", s => s.SuaraTidakSah),
        new("dptL", "DPT laki-laki", "DPT male", s => s.DptL),
        new("dptP", "DPT perempuan", "DPT female", s => s.DptP),
        new("dpt", "DPT jumlah", "DPT total", s => s.Dpt),
        new("dpphL", "DPPh laki-laki", "DPPh male", s => s.DpphL),
        new("dpphP", "DPPh perempuan", "DPPh female", s => s.DpphP),
        new("dpph", "DPPh jumlah", "DPPh total", s => s.Dpph),
        new("dptbL", "DPTb laki-laki", "DPTb male", s => s.DptbL),
        new("dptbP", "DPTb perempuan", "DPTb female", s => s.DptbP),
        new("dptb", "DPTb jumlah", "DPTb total", s => s.Dptb),
        new("usersDptL", "pengguna hak pilih DPT laki-laki", "DPT voters who voted, male", s => s.UsersDptL),
        new("usersDptP", "pengguna hak pilih DPT perempuan", "DPT voters who voted, female", s => s.UsersDptP),
        new("usersDpt", "pengguna hak pilih DPT jumlah", "DPT voters who voted, total", s => s.UsersDpt),
        new("usersDpphL", "pengguna hak pilih DPPh laki-laki", "DPPh voters who voted, male", s => s.UsersDpphL),
        new("usersDpphP", "pengguna hak pilih DPPh perempuan", "DPPh voters who voted, female", s => s.UsersDpphP),
        new("usersDpph", "pengguna hak pilih DPPh jumlah", "DPPh voters who voted, total", s => s.UsersDpph),
        new("usersDptbL", "pengguna hak pilih DPTb laki-laki", "DPTb voters who voted, male", s => s.UsersDptbL),
        new("usersDptbP", "pengguna hak pilih DPTb perempuan", "DPTb voters who voted, female", s => s.UsersDptbP),
        new("usersDptb", "pengguna hak pilih DPTb jumlah", "DPTb voters who voted, total", s => s.UsersDptb),
        new("disabledL", "pemilih disabilitas laki-laki", "disabled voters, male", s => s.DisabledL),
        new("disabledP", "pemilih disabilitas perempuan", "disabled voters, female", s => s.DisabledP),
        new("disabled", "pemilih disabilitas jumlah", "disabled voters, total", s => s.Disabled),
        new("ballotsReceived", "surat suara diterima", "ballots received", s => s.BallotsReceived),
        new("ballotsUsed", "surat suara digunakan", "ballots used", s => s.BallotsUsed),
        new("ballotsDamaged", "surat suara dikembalikan (rusak/keliru coblos)", "ballots returned (damaged/spoiled)", s => s.BallotsDamaged),
        new("ballotsUnused", "surat suara tidak digunakan", "ballots unused", s => s.BallotsUnused),
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

    /// <summary>Builds a sheet from values in <see cref="Numeric"/> order.</summary>
    public static CHasilSheet Build(string contest, string tps, ImmutableSortedDictionary<int, long> votes, IReadOnlyList<long> v) => new()
    {
        Contest = contest, Tps = tps, Votes = votes,
        SuaraSah = v[0], SuaraTidakSah = v[1],
        DptL = v[2], DptP = v[3], Dpt = v[4], DpphL = v[5], DpphP = v[6], Dpph = v[7], DptbL = v[8], DptbP = v[9], Dptb = v[10],
        UsersDptL = v[11], UsersDptP = v[12], UsersDpt = v[13], UsersDpphL = v[14], UsersDpphP = v[15], UsersDpph = v[16],
        UsersDptbL = v[17], UsersDptbP = v[18], UsersDptb = v[19], DisabledL = v[20], DisabledP = v[21], Disabled = v[22],
        BallotsReceived = v[23], BallotsUsed = v[24], BallotsDamaged = v[25], BallotsUnused = v[26],
    };

    /// <summary>Builds a sheet from named values (missing fields are 0). Vote fields are <c>p1</c>, <c>p2</c>, ... and <c>p0</c>.</summary>
    public static CHasilSheet FromNamed(string contest, string tps, IReadOnlyDictionary<int, long> votes, IReadOnlyDictionary<string, long> fields)
    {
        var values = new long[Numeric.Count];
        foreach (var (k, val) in fields) if (IndexOf(k) is var i and >= 0) values[i] = val;
        return Build(contest, tps, votes.ToImmutableSortedDictionary(), values);
    }
}
