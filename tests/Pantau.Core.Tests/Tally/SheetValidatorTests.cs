using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.TestKit;

namespace Pantau.Core.Tests.Tally;

public class SheetValidatorTests
{
    private const string Tps = "1671011001001";
    private static readonly int[] Numbers = [1, 2, 3];
    private static CHasilSheet Good() => TallySheets.Valid("PILGUB-16", Tps, 120, 80, 40);
    private static IEnumerable<string> Codes(CHasilSheet s) => SheetValidator.Validate(s, Numbers).Select(i => i.Code);

    [Fact]
    public void A_consistent_sheet_passes_every_rule()
    {
        Assert.Empty(SheetValidator.Validate(Good(), Numbers));
    }

    [Fact]
    public void The_official_Sumsel_Pilgub_totals_satisfy_rules_1_2_and_6()
    {
        // GLOSSARY reference: received 6,547,195 = used 4,623,856 + damaged 3,676 + unused 1,919,663 ...
        var s = TallySheets.Valid("PILGUB-16", Tps, 120, 80, 40) with
        {
            Votes = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(new Dictionary<int, long> { [1] = 2_220_437, [2] = 1_082_241, [3] = 999_141 }),
            SuaraSah = 4_301_819, SuaraTidakSah = 322_037, BallotsUsed = 4_623_856, BallotsDamaged = 3_676, BallotsUnused = 1_919_663, BallotsReceived = 6_547_195,
        };
        var codes = Codes(s).ToList();
        Assert.DoesNotContain(RuleCodes.SumPaslonNeSah, codes);
        Assert.DoesNotContain(RuleCodes.SahTidakSahNeUsed, codes);
        Assert.DoesNotContain(RuleCodes.ReceivedNeUsedReturnedUnused, codes);
    }

    [Fact]
    public void Rule1_paslon_sum_must_equal_suara_sah()
    {
        var issues = SheetValidator.Validate(Good() with { SuaraSah = 241 }, Numbers);
        var i = Assert.Single(issues, x => x.Code == RuleCodes.SumPaslonNeSah);
        Assert.Contains("suaraSah", i.Fields);
        Assert.Contains("p1", i.Fields);
        Assert.Contains("suara sah", i.MessageId);
        Assert.Contains("valid votes", i.MessageEn);
    }

    [Fact]
    public void Rule2_sah_plus_tidak_sah_must_equal_ballots_used_and_users()
    {
        Assert.Contains(RuleCodes.SahTidakSahNeUsed, Codes(Good() with { SuaraTidakSah = 6 }));
        var users = Good() with { UsersDpt = Good().UsersDpt + 1, UsersDptL = Good().UsersDptL + 1 };
        var codes = Codes(users).ToList();
        Assert.Contains(RuleCodes.UsedNeUsers, codes);
        Assert.DoesNotContain(RuleCodes.SahTidakSahNeUsed, codes);
    }

    [Theory]
    [InlineData("dptL")] [InlineData("dpphP")] [InlineData("dptbL")] [InlineData("usersDptP")] [InlineData("usersDpphL")] [InlineData("usersDptbP")] [InlineData("disabledL")]
    public void Rule3_L_plus_P_must_equal_total_on_every_row(string field)
    {
        var values = SheetFields.Numeric.Select(f => f.Value(Good())).ToArray();
        values[SheetFields.IndexOf(field)] += 1;
        var s = SheetFields.Build(Good().Contest, Good().Tps, Good().Votes, values);
        var i = Assert.Single(SheetValidator.Validate(s, Numbers), x => x.Code == RuleCodes.LpNeTotal);
        Assert.Contains(field, i.Fields);
    }

    [Fact]
    public void Rule4_users_cannot_exceed_registered_and_disabled_cannot_exceed_users()
    {
        var s = Good() with { Dptb = 1, DptbL = 0, DptbP = 1 };
        var i = Assert.Single(SheetValidator.Validate(s, Numbers), x => x.Code == RuleCodes.UsersGtRegistered && x.Fields.Contains("usersDptb"));
        Assert.Contains("DPTb", i.MessageId);
        var d = Good() with { Disabled = 10_000, DisabledL = 5_000, DisabledP = 5_000 };
        Assert.Contains(RuleCodes.DisabledGtUsers, Codes(d));
        Assert.DoesNotContain(RuleCodes.DisabledGtUsers, Codes(Good()));
    }

    [Fact]
    public void Rule5_ballots_received_are_DPT_plus_a_rounded_up_reserve()
    {
        Assert.Equal(410, SheetValidator.BallotsFor(400));
        Assert.Equal(412, SheetValidator.BallotsFor(401)); // 10.025 rounds up to 11
        Assert.Equal(6_542_308, SheetValidator.BallotsFor(6_382_739)); // 159,568.475 rounds up to 159,569
        Assert.Equal(0, SheetValidator.BallotsFor(0));
        var s = Good() with { BallotsReceived = Good().BallotsReceived + 1, BallotsUnused = Good().BallotsUnused + 1 };
        // A warning to explain (reserves move between TPS under a berita acara), not an arithmetic error of the count.
        Assert.Empty(Codes(s));
        var w = Assert.Single(SheetValidator.Warnings(s));
        Assert.Equal(RuleCodes.ReceivedNeDptReserve, w.Code);
        Assert.Contains("berita acara", w.MessageId);
        Assert.Empty(SheetValidator.Warnings(Good()));
    }

    [Fact]
    public void Rule6_received_must_equal_used_plus_returned_plus_unused()
    {
        var i = Assert.Single(SheetValidator.Validate(Good() with { BallotsDamaged = 3 }, Numbers), x => x.Code == RuleCodes.ReceivedNeUsedReturnedUnused);
        Assert.Equal(["ballotsReceived", "ballotsUsed", "ballotsDamaged", "ballotsUnused"], i.Fields);
        Assert.Contains("dikembalikan", i.MessageId);
    }

    [Fact]
    public void Rule7_counts_cannot_be_negative()
    {
        Assert.Contains(RuleCodes.Negative, Codes(Good() with { BallotsDamaged = -1 }));
        var votes = Good().Votes.SetItem(2, -5);
        var i = SheetValidator.Validate(Good() with { Votes = votes }, Numbers).First(x => x.Code == RuleCodes.Negative);
        Assert.Equal(["p2"], i.Fields);
    }

    [Fact]
    public void Columns_must_match_the_contest_including_kolom_kosong()
    {
        Assert.Contains(RuleCodes.PaslonUnknown, Codes(Good() with { Votes = Good().Votes.Add(4, 0) }));
        Assert.Contains(RuleCodes.PaslonMissing, Codes(Good() with { Votes = Good().Votes.Remove(3), SuaraSah = 200 }));
        var single = TallySheets.Valid("PILBUP-16.03", Tps, new Dictionary<int, long> { [1] = 150, [0] = 50 });
        Assert.Empty(SheetValidator.Validate(single, [1, 0]));
    }

    [Fact]
    public void Canonical_encoding_round_trips_and_is_stable()
    {
        var s = Good();
        var text = s.Canonical();
        Assert.StartsWith("C1|PILGUB-16|1671011001001|1=120,2=80,3=40|240|5|", text);
        Assert.Equal(text, CHasilSheet.ParseCanonical(text).Canonical());
        Assert.True(s.SameContent(CHasilSheet.ParseCanonical(text)));
    }

    [Fact]
    public void Diff_names_the_changed_fields()
    {
        var a = Good();
        var b = TallySheets.Valid("PILGUB-16", Tps, 121, 80, 40);
        var diff = SheetDiff.Compare(a, b);
        Assert.Contains(diff, d => d.Field == "p1" && d.Left == 120 && d.Right == 121);
        Assert.Contains(diff, d => d.Field == "suaraSah" && d.LabelId == "suara sah");
        Assert.DoesNotContain(diff, d => d.Field == "p2");
    }

    [Fact]
    public void Hash_chain_commits_to_the_previous_hash_and_the_entry()
    {
        var e1 = new LogEntry(1, DateTimeOffset.UnixEpoch, LogKinds.Submit, "Accepted", true, 1, "pps|a", null, Good());
        var h1 = HashChain.NextHex(HashChain.GenesisHex, e1.Encode());
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. new byte[32], .. System.Text.Encoding.UTF8.GetBytes(e1.Encode())]));
        Assert.Equal(expected, h1);
        var parsed = LogEntry.Parse(e1.Encode());
        Assert.Equal("pps|a", parsed.Submitter);
        Assert.Equal(e1.Encode(), parsed.Encode());
        Assert.NotEqual(h1, HashChain.NextHex(h1, e1.Encode()));
    }

    [Fact]
    public void Checkpoint_signatures_verify_only_for_the_signed_head()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new CheckpointSigner(key);
        var sig = signer.Sign(7, "ab");
        Assert.True(signer.Verify(7, "ab", sig));
        Assert.False(signer.Verify(8, "ab", sig));
        Assert.False(signer.Verify(7, "ac", sig));
        Assert.False(signer.Verify(7, "ab", "not base64!"));
        Assert.Equal(16, signer.KeyId.Length);
    }

    [Fact]
    public void Anomalies_mark_near_total_wins_and_large_changes()
    {
        var landslide = TallySheets.Valid("PILGUB-16", Tps, 300, 1, 0);
        Assert.Contains(AnomalyCodes.PaslonNear100, AnomalyRules.Check(landslide, 400, null));
        Assert.DoesNotContain(AnomalyCodes.PaslonNear100, AnomalyRules.Check(Good(), 400, null));
        Assert.Contains(AnomalyCodes.LargeChange, AnomalyRules.Check(TallySheets.Valid("PILGUB-16", Tps, 40, 80, 120), 400, Good()));
    }
}

public class RecapPropertyTests
{
    private static readonly string[] TpsPool =
        ["1671011001001", "1671011001002", "1671011002001", "1671021001001", "1601011001001", "1601012001003", "1671011001003", "1602011001001"];

    public static Arbitrary<(int Tps, long A, long B, long C)[]> Ops() =>
        Gen.Choose(0, TpsPool.Length - 1).SelectMany(t => Gen.Choose(0, 150).SelectMany(a => Gen.Choose(0, 150).SelectMany(b => Gen.Choose(0, 90)
            .Select(c => (t, (long)a, (long)b, (long)c))))).ArrayOf().ToArbitrary();

    /// <summary>
    /// Incremental maintenance (subtract the replaced sheet, add the new one, at every level) equals recomputation,
    /// and each level equals the sum of its children.
    /// </summary>
    [FsCheck.Xunit.Property(Arbitrary = [typeof(RecapPropertyTests)], MaxTest = 200)]
    public bool Incremental_recap_equals_recomputation_and_each_level_is_the_sum_of_its_children((int Tps, long A, long B, long C)[] ops)
    {
        var counted = new Dictionary<string, CHasilSheet>();
        var incremental = new Dictionary<string, RecapTotals>();
        foreach (var (t, a, b, c) in ops)
        {
            var s = TallySheets.Valid("PILGUB-16", TpsPool[t], a, b, c);
            foreach (var key in RecapMath.Levels(s.Tps))
            {
                if (!incremental.TryGetValue(key, out var tot)) incremental[key] = tot = new RecapTotals();
                if (counted.TryGetValue(s.Tps, out var old)) tot.Add(old, -1);
                tot.Add(s);
            }
            counted[s.Tps] = s;
        }
        var full = RecapMath.Aggregate(counted.Values);
        foreach (var (key, t) in incremental)
            if (!(full.TryGetValue(key, out var f) ? f.Equals(t) : t.IsZero)) return false;
        foreach (var (key, t) in full)
        {
            var children = full.Where(kv => RecapMath.ParentOf(kv.Key) == key).ToList();
            if (key.Length == 13 && !key.Contains('.')) continue; // TPS: a leaf
            var sum = new RecapTotals();
            foreach (var (_, c) in children) sum.Add(c);
            if (!sum.Equals(t)) return false;
        }
        return full.GetValueOrDefault("16")?.TpsIn == counted.Count || counted.Count == 0;
    }
}
