using Pantau.Core.Readiness;

namespace Pantau.Core.Tests.Readiness;

public class DiscrepancyMessageTests
{
    [Fact]
    public void Numbers_in_the_messages_are_written_the_way_each_language_writes_them()
    {
        var found = Discrepancies.ForLine("16.71.01", "surat-suara:PILGUB-16", 12_000, 11_990, 70).ToList();
        var received = found.Single(d => d.Kind == DiscrepancyKind.ReceivedNotSent);
        Assert.Contains("diterima 11.990 ≠ dikirim 12.000", received.MessageId);
        Assert.Contains("received 11,990 ≠ sent 12,000", received.MessageEn);
        var damaged = found.Single(d => d.Kind == DiscrepancyKind.Damaged);
        Assert.Contains("di atas 0,5", damaged.MessageId);
        Assert.DoesNotContain("0.5", damaged.MessageId);
        Assert.Contains("above 0.5", damaged.MessageEn);
        var short_ = Discrepancies.Shortfalls("16.71.01", new Dictionary<string, long> { ["segel:PILGUB-16"] = 1_500 }, new Dictionary<string, long>()).Single();
        Assert.Contains("kurang 1.500 dari kebutuhan 1.500", short_.MessageId);
    }
}
