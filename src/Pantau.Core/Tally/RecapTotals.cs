using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

/// <summary>Totals of counted sheets in one region (or one TPS) for one contest: the D.Hasil figures.</summary>
public sealed class RecapTotals : IEquatable<RecapTotals>
{
    public long TpsIn { get; set; }
    public long SuaraSah { get; set; }
    public long SuaraTidakSah { get; set; }
    /// <summary>Pengguna hak pilih (DPT + DPPh + DPTb users).</summary>
    public long Users { get; set; }
    /// <summary>Registered voters on the sheets (DPT + DPPh + DPTb).</summary>
    public long Registered { get; set; }
    public long Disabled { get; set; }
    public long BallotsReceived { get; set; }
    public long BallotsUsed { get; set; }
    public long BallotsDamaged { get; set; }
    public long BallotsUnused { get; set; }
    public SortedDictionary<int, long> Votes { get; } = [];

    /// <summary>Adds (<paramref name="sign"/> = 1) or removes (-1) the contribution of one sheet.</summary>
    /// <remarks>Checked: a total past Int64 throws <see cref="OverflowException"/> instead of wrapping (the intake's grammar keeps
    /// every count far below that, <see cref="TallyGrammar"/>).</remarks>
    public void Add(CHasilSheet s, int sign = 1)
    {
        checked
        {
        TpsIn += sign;
        SuaraSah += sign * s.SuaraSah;
        SuaraTidakSah += sign * s.SuaraTidakSah;
        Users += sign * s.UsersTotal;
        Registered += sign * s.RegisteredTotal;
        Disabled += sign * s.Disabled;
        BallotsReceived += sign * s.BallotsReceived;
        BallotsUsed += sign * s.BallotsUsed;
        BallotsDamaged += sign * s.BallotsDamaged;
        BallotsUnused += sign * s.BallotsUnused;
        foreach (var (n, v) in s.Votes) Votes[n] = Votes.GetValueOrDefault(n) + sign * v;
        }
    }

    public void Add(RecapTotals o, int sign = 1)
    {
        checked
        {
        TpsIn += sign * o.TpsIn;
        SuaraSah += sign * o.SuaraSah;
        SuaraTidakSah += sign * o.SuaraTidakSah;
        Users += sign * o.Users;
        Registered += sign * o.Registered;
        Disabled += sign * o.Disabled;
        BallotsReceived += sign * o.BallotsReceived;
        BallotsUsed += sign * o.BallotsUsed;
        BallotsDamaged += sign * o.BallotsDamaged;
        BallotsUnused += sign * o.BallotsUnused;
        foreach (var (n, v) in o.Votes) Votes[n] = Votes.GetValueOrDefault(n) + sign * v;
        }
    }

    public bool IsZero => TpsIn == 0 && SuaraSah == 0 && SuaraTidakSah == 0 && Users == 0 && Registered == 0 && Disabled == 0 &&
                          BallotsReceived == 0 && BallotsUsed == 0 && BallotsDamaged == 0 && BallotsUnused == 0 && Votes.Values.All(v => v == 0);

    /// <summary>Votes as <c>n=v,n=v</c> (zero entries dropped), the storage form of the recap counters.</summary>
    public string VotesText()
    {
        var sb = new StringBuilder();
        foreach (var (n, v) in Votes)
        {
            if (v == 0) continue;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static void ParseVotes(string text, IDictionary<int, long> into)
    {
        if (string.IsNullOrEmpty(text)) return;
        foreach (var pair in text.Split(','))
        {
            var eq = pair.IndexOf('=');
            var n = int.Parse(pair[..eq], CultureInfo.InvariantCulture);
            into[n] = into.TryGetValue(n, out var x) ? x + long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture) : long.Parse(pair[(eq + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public bool Equals(RecapTotals? o) => o is not null && TpsIn == o.TpsIn && SuaraSah == o.SuaraSah && SuaraTidakSah == o.SuaraTidakSah &&
        Users == o.Users && Registered == o.Registered && Disabled == o.Disabled && BallotsReceived == o.BallotsReceived &&
        BallotsUsed == o.BallotsUsed && BallotsDamaged == o.BallotsDamaged && BallotsUnused == o.BallotsUnused && VotesText() == o.VotesText();

    public override bool Equals(object? obj) => Equals(obj as RecapTotals);
    public override int GetHashCode() => HashCode.Combine(TpsIn, SuaraSah, Users, VotesText());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"tpsIn={TpsIn} sah={SuaraSah} tidakSah={SuaraTidakSah} users={Users} registered={Registered} disabled={Disabled} received={BallotsReceived} used={BallotsUsed} damaged={BallotsDamaged} unused={BallotsUnused} votes=[{VotesText()}]");
}
