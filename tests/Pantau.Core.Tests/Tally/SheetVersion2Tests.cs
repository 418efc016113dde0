using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Tally;
using Pantau.TestKit;

namespace Pantau.Core.Tests.Tally;

/// <summary>The real form's rows (issue 21 point 5): registered disabled voters, the written totals, partial sheets, Pemilu names.</summary>
public class SheetVersion2Tests
{
    private const string Tps = "1701012001001";
    private static readonly int[] Numbers = [1, 2, 3];
    private static CHasilSheet Full() => TallySheets.Full("PPWP-17", Tps, 20, 144, 20);
    private static List<string> Codes(CHasilSheet s) => [.. SheetValidator.Validate(s, Numbers).Select(i => i.Code)];

    [Fact]
    public void A_version_1_sheet_keeps_its_canonical_bytes_and_a_full_sheet_is_version_2()
    {
        var v1 = TallySheets.Valid("PILGUB-16", "1671011001001", 120, 80, 40);
        Assert.StartsWith("C1|", v1.Canonical());
        Assert.Equal(4 + SheetFields.V1Count, v1.Canonical().Split('|').Length);
        var v2 = Full();
        Assert.StartsWith("C2|", v2.Canonical());
        Assert.Equal(4 + SheetFields.Numeric.Count, v2.Canonical().Split('|').Length);
        Assert.Equal(v2, CHasilSheet.ParseCanonical(v2.Canonical()) with { Votes = v2.Votes });
        Assert.Equal(v2.Canonical(), CHasilSheet.ParseCanonical(v2.Canonical()).Canonical());
        Assert.Empty(SheetValidator.Validate(v2, Numbers));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Every_field_survives_the_canonical_round_trip_present_or_absent(int seed)
    {
        // One value per field, some absent: what the intake logs is what the verifier and the exports read back.
        var rnd = new Random(seed);
        var values = SheetFields.Numeric.Select(_ => rnd.Next(4) == 0 ? (long?)null : rnd.Next(0, 1000)).ToArray();
        var s = SheetFields.Build("PPWP-17", Tps, ImmutableSortedDictionary<int, long>.Empty.Add(1, 5), values);
        var back = CHasilSheet.ParseCanonical(s.Canonical());
        return SheetFields.Numeric.Select((f, i) => f.Value(back) == values[i]).All(x => x).ToProperty();
    }

    [Fact]
    public void Disabled_voters_who_voted_cannot_exceed_the_registered_disabled_voters()
    {
        var s = Full() with { DisabledRegistered = 1, DisabledRegisteredL = 0, DisabledRegisteredP = 1 };
        var codes = Codes(s);
        Assert.Contains(RuleCodes.DisabledGtRegistered, codes);
        Assert.DoesNotContain(RuleCodes.DisabledGtRegistered, Codes(Full()));
        Assert.Contains(RuleCodes.LpNeTotal, Codes(Full() with { DisabledRegisteredL = 99 }));
    }

    [Fact]
    public void The_written_totals_are_checked_against_their_parts()
    {
        Assert.Contains(RuleCodes.VotersNeSum, Codes(Full() with { Voters = Full().Voters + 1, VotersL = Full().VotersL + 1 }));
        Assert.Contains(RuleCodes.UsersNeSum, Codes(Full() with { Users = Full().Users - 1, UsersP = Full().UsersP - 1 }));
        var total = Codes(Full() with { SuaraTotal = Full().SuaraTotal + 1 });
        Assert.Contains(RuleCodes.SahTidakSahNeTotal, total);
        Assert.Contains(RuleCodes.UsersNeTotal, total);
        Assert.True(RuleCodes.VoteArithmetic.Contains(RuleCodes.SahTidakSahNeTotal));
        Assert.False(RuleCodes.VoteArithmetic.Contains(RuleCodes.UsersNeTotal));
    }

    [Fact]
    public void A_partial_sheet_is_checked_only_by_the_rules_whose_fields_it_has()
    {
        // SIREKAP's votes-only shape: votes, nothing else. Absent is not zero: no rule about sah, users or ballots applies.
        var votesOnly = SheetFields.FromNamed("PPWP-17", Tps, new Dictionary<int, long> { [1] = 3, [2] = 98, [3] = 25 }, new Dictionary<string, long>(), partial: true);
        Assert.True(votesOnly.IsPartial);
        Assert.False(votesOnly.Has("suaraSah"));
        Assert.Empty(SheetValidator.Validate(votesOnly, Numbers));
        Assert.Empty(SheetValidator.Warnings(votesOnly));
        // With sah present, rule 1 applies; without ballots, rule 2/6 do not.
        var withSah = SheetFields.FromNamed("PPWP-17", Tps, new Dictionary<int, long> { [1] = 3, [2] = 98, [3] = 25 },
            new Dictionary<string, long> { ["suaraSah"] = 127, ["suaraTidakSah"] = 1, ["suaraTotal"] = 128 }, partial: true);
        Assert.Equal([RuleCodes.SumPaslonNeSah], Codes(withSah));
        Assert.StartsWith("C2|PPWP-17|1701012001001|1=3,2=98,3=25|127|1|-|", withSah.Canonical());
    }

    [Fact]
    public void Pemilu_messages_use_Pemilu_names()
    {
        var s = Full() with { UsersDptb = Full().Dptb + 1, UsersDptbL = Full().DptbL + 1 };
        var pilkada = SheetValidator.Validate(s, Numbers).First(i => i.Code == RuleCodes.UsersGtRegistered);
        var pemilu = SheetValidator.Validate(s, Numbers, SheetNaming.Pemilu).First(i => i.Code == RuleCodes.UsersGtRegistered);
        Assert.Contains("DPTb", pilkada.MessageId);
        Assert.Contains("DPK", pemilu.MessageId);
        Assert.DoesNotContain("DPTb", pemilu.MessageId);
        Assert.Equal("pengguna hak pilih DPTb jumlah", SheetFields.Label("usersDpph", SheetNaming.Pemilu).Id);
        Assert.Equal("DPPh jumlah", SheetFields.Label("dpph", SheetNaming.Pilkada).Id);
        Assert.Equal("C.Hasil-PPWP", SheetNames.FormName(SheetNaming.Pemilu));
    }
}
