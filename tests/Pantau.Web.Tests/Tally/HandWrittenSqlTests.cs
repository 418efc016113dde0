using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// The intake, the verifier and the audit chain write and read some tables with hand-written SQL (for speed). That SQL is tied to the EF
/// model here (issue 19.4): every <c>INSERT</c> names every column its table has (so a new column cannot be silently defaulted by the
/// intake) with one value per column, and every column named by an <c>UPDATE</c> or a <c>SELECT</c> exists in the table it names. The
/// statements are read from the source of every project under <c>src/</c>, so SQL added in a new file is checked too.
/// </summary>
public partial class HandWrittenSqlTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_hand_written_statement_matches_the_model(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider, seeded: false);
        await using var db = tdb.NewContext();
        var statements = Statements().ToList();

        // The scan itself must keep finding the writers' statements (a rename that hid them from it would make this test vacuous).
        var inserts = statements.Where(s => s.Sql.StartsWith("INSERT", StringComparison.Ordinal)).ToList();
        foreach (var table in new[] { "ResultVersions", "TallyLog", "TallyCurrent", "TallyRecaps", "AuditEntries" })
            Assert.True(inserts.Count(s => InsertHead().Match(s.Sql).Groups[1].Value == table) >= 2,
                $"expected an INSERT INTO \"{table}\" in both the SQLite and the PostgreSQL writer; found: {string.Join(", ", inserts.Select(s => s.Where))}");
        Assert.Contains(statements, s => s.Sql.StartsWith("SELECT", StringComparison.Ordinal) && s.Sql.Contains("FROM \"ResultVersions\"", StringComparison.Ordinal));

        var problems = statements.SelectMany(s => Check(db.Model, s)).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task A_statement_that_leaves_out_a_column_or_names_an_unknown_one_is_reported()
    {
        await using var tdb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, seeded: false);
        await using var db = tdb.NewContext();
        var missing = Check(db.Model, new("test", "INSERT INTO \"TallyCurrent\" (\"ContestCode\",\"TpsCode\",\"CountedVersionNo\",\"LatestVersionNo\",\"State\") VALUES (@p0,@p1,@p2,@p3,@p4)")).ToList();
        Assert.Contains(missing, p => p.Contains("leaves out \"Version\"", StringComparison.Ordinal));
        var arity = Check(db.Model, new("test", "INSERT INTO \"TallyLog\" (\"Seq\",\"At\",\"ContestCode\",\"TpsCode\",\"PrevHash\",\"Hash\",\"Entry\") VALUES (@p0,@p1,@p2,@p3,@p4,@p5)")).ToList();
        Assert.Contains(arity, p => p.Contains("6 values for 7 columns", StringComparison.Ordinal));
        var unknown = Check(db.Model, new("test", "UPDATE \"TallyRecaps\" SET \"Turnout\"=@p0 WHERE \"ContestCode\"=@p1")).ToList();
        Assert.Contains(unknown, p => p.Contains("\"Turnout\"", StringComparison.Ordinal));
        var select = Check(db.Model, new("test", "SELECT \"Seq\",\"Hashes\" FROM \"TallyLog\" ORDER BY \"Seq\"")).ToList();
        Assert.Contains(select, p => p.Contains("\"Hashes\"", StringComparison.Ordinal));
        Assert.Empty(Check(db.Model, new("test", "SELECT \"Seq\",\"Hash\" FROM \"TallyLog\" ORDER BY \"Seq\"")));
    }

    public sealed record Statement(string Where, string Sql);

    private static IEnumerable<string> Check(IModel model, Statement s)
    {
        var insert = InsertHead().Match(s.Sql);
        if (insert.Success)
        {
            var table = insert.Groups[1].Value;
            if (Columns(model, table) is not { } all) { yield return $"{s.Where}: no table \"{table}\" in the model"; yield break; }
            var listed = Quoted().Matches(insert.Groups[2].Value).Select(m => m.Groups[1].Value).ToList();
            foreach (var c in listed.Where(c => !all.ContainsKey(c))) yield return $"{s.Where}: INSERT INTO \"{table}\" names \"{c}\", not a column of the model";
            foreach (var c in all.Where(c => !c.Value && !listed.Contains(c.Key)))
                yield return $"{s.Where}: INSERT INTO \"{table}\" leaves out \"{c.Key}\" (it would be defaulted)";
            foreach (var dup in listed.GroupBy(c => c).Where(g => g.Count() > 1)) yield return $"{s.Where}: \"{dup.Key}\" listed twice";
            var tail = s.Sql[(insert.Index + insert.Length)..];
            var values = Values().Match(tail) is { Success: true } v ? Placeholder().Matches(v.Groups[1].Value).Count
                : Unnest().Match(tail) is { Success: true } u ? Placeholder().Matches(u.Groups[1].Value).Count : -1;
            if (values != listed.Count) yield return $"{s.Where}: INSERT INTO \"{table}\" has {values} values for {listed.Count} columns";
            yield break;
        }
        var update = UpdateHead().Match(s.Sql);
        // The last FROM names the table (an earlier one may be EXTRACT(EPOCH FROM "Column")).
        var from = FromTable().Matches(s.Sql).LastOrDefault();
        var target = update.Success ? update.Groups[1].Value : from?.Groups[1].Value;
        if (target is null) yield break;
        if (Columns(model, target) is not { } cols) { yield return $"{s.Where}: no table \"{target}\" in the model"; yield break; }
        // Every quoted name other than the table's own is a column of it (aliases and unnest's names are unquoted).
        foreach (var name in Quoted().Matches(s.Sql).Select(m => m.Groups[1].Value).Distinct().Where(n => n != target && !cols.ContainsKey(n)))
            yield return $"{s.Where}: \"{name}\" is not a column of \"{target}\"";
    }

    /// <summary>The table's columns, each with whether the store generates it (an identity key an INSERT leaves to the database).</summary>
    private static Dictionary<string, bool>? Columns(IModel model, string table)
    {
        var entity = model.GetEntityTypes().FirstOrDefault(e => e.GetTableName() == table && e.GetSchema() is null);
        if (entity is null) return null;
        var id = StoreObjectIdentifier.Table(table);
        return entity.GetProperties().ToDictionary(p => p.GetColumnName(id)!,
            p => p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType is var t && (t == typeof(long) || t == typeof(int)));
    }

    /// <summary>Every SQL statement in a string literal (adjacent literals joined by <c>+</c> read as one) of the C# under <c>src/</c>.</summary>
    public static IEnumerable<Statement> Statements()
    {
        var src = Path.Combine(PublicLogTests.RepoRoot(), "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(src, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "Migrations")) continue;
            var text = File.ReadAllText(file);
            var joined = Concat().Replace(text, "");
            // A statement built from a string constant of the same file and a literal (Head + "...") reads as one literal too.
            foreach (Match c in ConstString().Matches(joined))
                joined = joined.Replace(c.Groups[1].Value + " + \"", "\"" + c.Groups[2].Value, StringComparison.Ordinal);
            foreach (Match m in Literal().Matches(joined))
            {
                var sql = m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Trim();
                if (SqlStart().IsMatch(sql)) yield return new(rel, sql);
            }
        }
    }

    [GeneratedRegex("\"\\s*\\+\\s*(?:\\$)?\"")] private static partial Regex Concat();
    [GeneratedRegex("const string (\\w+) =\\s*\"((?:[^\"\\\\\\n]|\\\\.)*)\";")] private static partial Regex ConstString();
    [GeneratedRegex("(?<![@\\w])\\$?\"((?:[^\"\\\\\\n]|\\\\.)*)\"")] private static partial Regex Literal();
    [GeneratedRegex("^(INSERT INTO|UPDATE \"|SELECT \"[A-Za-z]|SELECT COALESCE)")] private static partial Regex SqlStart();
    [GeneratedRegex("^INSERT INTO \"(\\w+)\"\\s*\\(([^)]*)\\)")] private static partial Regex InsertHead();
    [GeneratedRegex("^UPDATE \"(\\w+)\"")] private static partial Regex UpdateHead();
    [GeneratedRegex("FROM \"(\\w+)\"")] private static partial Regex FromTable();
    [GeneratedRegex("\"(\\w+)\"")] private static partial Regex Quoted();
    [GeneratedRegex("^\\s*VALUES\\s*\\(([^)]*)\\)")] private static partial Regex Values();
    [GeneratedRegex("unnest\\(([^)]*)\\)")] private static partial Regex Unnest();
    [GeneratedRegex("@p\\d+|\\$\\d+")] private static partial Regex Placeholder();
}
