using System.Collections.Immutable;
using Pantau.Core.Tally;

namespace Pantau.TestKit;

/// <summary>Builds C.Hasil sheets that satisfy every arithmetic rule, for tests (and the benchmark).</summary>
public static class TallySheets
{
    /// <summary>A consistent sheet: sah = sum of <paramref name="votes"/>, users = sah + tidak sah, ballots = DPT + 2.5%.</summary>
    public static CHasilSheet Valid(string contest, string tps, IReadOnlyDictionary<int, long> votes, long tidakSah = 5, long dpt = 400,
        long dpph = 2, long dptb = 3, long damaged = 2, long disabled = 3)
    {
        var sah = votes.Values.Sum();
        var used = sah + tidakSah;
        var usersDpph = Math.Min(dpph, used);
        var usersDptb = Math.Min(dptb, used - usersDpph);
        var usersDpt = used - usersDpph - usersDptb;
        if (usersDpt > dpt) throw new ArgumentException($"{used} voters do not fit a DPT of {dpt}.");
        var received = SheetValidator.BallotsFor(dpt);
        var unused = received - used - damaged;
        if (unused < 0) throw new ArgumentException("Too many ballots used.");
        var dis = Math.Min(disabled, used);
        return new CHasilSheet
        {
            Contest = contest, Tps = tps, Votes = votes.ToImmutableSortedDictionary(),
            SuaraSah = sah, SuaraTidakSah = tidakSah,
            DptL = dpt / 2, DptP = dpt - dpt / 2, Dpt = dpt,
            DpphL = dpph / 2, DpphP = dpph - dpph / 2, Dpph = dpph,
            DptbL = dptb / 2, DptbP = dptb - dptb / 2, Dptb = dptb,
            UsersDptL = usersDpt / 2, UsersDptP = usersDpt - usersDpt / 2, UsersDpt = usersDpt,
            UsersDpphL = usersDpph / 2, UsersDpphP = usersDpph - usersDpph / 2, UsersDpph = usersDpph,
            UsersDptbL = usersDptb / 2, UsersDptbP = usersDptb - usersDptb / 2, UsersDptb = usersDptb,
            DisabledL = dis / 2, DisabledP = dis - dis / 2, Disabled = dis,
            BallotsReceived = received, BallotsUsed = used, BallotsDamaged = damaged, BallotsUnused = unused,
        };
    }

    /// <summary>A consistent sheet with every row of the real form (sheet version 2): registered disabled voters and the written totals.</summary>
    public static CHasilSheet Full(string contest, string tps, params long[] votesFor1ToN)
    {
        var s = Valid(contest, tps, votesFor1ToN);
        return s with
        {
            DisabledRegisteredL = s.DisabledL + 1, DisabledRegisteredP = s.DisabledP + 1, DisabledRegistered = s.Disabled + 2,
            VotersL = s.DptL + s.DpphL + s.DptbL, VotersP = s.DptP + s.DpphP + s.DptbP, Voters = s.RegisteredTotal,
            UsersL = s.UsersDptL + s.UsersDpphL + s.UsersDptbL, UsersP = s.UsersDptP + s.UsersDpphP + s.UsersDptbP, Users = s.UsersTotal,
            SuaraTotal = s.SuaraSah + s.SuaraTidakSah,
        };
    }

    public static CHasilSheet Valid(string contest, string tps, params long[] votesFor1ToN) =>
        Valid(contest, tps, votesFor1ToN.Select((v, i) => (i + 1, v)).ToDictionary(x => x.Item1, x => x.v));

    /// <summary>The flat JSON shape of the API (<c>votes</c> object keyed by ballot number).</summary>
    public static Dictionary<string, object?> ToJson(CHasilSheet s, string? idempotencyKey = null, string? reason = null)
    {
        var d = new Dictionary<string, object?>
        {
            ["contest"] = s.Contest, ["tps"] = s.Tps,
            ["votes"] = s.Votes.ToDictionary(v => v.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v.Value),
        };
        foreach (var f in SheetFields.Numeric) if (f.Value(s) is { } v) d[f.Name] = v; // an absent field is not sent
        if (idempotencyKey is not null) d["idempotencyKey"] = idempotencyKey;
        if (reason is not null) d["reason"] = reason;
        return d;
    }
}
