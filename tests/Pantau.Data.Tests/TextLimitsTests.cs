using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Data.Tests;

/// <summary>
/// Every text a person types has a limit declared once (in the model, from <see cref="Pantau.Core.Text.TextRules"/>), checked before either
/// database sees it, and documented in README's table; only columns the system writes itself (hashes, canonical log entries, audit
/// snapshots, Identity's own columns) go without one.
/// </summary>
public class TextLimitsTests
{
    /// <summary>Written by Pantau, never from a request: bounded by construction, not by a column length.</summary>
    private static readonly HashSet<string> SystemWritten =
    [
        "AuditEntry.Before", "AuditEntry.After",           // JSON snapshots of rows whose own text is limited
        "ResultVersion.Payload", "TallyLogEntry.Entry",    // canonical C.Hasil encodings (TallyGrammar bounds them)
        "TallyAnomalyScanState.Dirty",                     // list of TPS codes the scanner still has to look at
        "JobLease.LastResult",                             // a background job's own summary
        "PantauUser.Id", "PantauUser.ConcurrencyStamp", "PantauUser.PasswordHash", "PantauUser.SecurityStamp",
    ];

    private static IEnumerable<(string Name, int? Max)> TextColumns(PantauDbContext db) =>
        from entity in db.Model.GetEntityTypes()
        from p in entity.GetProperties()
        where p.ClrType == typeof(string)
        // ASP.NET Identity's own tables (roles, claims, logins, tokens): Pantau never writes them from a request.
        where !entity.ClrType.Name.StartsWith("Identity", StringComparison.Ordinal)
        select ($"{entity.ClrType.Name}.{p.Name}", p.GetMaxLength());

    [Fact]
    public async Task Every_text_column_declares_a_limit_or_is_written_only_by_the_system()
    {
        await using var tdb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, seeded: false);
        await using var db = tdb.NewContext();
        var columns = TextColumns(db).ToList();
        var missing = columns.Where(c => c.Max is null && !SystemWritten.Contains(c.Name)).Select(c => c.Name).ToList();
        Assert.True(missing.Count == 0, "declare HasMaxLength (a TextRules constant for free text) or justify in SystemWritten:\n" + string.Join("\n", missing));
        var stale = SystemWritten.Where(s => !columns.Any(c => c.Name == s && c.Max is null)).ToList();
        Assert.True(stale.Count == 0, "no longer unbounded, remove from SystemWritten: " + string.Join(", ", stale));
        Assert.Equal(Pantau.Core.Text.TextRules.Minutes, columns.Single(c => c.Name == "Meeting.Minutes").Max);
    }

    /// <summary>README's table of free-text limits is the model's: each row matches, and every long text column (≥ 1,000) is in it.</summary>
    [Fact]
    public async Task The_documented_limits_are_the_models()
    {
        await using var tdb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, seeded: false);
        await using var db = tdb.NewContext();
        var columns = TextColumns(db).Where(c => c.Max is not null).ToDictionary(c => c.Name, c => c.Max!.Value);
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var rows = Regex.Matches(readme, @"^\s*\| `(?<f>[A-Za-z]+\.[A-Za-z]+)` \| (?<n>[\d,]+) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["f"].Value, m => int.Parse(m.Groups["n"].Value.Replace(",", "")));
        Assert.True(rows.Count >= 10, $"README lists {rows.Count} text limits");
        foreach (var (field, n) in rows)
        {
            Assert.True(columns.TryGetValue(field, out var max), $"README names {field}, which is not a text column with a limit");
            Assert.True(max == n, $"README says {field} {n}, the model {max}");
        }
        var undocumented = columns.Where(c => c.Value >= 1000 && !rows.ContainsKey(c.Key)).Select(c => $"{c.Key} ({c.Value})").ToList();
        Assert.True(undocumented.Count == 0, "add to README's text limits: " + string.Join(", ", undocumented));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("README.md not found above " + AppContext.BaseDirectory);
    }
}
