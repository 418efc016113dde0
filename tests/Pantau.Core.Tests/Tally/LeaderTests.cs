using Pantau.Core.Tally;

namespace Pantau.Core.Tests.Tally;

public class LeaderTests
{
    private static Leader? Of(params (int N, long V)[] votes) => Leaders.Of(votes.Select(v => KeyValuePair.Create(v.N, v.V)));

    [Fact]
    public void Nothing_counted_has_no_leader_not_a_leader_with_zero() => Assert.Null(Of((1, 0), (2, 0), (3, 0)));

    [Fact]
    public void The_column_with_most_votes_leads_with_its_share_of_the_valid_votes()
    {
        var l = Of((1, 120), (2, 80), (3, 40))!;
        Assert.Equal(1, l.Number);
        Assert.Equal(120, l.Votes);
        Assert.Equal(0.5, l.Share, 10);
        Assert.False(l.Tie);
    }

    [Fact]
    public void Kolom_kosong_can_lead_and_a_tie_names_the_lowest_ballot_number()
    {
        Assert.Equal(0, Of((1, 10), (0, 30))!.Number);
        var tie = Of((2, 50), (1, 50), (3, 10))!;
        Assert.True(tie.Tie);
        Assert.Equal(1, tie.Number);
    }

    [FsCheck.Xunit.Property]
    public bool The_leader_has_at_least_as_many_votes_as_every_column(uint[] raw)
    {
        var votes = raw.Select((v, i) => (i + 1, (long)(v % 1000))).ToArray();
        var l = Of(votes);
        if (votes.Sum(v => v.Item2) == 0) return l is null;
        return l is not null && votes.All(v => v.Item2 <= l.Votes) && l.Share > 0 && l.Share <= 1;
    }
}
