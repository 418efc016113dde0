using Pantau.Core.Readiness;

namespace Pantau.Core.Tests.Readiness;

/// <summary>Issue 24.7: a holder cannot hand over what it never received (received minus handed over, per item).</summary>
public class CustodyStockTests
{
    private const string Gub = "surat-suara:PILGUB-16";

    [Fact]
    public void A_ppk_without_receipts_cannot_hand_over_and_one_with_receipts_can_up_to_its_stock()
    {
        Assert.True(CustodyStock.Applies(CustodyLevel.Ppk));
        Assert.False(CustodyStock.Applies(CustodyLevel.Warehouse));
        var none = CustodyStock.OnHand([], []);
        var refused = Assert.Single(CustodyStock.Overdrawn("16.71.01", none, [(Gub, 300)]));
        Assert.Equal(0, refused.OnHand);
        Assert.Contains("hanya memegang 0", refused.MessageId);
        Assert.Contains("cannot hand over 300", refused.MessageEn);

        var stock = CustodyStock.OnHand([(Gub, 990), ("tinta", 20)], [(Gub, 300), (Gub, 400)]);
        Assert.Equal(290, stock[Gub]);
        Assert.Empty(CustodyStock.Overdrawn("16.71.01", stock, [(Gub, 290), ("tinta", 20)]));
        var over = Assert.Single(CustodyStock.Overdrawn("16.71.01", stock, [("tinta", 5), (Gub, 291)]));
        Assert.Equal((1, Gub, 291L, 290L), (over.Line, over.ItemKey, over.Sent, over.OnHand));
        Assert.Contains("1.000", Assert.Single(CustodyStock.Overdrawn("x", stock, [("tinta", 1000)])).MessageId); // Indonesian digits
    }

    /// <summary>Accepting handovers only when nothing is overdrawn never leaves a holder with negative stock.</summary>
    [FsCheck.Xunit.Property]
    public bool Accepted_handovers_never_take_a_holder_below_zero(uint[] receipts, uint[] attempts)
    {
        var received = receipts.Select(r => (Gub, (long)(r % 500))).ToList();
        var handed = new List<(string, long)>();
        foreach (var a in attempts)
        {
            var sent = (long)(a % 700);
            if (!CustodyStock.Overdrawn("16.71.01", CustodyStock.OnHand(received, handed), [(Gub, sent)]).Any()) handed.Add((Gub, sent));
        }
        var left = CustodyStock.OnHand(received, handed).GetValueOrDefault(Gub);
        return left >= 0 && left == received.Sum(r => r.Item2) - handed.Sum(h => h.Item2);
    }
}
