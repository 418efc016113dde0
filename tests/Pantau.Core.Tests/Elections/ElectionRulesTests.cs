using Pantau.Core.Elections;

namespace Pantau.Core.Tests.Elections;

public class ElectionRulesTests
{
    private static readonly HashSet<string> Regions = ["16", "16.03", "16.71", "16.71.01", "17", "17.06", "17.06.01.2001"];

    private static ElectionFile Mukomuko(params PaslonEntry[] paslon) => new()
    {
        Format = ElectionFile.CurrentFormat, Code = "PILKADA2024-17.06", Name = "Pilkada Mukomuko 2024", Kind = "pilkada", VotingDate = "2024-11-27",
        Region = "17.06",
        Contests = [new ContestEntry { Code = "PILBUP-17.06", Kind = "bupati", Region = "17.06", Paslon = [.. paslon] }],
    };

    private static List<ElectionFileError> Check(ElectionFile f, params string[] elections) => ElectionRules.Validate(f, Regions.Contains, elections.Contains);

    [Fact]
    public void A_complete_file_has_no_errors()
    {
        var f = Mukomuko(new PaslonEntry { Number = 1, Candidate = "A", RunningMate = "B" }, new PaslonEntry { Number = 2, Candidate = "C" });
        Assert.Empty(Check(f));
    }

    [Fact]
    public void Each_wrong_field_is_named()
    {
        var f = Mukomuko(new PaslonEntry { Number = 1, Candidate = "A" }, new PaslonEntry { Number = 1, Candidate = " " }, new PaslonEntry { Number = 0, Candidate = "X" })
            with { Code = "pilkada 2024", Kind = "pilgub", VotingDate = "27-11-2024" };
        var fields = Check(f).Select(e => e.Field).ToList();
        Assert.Equal(["code", "kind", "votingDate", "contests[0].paslon[1].number", "contests[0].paslon[1].candidate", "contests[0].paslon[2].number"], fields);
    }

    [Theory]
    [InlineData("gubernur", "17.06", true)]   // a governor race is elected by a province
    [InlineData("bupati", "17", true)]        // a bupati race by a kab/kota
    [InlineData("presiden", "17", false)]     // the PPWP count of a province
    [InlineData("walikota", "16.71", true)]   // inside 16, outside the election's region 17.06
    [InlineData("bupati", "17.06", false)]
    [InlineData("bupati", "17.99", true)]     // unknown region
    public void The_region_fits_the_kind_and_the_election(string kind, string region, bool wrong)
    {
        var f = Mukomuko() with { Region = null };
        if (kind == "walikota") f = f with { Region = "17" };
        f = f with { Contests = [new ContestEntry { Code = "X-1", Kind = kind, Region = region, Paslon = [new PaslonEntry { Number = 1, Candidate = "A" }] }] };
        Assert.Equal(wrong, Check(f).Any(e => e.Field == "contests[0].region"));
    }

    [Fact]
    public void A_psu_names_the_election_it_revotes_and_its_tps()
    {
        var f = Mukomuko(new PaslonEntry { Number = 1, Candidate = "A" }, new PaslonEntry { Number = 2, Candidate = "B" }) with { Kind = "psu", Code = "PSU2025-17.06" };
        Assert.Equal(["reVotes", "contests[0].tps"], Check(f).Select(e => e.Field));
        var ok = f with { ReVotes = "PILKADA2024-17.06", Contests = [f.Contests![0] with { Tps = ["1706012001001", "1706012001002"] }] };
        Assert.Empty(Check(ok, "PILKADA2024-17.06"));
        var bad = ok with { Contests = [f.Contests![0] with { Tps = ["1706012001001", "1706012001001", "1603012001001"] }] };
        Assert.Equal(["contests[0].tps[1]", "contests[0].tps[2]"], Check(bad, "PILKADA2024-17.06").Select(e => e.Field));
        // Only a PSU lists TPS or re-votes another election.
        var pilkada = ok with { Kind = "pilkada" };
        Assert.Equal(["reVotes", "contests[0].tps"], Check(pilkada, "PILKADA2024-17.06").Select(e => e.Field));
    }

    [Fact]
    public void Duplicate_contest_codes_are_refused()
    {
        var c = new ContestEntry { Code = "PILBUP-17.06", Kind = "bupati", Region = "17.06", Paslon = [new PaslonEntry { Number = 1, Candidate = "A" }] };
        var f = Mukomuko() with { Contests = [c, c with { Code = "pilbup-17.06" }] };
        Assert.Equal(["contests[1].code"], Check(f).Select(e => e.Field));
    }

    [Fact]
    public void Only_a_single_paslon_race_gets_the_kolom_kosong()
    {
        Assert.True(ElectionRules.HasKolomKosong(1));
        Assert.False(ElectionRules.HasKolomKosong(2));
    }

    [Fact]
    public void Parse_reads_the_documented_format_and_reports_the_line_of_bad_json()
    {
        var f = ElectionFile.Parse("""
            { "format": "pantau-election/1", "code": "PEMILU2024-17", "name": "Pemilu 2024 Bengkulu", "kind": "pemilu", "votingDate": "2024-02-14",
              "region": "17",
              "contests": [ { "code": "PPWP-17-2024", "kind": "presiden", "region": "17",
                "paslon": [ { "number": 1, "candidate": "Anies Rasyid Baswedan", "runningMate": "Muhaimin Iskandar" } ] } ] }
            """, out var error);
        Assert.Null(error);
        Assert.Equal("presiden", f!.Contests![0].Kind);
        Assert.Equal("Muhaimin Iskandar", f.Contests[0].Paslon![0].RunningMate);
        Assert.Equal(f, ElectionFile.Parse(f.ToJson(), out _) is { } again ? again with { Contests = f.Contests } : null);
        Assert.Null(ElectionFile.Parse("{ \"code\": \"X\",\n \"contests\": [ }", out error));
        Assert.StartsWith("line 2:", error);
    }

    private sealed record E(string Code, DateOnly Day);

    [Theory]
    [InlineData("2024-06-01", "PILKADA2024-16")]  // before the Pilkada: it is next
    [InlineData("2024-11-27", "PILKADA2024-16")]  // its voting day itself
    [InlineData("2024-11-28", "PSU2025-16.03")]   // the next one after it
    [InlineData("2026-12-04", "PSU2025-16.03")]   // all past: the latest
    [InlineData("2024-01-01", "PEMILU2024")]
    public void The_current_election_is_the_next_one_else_the_latest(string today, string expected)
    {
        E[] all = [new("PEMILU2024", new(2024, 2, 14)), new("PILKADA2024-16", new(2024, 11, 27)), new("PSU2025-16.03", new(2025, 2, 22))];
        Assert.Equal(expected, CurrentElection.Choose(all, e => e.Day, e => e.Code, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture))!.Code);
        Assert.Null(CurrentElection.Choose(Array.Empty<E>(), e => e.Day, e => e.Code, new DateOnly(2024, 1, 1)));
    }
}
