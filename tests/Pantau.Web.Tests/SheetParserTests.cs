using System.Text.Json;
using Pantau.Core.Tally;
using Pantau.TestKit;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>The JSON intake reads the common shape without a string per property; every spelling must give the same sheet as the
/// general field reader.</summary>
public class SheetParserTests
{
    private static readonly CHasilSheet Sheet = TallySheets.Valid("PILGUB-16", "1671011001001", new Dictionary<int, long> { [1] = 120, [2] = 80, [0] = 7 });

    private static string Canonical(string json) => SheetParser.FromJson(JsonDocument.Parse(json).RootElement).Input!.Sheet.Canonical();

    private static string Expected() => SheetParser.FromPairs(SheetParser.ToNamed(Sheet).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString()))
        .Append(new("contest", Sheet.Contest)).Append(new("tps", Sheet.Tps))).Input!.Sheet.Canonical();

    private static Dictionary<string, object?> Fields() => TallySheets.ToJson(Sheet);

    [Fact]
    public void The_api_shape_reads_as_the_sheet_that_was_sent()
    {
        Assert.Equal(Sheet.Canonical(), Canonical(JsonSerializer.Serialize(Fields())));
        Assert.Equal(Sheet.Canonical(), Expected());
    }

    [Fact]
    public void Field_order_letter_case_and_vote_names_do_not_change_the_sheet()
    {
        var fields = Fields();
        var shuffled = fields.Reverse().ToDictionary();
        Assert.Equal(Expected(), Canonical(JsonSerializer.Serialize(shuffled)));

        var upper = fields.ToDictionary(kv => kv.Key is "contest" or "tps" or "votes" ? kv.Key : kv.Key.ToUpperInvariant(), kv => kv.Value);
        Assert.Equal(Expected(), Canonical(JsonSerializer.Serialize(upper)));

        foreach (var names in new Func<int, string>[] { n => $"p{n}", n => $"{n}", n => $"p0{n}", n => $"0{n}" })
        {
            var votes = Sheet.Votes.ToDictionary(v => names(v.Key), v => v.Value);
            var json = JsonSerializer.Serialize(fields.Where(kv => kv.Key != "votes").Append(new("votes", votes)).ToDictionary());
            Assert.Equal(Expected(), Canonical(json));
        }
    }

    [Fact]
    public void A_vote_name_that_is_not_a_number_is_refused_with_its_name()
    {
        var fields = Fields();
        fields["votes"] = new Dictionary<string, long> { ["px"] = 3 };
        var parsed = SheetParser.FromJson(JsonDocument.Parse(JsonSerializer.Serialize(fields)).RootElement);
        Assert.Null(parsed.Input); // issue 24.11: an unknown field is an error naming it, not silently ignored
        Assert.Contains(parsed.Errors, e => e.Key == "px");
    }

    [Fact]
    public void A_misspelled_field_is_refused_with_its_name()
    {
        var fields = Fields();
        fields["suara_sah"] = fields["suaraSah"];
        fields.Remove("suaraSah");
        var parsed = SheetParser.FromJson(JsonDocument.Parse(JsonSerializer.Serialize(fields)).RootElement);
        Assert.Null(parsed.Input);
        Assert.Contains("suara_sah", string.Join(" ", parsed.Errors.SelectMany(e => e.Value)));
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("100")]
    [InlineData("99999999999")]
    [InlineData("-1")]
    public void A_ballot_number_outside_the_grammar_is_refused(string number)
    {
        var fields = Fields();
        fields["votes"] = new Dictionary<string, long> { ["1"] = 100, [number] = 1 };
        Assert.Null(SheetParser.FromJson(JsonDocument.Parse(JsonSerializer.Serialize(fields)).RootElement).Input);
    }
}
