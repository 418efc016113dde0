using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Pantau.Core.Tally;

namespace Pantau.Core.Tests.Tally;

/// <summary>The worked example of docs/log-format.md, checked with Pantau's own code (the Python verifier checks it too).</summary>
public class LogFormatExampleTests
{
    private static Dictionary<string, string> Blocks()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pantau.slnx"))) dir = dir.Parent;
        var text = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "log-format.md"));
        return Regex.Matches(text, "```text (example-[a-z-]+)\n(.*?)```", RegexOptions.Singleline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [Fact]
    public void The_documented_example_matches_the_implementation()
    {
        var b = Blocks();
        var entries = b["example-entries"].Trim().Split('\n');
        // Each documented entry is what Pantau writes for such a sheet.
        foreach (var e in entries)
        {
            var p = e.Split('|', 9);
            var entry = new LogEntry(long.Parse(p[1]), new DateTimeOffset(long.Parse(p[2]), TimeSpan.Zero), p[3], p[4], p[5] == "1", int.Parse(p[6]),
                "kpps-someone", p[7] == "-" ? null : p[7], CHasilSheet.ParseCanonical(p[8]));
            Assert.Equal(e, PublicEntry.Encode(entry));
            Assert.Equal(e, PublicEntry.FromStored(entry.Encode()));
        }
        Assert.Equal(638682840000000000, new DateTimeOffset(2024, 11, 27, 6, 0, 0, TimeSpan.Zero).UtcTicks);
        var leaves = entries.Select(Merkle.LeafHash).ToList();
        Assert.Equal(b["example-leaves"].Split('\n', StringSplitOptions.RemoveEmptyEntries), leaves.Select(Convert.ToHexStringLower));
        var tree = new CompactMerkleTree();
        leaves.ForEach(tree.Append);
        var root = Merkle.Root(tree, 3);
        Assert.Equal(b["example-root"].Trim(), Convert.ToHexStringLower(root));
        Assert.Equal([Merkle.NodeHash(leaves[0], leaves[1])], Merkle.InclusionProof(tree, 2, 3));

        using var key = ECDsa.Create();
        key.ImportFromPem(b["example-public-key"]);
        Assert.Equal("b8299012", Convert.ToHexStringLower(SignedNote.KeyHash("pantau.example/tally", key.ExportSubjectPublicKeyInfo())));
        var note = b["example-checkpoint"];
        Assert.StartsWith(SignedNote.Body("pantau.example/tally", 3, root), note, StringComparison.Ordinal);
        Assert.True(SignedNote.Verify(note, "pantau.example/tally", key)); // signed by the Python verifier, checked by .NET
    }
}
