using System.Text.RegularExpressions;
using Pantau.Core.Tally;
using Pantau.TestKit;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>
/// The sheet's fields are spelled out in several places (Core, the verifier's byte parser, the Python verifier, the log format
/// specification, the entry form, the offline entry script, the intake parser): this fails when a field of
/// <see cref="SheetFields.Numeric"/> is missing from one of them.
/// </summary>
public partial class SheetFieldsEverywhereTests
{
    private static readonly string[] Names = [.. SheetFields.Numeric.Select(f => f.Name)];
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([PublicLogTests.RepoRoot(), .. path]));

    [Fact]
    public void The_python_verifier_lists_every_field_in_order()
    {
        var py = Read("verifier", "pantau_verify.py");
        var list = py[py.IndexOf("FIELDS = [", StringComparison.Ordinal)..];
        list = list[..list.IndexOf(']')];
        Assert.Equal(Names, QuotedName().Matches(list).Select(m => m.Groups[1].Value));
        Assert.Contains($"V1_FIELDS = {SheetFields.V1Count}", py);
    }

    [Fact]
    public void The_log_format_specification_names_every_field_in_order()
    {
        var spec = Read("docs", "log-format.md");
        var section = spec[spec.IndexOf("## 1. The sheet", StringComparison.Ordinal)..spec.IndexOf("## 2.", StringComparison.Ordinal)];
        var named = BacktickName().Matches(section).Select(m => m.Groups[1].Value).Where(n => SheetFields.Find(n) is not null).Distinct().ToList();
        Assert.Equal(Names, named);
    }

    [Fact]
    public void The_offline_entry_script_and_the_form_have_every_field()
    {
        var js = Read("src", "Pantau.Web", "wwwroot", "js", "offline-entry.js");
        var form = Read("src", "Pantau.Web", "Pages", "Tally", "Input.cshtml");
        foreach (var n in Names)
        {
            Assert.Contains($"['{n}',", js);
            Assert.Contains($"\"{n}\"", form);
        }
    }

    [Fact]
    public void Every_field_goes_through_the_intake_parser_the_canonical_text_and_the_export_shape()
    {
        var s = TallySheets.Full("PPWP-17", "1701012001001", 20, 144, 20);
        var pairs = SheetParser.ToNamed(s).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("contest", "PPWP-17")).Append(new("tps", "1701012001001"));
        var parsed = SheetParser.FromPairs(pairs, rejectUnknown: true);
        Assert.Empty(parsed.Errors);
        Assert.Equal(s.Canonical(), parsed.Input!.Sheet.Canonical());
        Assert.Equal(Names.Length, SheetParser.ToNamed(s).Count - s.Votes.Count);
        Assert.All(SheetFields.Numeric, f => Assert.True(f.Has(s), f.Name));
    }

    [GeneratedRegex("\"([A-Za-z]+)\"")] private static partial Regex QuotedName();
    [GeneratedRegex("`([A-Za-z]+)`")] private static partial Regex BacktickName();
}
