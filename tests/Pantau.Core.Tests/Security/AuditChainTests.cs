using Pantau.Core.Security;

namespace Pantau.Core.Tests.Security;

public class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2024, 11, 27, 1, 2, 3, TimeSpan.Zero);

    private static List<AuditChain.Row> Chain(int n)
    {
        var rows = new List<AuditChain.Row>();
        var prev = AuditChain.GenesisHex;
        for (var i = 1; i <= n; i++)
        {
            var at = T0.AddSeconds(i);
            var after = $"{{\"n\":{i}}}";
            var hash = AuditChain.Next(prev, AuditChain.Canonical(i, at, "u1", "budi", null, "Added", "Incident", i.ToString(), null, after));
            rows.Add(new AuditChain.Row(i, at, "u1", "budi", null, "Added", "Incident", i.ToString(), null, after, prev, hash));
            prev = hash;
        }
        return rows;
    }

    [Fact]
    public void An_unbroken_chain_checks()
    {
        Assert.Null(AuditChain.Check(Chain(5)));
        Assert.Null(AuditChain.Check([]));
    }

    [Fact]
    public void A_deleted_row_is_named()
    {
        var rows = Chain(5);
        rows.RemoveAt(2);
        Assert.Contains("audit row 3 is missing", AuditChain.Check(rows));
    }

    [Fact]
    public void An_altered_row_is_named()
    {
        var rows = Chain(5);
        rows[3] = rows[3] with { UserName = "mallory" };
        Assert.StartsWith("audit row 4: hash mismatch", AuditChain.Check(rows));
        var rehashed = Chain(5);
        // Re-hashing the altered row alone does not help: the next row commits to the old hash.
        var r = rehashed[1] with { After = "{}" };
        rehashed[1] = r with { Hash = AuditChain.Next(r.PrevHash!, AuditChain.Canonical(r.Seq, r.At, r.UserId, r.UserName, r.RemoteIp, r.Action, r.EntityType, r.EntityKey, r.Before, r.After)) };
        Assert.StartsWith("audit row 3: previous hash", AuditChain.Check(rehashed));
    }

    [Fact]
    public void A_truncated_tail_from_the_start_is_caught()
    {
        var rows = Chain(3);
        rows.RemoveAt(0);
        Assert.Contains("audit row 1 is missing", AuditChain.Check(rows));
    }

    [Fact]
    public void The_encoding_is_unambiguous_and_kept_to_the_microsecond()
    {
        // Moving a separator between two fields changes the encoding.
        Assert.NotEqual(AuditChain.Canonical(1, T0, "a|b", "c", null, "Added", "X", "1", null, null),
                        AuditChain.Canonical(1, T0, "a", "b|c", null, "Added", "X", "1", null, null));
        Assert.NotEqual(AuditChain.Canonical(1, T0, "u", "n", null, "Added", "X", "1", null, null),
                        AuditChain.Canonical(1, T0, "u", "n", "", "Added", "X", "1", null, null));
        var fine = T0.AddTicks(7);
        Assert.Equal(T0, AuditChain.Normalize(fine));
        Assert.Equal(AuditChain.Canonical(1, T0, "u", "n", null, "A", "X", "1", null, null), AuditChain.Canonical(1, fine, "u", "n", null, "A", "X", "1", null, null));
    }
}
