using Pantau.Core.Elections;
using Pantau.Core.Incidents;

namespace Pantau.Core.Tests.Elections;

/// <summary>Each election carries the IKP edition Bawaslu published for it (issue 27.2): the file's <c>ikp</c>, else the default of its kind.</summary>
public class ElectionIkpTests
{
    private static readonly HashSet<string> Regions = ["16", "16.71"];

    private static ElectionFile File(string kind, string? ikp, string? reVotes = null) => new()
    {
        Format = ElectionFile.CurrentFormat, Code = "X-2024", Name = "X", Kind = kind, VotingDate = "2024-11-27", Region = "16", Ikp = ikp, ReVotes = reVotes,
        Contests = kind == ElectionKinds.Psu ? [] : [new ContestEntry { Code = "PILGUB-X", Kind = "gubernur", Region = "16", Paslon = [new PaslonEntry { Number = 1, Candidate = "A" }] }],
    };

    [Theory]
    [InlineData("pilkada", null, null, IkpEditions.Pilkada2024Key)]
    [InlineData("pemilu", null, null, IkpEditions.Pemilu2024Key)]
    [InlineData("pemilu", "ikp-pilkada-2024", null, IkpEditions.Pilkada2024Key)]
    [InlineData("pilkada", "IKP-PEMILU-2024", null, IkpEditions.Pemilu2024Key)]
    [InlineData("psu", null, IkpEditions.Pemilu2024Key, IkpEditions.Pemilu2024Key)]
    [InlineData("psu", null, null, IkpEditions.Pilkada2024Key)]
    public void The_edition_is_the_files_else_the_default_of_the_kind_and_a_psu_takes_its_revoted_elections(string kind, string? ikp, string? reVoted, string expected) =>
        Assert.Equal(expected, ElectionRules.IkpEditionFor(kind, ikp, reVoted));

    [Fact]
    public void An_unknown_edition_is_an_error_naming_the_field()
    {
        var errors = ElectionRules.Validate(File("pilkada", "ikp-pilkada-2029"), Regions.Contains, _ => false);
        var e = Assert.Single(errors);
        Assert.Equal("ikp", e.Field);
        Assert.Contains("ikp-pilkada-2029", e.Message);
        Assert.Empty(ElectionRules.Validate(File("pilkada", "ikp-pemilu-2024"), Regions.Contains, _ => false));
        Assert.Empty(ElectionRules.Validate(File("pemilu", null), Regions.Contains, _ => false));
    }

    [Fact]
    public void A_psu_may_not_name_another_edition_than_its_revoted_elections()
    {
        var psu = File("psu", IkpEditions.Pemilu2024Key, "PILKADA2024-16");
        var errors = ElectionRules.Validate(psu, Regions.Contains, c => c == "PILKADA2024-16", _ => null, _ => IkpEditions.Pilkada2024Key);
        Assert.Contains(errors, e => e.Field == "ikp");
        var same = psu with { Ikp = IkpEditions.Pilkada2024Key };
        Assert.DoesNotContain(ElectionRules.Validate(same, Regions.Contains, c => c == "PILKADA2024-16", _ => null, _ => IkpEditions.Pilkada2024Key), e => e.Field == "ikp");
    }

    [Fact]
    public void The_field_round_trips_through_the_file_text()
    {
        var text = File("pemilu", IkpEditions.Pemilu2024Key).ToJson();
        Assert.Contains("\"ikp\": \"ikp-pemilu-2024\"", text);
        Assert.Equal(IkpEditions.Pemilu2024Key, ElectionFile.Parse(text, out _)!.Ikp);
    }

    [Fact]
    public void The_two_editions_have_their_own_dimensions_and_the_same_bands_per_level()
    {
        Assert.Equal(["sosial-politik", "penyelenggaraan", "kontestasi", "partisipasi"], IkpEditions.Pemilu2024.Dimensions.Select(d => d.Key));
        Assert.Equal(["sosial-politik", "pencalonan", "kampanye", "pemungutan-penghitungan"], IkpEditions.Pilkada2024.Dimensions.Select(d => d.Key));
        foreach (var l in Enum.GetValues<IkpLevel>())
            Assert.Equal(IkpEditions.Pilkada2024.BandsAt(l), IkpEditions.Pemilu2024.BandsAt(l));
    }
}
