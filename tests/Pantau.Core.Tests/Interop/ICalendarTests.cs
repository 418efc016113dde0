using System.Text;
using Pantau.Core.Interop;

namespace Pantau.Core.Tests.Interop;

public class ICalendarTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 12, 2, 9, 30, 0, TimeSpan.Zero);

    /// <summary>TEXT unescaping as a calendar reader does it (RFC 5545 §3.3.11).</summary>
    private static string Unescape(string v)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < v.Length; i++)
        {
            if (v[i] != '\\') { sb.Append(v[i]); continue; }
            var n = v[++i];
            sb.Append(n is 'n' or 'N' ? '\n' : n);
        }
        return sb.ToString();
    }

    private static string Value(IReadOnlyList<string> lines, string name) =>
        lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal)).Split(':', 2)[1];

    [Fact]
    public void A_stage_is_an_all_day_item_whose_end_date_is_exclusive()
    {
        var text = ICalendar.Write("Tahapan", [new CalendarItem("tahapan-kampanye@pantau", "Kampanye", new CalendarWhen.Days(new(2024, 9, 25), new(2024, 11, 23)))], Stamp, TimeSpan.FromHours(1));
        var lines = ICalendar.Unfold(text);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("DTSTART;VALUE=DATE:20240925", lines);
        Assert.Contains("DTEND;VALUE=DATE:20241124", lines);   // the day after the last day
        Assert.Contains("DTSTAMP:20261202T093000Z", lines);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H", lines);
        Assert.EndsWith("\r\n", text);
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));   // every line ends in CRLF, no bare LF
    }

    [Fact]
    public void A_timed_item_is_written_in_UTC_with_its_length()
    {
        var wib = new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.FromHours(7));
        var lines = ICalendar.Unfold(ICalendar.Write("x", [new CalendarItem("rakor-1@pantau", "Rakor", new CalendarWhen.At(wib, TimeSpan.FromHours(2)), Cancelled: true)], Stamp, TimeSpan.FromDays(1)));
        Assert.Contains("DTSTART:20241120T020000Z", lines);
        Assert.Contains("DTEND:20241120T040000Z", lines);
        Assert.Contains("STATUS:CANCELLED", lines);
        Assert.Contains("X-PUBLISHED-TTL:P1D", lines);
    }

    [Fact]
    public void An_item_ending_before_it_starts_is_refused() =>
        Assert.Throws<ArgumentException>(() => ICalendar.Write("x", [new CalendarItem("u", "s", new CalendarWhen.Days(new(2024, 2, 2), new(2024, 2, 1)))], Stamp, TimeSpan.FromHours(1)));

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory, MemberData(nameof(Seeds))]
    public void Any_text_survives_escaping_and_folding_and_no_line_exceeds_75_octets(int seed)
    {
        var rnd = new Random(seed);
        string[] pieces = ["Rakor", " ", ",", ";", "\\", "\n", "\r\n", "é", "ü", "日本", "🗳️", "😀", "Kecamatan Ilir Timur I", ":", "\"", "\t", "\0", "\u0007"];
        for (var round = 0; round < 200; round++)
        {
            var sb = new StringBuilder();
            var n = rnd.Next(0, 120);
            for (var i = 0; i < n; i++) sb.Append(pieces[rnd.Next(pieces.Length)]);
            var summary = sb.ToString();
            var text = ICalendar.Write("Kalender, uji; \\ satu", [new CalendarItem($"u{round}@pantau", summary, new CalendarWhen.Days(new(2024, 1, 1), new(2024, 1, 1)), Description: summary)], Stamp, TimeSpan.FromHours(1));
            foreach (var physical in text.Split("\r\n"))
                Assert.True(Encoding.UTF8.GetByteCount(physical) <= 75, $"line of {Encoding.UTF8.GetByteCount(physical)} octets: {physical}");
            Assert.False(text.Contains('\uFFFD'), "a surrogate pair was split by folding");
            var lines = ICalendar.Unfold(text);
            var expected = summary.Replace("\r\n", "\n").Replace("\0", "").Replace("\u0007", "");
            Assert.Equal(expected, Unescape(Value(lines, "SUMMARY")));
            Assert.Equal("Kalender, uji; \\ satu", Unescape(Value(lines, "X-WR-CALNAME")));
        }
    }

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character()
    {
        var lines = ICalendar.Unfold(ICalendar.Write("x", [new CalendarItem("u", "a\uD800b", new CalendarWhen.Days(new(2024, 1, 1), new(2024, 1, 1)))], Stamp, TimeSpan.FromHours(1)));
        Assert.Equal("a\uFFFDb", Value(lines, "SUMMARY"));
    }
}
