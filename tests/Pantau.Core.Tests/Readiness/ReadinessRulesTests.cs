using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Readiness;
using TaskStatus = Pantau.Core.Readiness.TaskStatus;

namespace Pantau.Core.Tests.Readiness;

public class ReadinessRulesTests
{
    private static DateOnly D(int m, int d) => new(2024, m, d);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]       // 1.025 → 2
    [InlineData(40, 41)]     // exactly 41.0
    [InlineData(200, 205)]
    [InlineData(201, 207)]   // 206.025 → 207
    [InlineData(279, 286)]   // 285.975 → 286
    [InlineData(600, 615)]
    public void Ballots_are_dpt_plus_ceil_2_5_percent(int dpt, int expected) => Assert.Equal(expected, LogisticsRules.Ballots(dpt));

    [FsCheck.Xunit.Property]
    public bool Ballots_equal_decimal_ceiling(NonNegativeInt dpt) =>
        LogisticsRules.Ballots(dpt.Get % 1_000_000) == (int)Math.Ceiling(dpt.Get % 1_000_000 * 1.025m);

    [Fact]
    public void Negative_dpt_is_rejected() => Assert.Throws<ArgumentOutOfRangeException>(() => LogisticsRules.Ballots(-1));

    [Fact]
    public void A_tps_with_two_contests_needs_ballots_boxes_and_booths_per_contest()
    {
        var req = LogisticsRules.ForTps(201, ["PILGUB-16", "PILBUP-16.01"]).ToDictionary(r => r.ItemKey, r => r.Quantity);
        Assert.Equal(207, req["surat-suara:PILGUB-16"]);
        Assert.Equal(207, req["surat-suara:PILBUP-16.01"]);
        Assert.Equal(1, req["kotak-suara:PILGUB-16"]);
        Assert.Equal(1, req["kotak-suara:PILBUP-16.01"]);
        Assert.Equal(1, req["bilik-suara:PILBUP-16.01"]);
        Assert.Equal(2, req["tinta"]);
        Assert.False(req.ContainsKey("tinta:PILGUB-16"));
        Assert.True(LogisticsRules.IsValidKey("surat-suara:PILGUB-16", ["PILGUB-16"]));
        Assert.False(LogisticsRules.IsValidKey("surat-suara:PILGUB-17", ["PILGUB-16"]));
        Assert.False(LogisticsRules.IsValidKey("surat-suara", ["PILGUB-16"]));
        Assert.False(LogisticsRules.IsValidKey("tinta:PILGUB-16", ["PILGUB-16"]));
    }

    [Theory]
    [InlineData(TaskStatus.NotStarted, 16, Timeliness.OnTime)]   // 4 days left
    [InlineData(TaskStatus.NotStarted, 17, Timeliness.AtRisk)]   // 3 days left: risk window starts
    [InlineData(TaskStatus.NotStarted, 20, Timeliness.AtRisk)]   // due today: not late yet
    [InlineData(TaskStatus.NotStarted, 21, Timeliness.Late)]     // the day after the target
    [InlineData(TaskStatus.InProgress, 18, Timeliness.OnTime)]
    [InlineData(TaskStatus.InProgress, 19, Timeliness.AtRisk)]
    [InlineData(TaskStatus.InProgress, 21, Timeliness.Late)]
    [InlineData(TaskStatus.Blocked, 1, Timeliness.AtRisk)]
    [InlineData(TaskStatus.Blocked, 25, Timeliness.Late)]
    [InlineData(TaskStatus.Done, 30, Timeliness.Done)]
    public void Lateness_boundaries(TaskStatus status, int novemberDay, Timeliness expected) =>
        Assert.Equal(expected, Lateness.Classify(status, D(11, 20), D(11, novemberDay)));

    [Fact]
    public void Today_is_the_local_WIB_day()
    {
        Assert.Equal(D(11, 20), Schedule.Today(new DateTimeOffset(2024, 11, 20, 16, 59, 59, TimeSpan.Zero)));
        Assert.Equal(D(11, 21), Schedule.Today(new DateTimeOffset(2024, 11, 20, 17, 0, 0, TimeSpan.Zero)));
        // 23:59 WIB on the target day is still on time; one minute later it is late.
        Assert.Equal(Timeliness.AtRisk, Lateness.Classify(TaskStatus.NotStarted, D(11, 20), new DateTimeOffset(2024, 11, 20, 16, 59, 0, TimeSpan.Zero)));
        Assert.Equal(Timeliness.Late, Lateness.Classify(TaskStatus.NotStarted, D(11, 20), new DateTimeOffset(2024, 11, 20, 17, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("H-10", 11, 17)]
    [InlineData("H+0", 11, 27)]
    [InlineData("H+1", 11, 28)]
    [InlineData("kampanye.start+3", 9, 28)]
    [InlineData("masa-tenang.end-0", 11, 26)]
    [InlineData("rekap-kecamatan.start-3", 11, 25)]
    [InlineData("masa-tenang.start", 11, 24)]
    public void Target_rules_resolve_against_the_schedule(string rule, int month, int day) =>
        Assert.Equal(D(month, day), TargetRule.Parse(rule).Resolve(Schedule.Pilkada2024));

    [Theory]
    [InlineData("")]
    [InlineData("X-10")]
    [InlineData("H-x")]
    [InlineData("kampanye.middle+1")]
    [InlineData("kampanye")]
    public void Bad_target_rules_do_not_parse(string rule) => Assert.False(TargetRule.TryParse(rule, out _));

    [Fact]
    public void Target_follows_an_edited_stage_and_unknown_stage_resolves_to_null()
    {
        var edited = Schedule.Pilkada2024.Select(s => s.Code == "masa-tenang" ? s with { Start = D(11, 23) } : s).ToList();
        Assert.Equal(D(11, 20), TargetRule.Parse("masa-tenang.start-3").Resolve(edited));
        Assert.Null(TargetRule.Parse("nope.start-3").Resolve(edited));
        Assert.Equal("H-10", TargetRule.Parse("H-10").ToString());
        Assert.Equal("kampanye.start+3", TargetRule.Parse("kampanye.start+3").ToString());
    }

    [Fact]
    public void Due_in_the_next_seven_days_from_20_november()
    {
        var due = Schedule.DueWithin(Schedule.Pilkada2024, D(11, 20)).Select(s => s.Code).ToList();
        Assert.Equal(["kampanye", "masa-tenang", "pemungutan-suara"], due);
        Assert.DoesNotContain("rekap-kecamatan", due); // starts 28 Nov, 8 days away
        Assert.Equal(StageState.Current, Schedule.StateOf(Schedule.Pilkada2024.First(s => s.Code == "kampanye"), D(11, 20)));
        Assert.Equal(StageState.Past, Schedule.StateOf(Schedule.Pilkada2024.First(s => s.Code == "pendaftaran-paslon"), D(11, 20)));
    }

    [Theory]
    [InlineData(2024, 11, 30, 2024, 11, 29, false)]
    [InlineData(2023, 12, 31, 2024, 1, 5, false)]
    [InlineData(2024, 12, 1, 2024, 12, 17, false)]
    [InlineData(2024, 11, 24, 2024, 11, 26, true)]
    public void Stage_edits_must_be_ordered_and_inside_the_window(int y1, int m1, int d1, int y2, int m2, int d2, bool ok) =>
        Assert.Equal(ok, Schedule.Validate(new(y1, m1, d1), new(y2, m2, d2)) is null);

    // ---- rollup ----

    public static Gen<ReadinessCounts> CountsGen =>
        from total in Gen.Choose(0, 50)
        from done in Gen.Choose(0, total)
        from late in Gen.Choose(0, total - done)
        from risk in Gen.Choose(0, total - done - late)
        select new ReadinessCounts(total, done, 0, 0, late, risk);

    private static Gen<RollupNode> TreeGen(int depth) =>
        depth == 0
            ? CountsGen.Select(c => new RollupNode("leaf", c))
            : from own in CountsGen
              from n in Gen.Choose(0, 4)
              from kids in TreeGen(depth - 1).ListOf(n)
              select Make(own, kids);

    private static RollupNode Make(ReadinessCounts own, IEnumerable<RollupNode> kids)
    {
        var node = new RollupNode("n", own);
        node.Children.AddRange(kids);
        return node;
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Parent_score_is_consistent_with_its_children() => Prop.ForAll(TreeGen(3).ToArbitrary(), root =>
    {
        root.Compute();
        var ok = true;
        var stack = new Stack<RollupNode>([root]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            var sum = n.Own;
            foreach (var c in n.Children) { sum += c.Total; stack.Push(c); }
            ok &= n.Total == sum;
            var parts = n.Children.Select(c => c.Total).Append(n.Own).Where(c => c.Total > 0).Select(c => c.Score).ToList();
            if (parts.Count > 0) ok &= n.Total.Score >= parts.Min() - 1e-12 && n.Total.Score <= parts.Max() + 1e-12;
            ok &= n.Total.Done <= n.Total.Total && n.Total.Late + n.Total.AtRisk + n.Total.Done <= n.Total.Total;
        }
        return ok;
    });

    [Fact]
    public void Rollup_of_a_small_tree_by_hand()
    {
        var kab = new RollupNode("16.71", ReadinessCounts.Of(TaskStatus.Done, Timeliness.Done, 2));
        var kecA = new RollupNode("16.71.01", ReadinessCounts.Of(TaskStatus.NotStarted, Timeliness.Late, 3));
        var kecB = new RollupNode("16.71.02", ReadinessCounts.Of(TaskStatus.Done, Timeliness.Done, 5));
        kab.Children.AddRange([kecA, kecB]);
        var t = kab.Compute();
        Assert.Equal(10, t.Total);
        Assert.Equal(7, t.Done);
        Assert.Equal(3, t.Late);
        Assert.Equal(0.7, t.Score, 10);
        Assert.Equal("bad", t.Band); // 30 % late
        var warn = ReadinessCounts.Of(TaskStatus.Done, Timeliness.Done, 8) + ReadinessCounts.Of(TaskStatus.NotStarted, Timeliness.Late)
                   + ReadinessCounts.Of(TaskStatus.InProgress, Timeliness.OnTime);
        Assert.Equal("warn", warn.Band); // 80 %, exactly 10 % late
        Assert.Equal("bad", (warn + ReadinessCounts.Of(TaskStatus.NotStarted, Timeliness.Late)).Band);
        Assert.Equal("bad", kecA.Total.Band);
        Assert.Equal("ok", kecB.Total.Band);
        Assert.Equal(1.0, ReadinessCounts.Zero.Score);
    }

    [Fact]
    public void Critical_list_is_worst_first()
    {
        CriticalItem I(string code, TaskStatus s, Timeliness t, int daysLate, int count = 1) =>
            new(code, code, code, "KPU", "16.71", null, count, s, t, D(11, 20), daysLate, "", "", null);
        var list = CriticalList.WorstFirst([
            I("risk", TaskStatus.NotStarted, Timeliness.AtRisk, 0),
            I("late1", TaskStatus.NotStarted, Timeliness.Late, 1),
            I("blocked", TaskStatus.Blocked, Timeliness.AtRisk, 0),
            I("late5", TaskStatus.InProgress, Timeliness.Late, 5),
            I("late1many", TaskStatus.NotStarted, Timeliness.Late, 1, 12),
        ]).Select(i => i.TemplateCode);
        Assert.Equal(["late5", "late1many", "late1", "blocked", "risk"], list);
        Assert.False(CriticalList.IsCritical(false, TaskStatus.NotStarted, Timeliness.Late));
        Assert.False(CriticalList.IsCritical(true, TaskStatus.Done, Timeliness.Done));
        Assert.False(CriticalList.IsCritical(true, TaskStatus.InProgress, Timeliness.OnTime));
        Assert.True(CriticalList.IsCritical(true, TaskStatus.Blocked, Timeliness.AtRisk));
        var (id, en) = CriticalList.Reason(TaskStatus.Blocked, Timeliness.Late, D(11, 20), D(11, 22), 1, "genset rusak");
        Assert.Contains("terlambat 2 hari", id);
        Assert.Contains("genset rusak", id);
        Assert.Contains("2 day(s) late", en);
    }

    // ---- chain of custody ----

    [Theory]
    [InlineData("16.71", "16.71.01", true)]              // warehouse → PPK of its own kab/kota
    [InlineData("16.71", "16.72.01", false)]             // PPK of another kab/kota
    [InlineData("16.71", "16.71.01.1001", false)]        // skips the PPK
    [InlineData("16.71.01", "16.71.01.1001", true)]
    [InlineData("16.71.01", "16.71.02.1001", false)]     // desa of another kecamatan
    [InlineData("16.71.01", "1671011001001", false)]     // PPK straight to a TPS
    [InlineData("16.71.01.1001", "1671011001001", true)]
    [InlineData("16.71.01.1001", "1671011002001", false)] // TPS of another desa
    [InlineData("16.71.01", "16.71", false)]             // upwards
    public void Handover_chain(string from, string to, bool ok)
    {
        Assert.True(CustodyNode.TryParse(from, out var f));
        Assert.True(CustodyNode.TryParse(to, out var t));
        Assert.Equal(ok, CustodyChain.Validate(f, t) is null);
    }

    [Fact]
    public void Province_and_garbage_are_not_holders()
    {
        Assert.False(CustodyNode.TryParse("16", out _));
        Assert.False(CustodyNode.TryParse("abc", out _));
        Assert.True(CustodyNode.TryParse("1671011001001", out var tps));
        Assert.Equal(CustodyLevel.Kpps, tps.Level);
        Assert.Equal("16.71.01.1001", tps.RegionCode);
    }

    // ---- discrepancies ----

    [Fact]
    public void Line_discrepancies_and_the_damage_threshold_boundary()
    {
        Assert.Empty(Discrepancies.ForLine("16.71.01", "surat-suara:X", 1000, 1000, 5)); // exactly 0.5 %: not above
        var d = Discrepancies.ForLine("16.71.01", "surat-suara:X", 1000, 990, 6).Select(x => x.Kind).ToList();
        Assert.Equal([DiscrepancyKind.ReceivedNotSent, DiscrepancyKind.Damaged], d);
        Assert.Single(Discrepancies.ForLine("16.71.01", "kotak-suara:X", 10, 10, 1)); // any damage on small counts
    }

    [Fact]
    public void Shortfall_and_not_at_ppk()
    {
        var s = Discrepancies.Shortfalls("16.71.01", new Dictionary<string, long> { ["a"] = 100, ["b"] = 10 }, new Dictionary<string, long> { ["a"] = 99, ["b"] = 10 }).ToList();
        var only = Assert.Single(s);
        Assert.Equal(("a", 100L, 99L), (only.ItemKey, only.Expected, only.Actual));
        Assert.Null(Discrepancies.NotAtPpk("16.71.01", false, D(11, 20), D(11, 20)));
        Assert.NotNull(Discrepancies.NotAtPpk("16.71.01", false, D(11, 20), D(11, 21)));
        Assert.Null(Discrepancies.NotAtPpk("16.71.01", true, D(11, 20), D(11, 21)));
    }

    [Fact]
    public void Default_templates_have_valid_rules_for_every_level()
    {
        foreach (var t in ReadinessTemplates.Default)
        {
            Assert.True(TargetRule.TryParse(t.TargetRule, out var r), t.Code);
            var target = r.Resolve(Schedule.Pilkada2024);
            Assert.NotNull(target);
            Assert.True(target <= Schedule.WindowEnd, t.Code);
        }
        Assert.Equal(5, ReadinessTemplates.Default.Select(t => t.Level).Distinct().Count());
        Assert.Equal(ReadinessTemplates.Default.Count, ReadinessTemplates.Default.Select(t => t.Code).Distinct().Count());
    }
}
