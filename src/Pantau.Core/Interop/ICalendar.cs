using System.Globalization;
using System.Text;

namespace Pantau.Core.Interop;

/// <summary>When a calendar item happens: a span of whole days (inclusive), or a moment with a length.</summary>
public abstract record CalendarWhen
{
    private CalendarWhen() { }

    /// <summary>All-day item from <paramref name="First"/> to <paramref name="Last"/>, both inclusive (a tahapan stage).</summary>
    public sealed record Days(DateOnly First, DateOnly Last) : CalendarWhen;

    /// <summary>A timed item (a rakor, an action's deadline), written in UTC.</summary>
    public sealed record At(DateTimeOffset Start, TimeSpan Length) : CalendarWhen;
}

/// <summary>One VEVENT. <paramref name="Uid"/> must be stable across feeds so a phone updates the item instead of duplicating it.</summary>
public sealed record CalendarItem(string Uid, string Summary, CalendarWhen When, string? Description = null, string? Location = null,
    string? Url = null, string? Category = null, DateTimeOffset? LastModified = null, bool Cancelled = false);

/// <summary>
/// RFC 5545 iCalendar writer (VCALENDAR with VEVENTs), enough for a phone's calendar subscription: text escaped (§3.3.11),
/// content lines folded at 75 octets without splitting a UTF-8 sequence (§3.1), CRLF line ends, all-day items as DATE values with an
/// exclusive DTEND (§3.6.1), timed items in UTC, a DTSTAMP on every item, and the refresh hint of RFC 7986.
/// </summary>
public static class ICalendar
{
    public const string MediaType = "text/calendar";
    private const int MaxOctets = 75;

    public static string Write(string calendarName, IEnumerable<CalendarItem> items, DateTimeOffset stamp, TimeSpan refresh, string productId = "-//Pantau//Desk Pilkada//ID")
    {
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:" + Escape(productId));
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:PUBLISH");
        Line(sb, "NAME:" + Escape(calendarName));
        Line(sb, "X-WR-CALNAME:" + Escape(calendarName));
        Line(sb, "REFRESH-INTERVAL;VALUE=DURATION:" + Duration(refresh));
        Line(sb, "X-PUBLISHED-TTL:" + Duration(refresh));
        var dtstamp = Utc(stamp);
        foreach (var item in items)
        {
            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + Escape(item.Uid));
            Line(sb, "DTSTAMP:" + dtstamp);
            switch (item.When)
            {
                case CalendarWhen.Days d:
                    if (d.Last < d.First) throw new ArgumentException($"Item {item.Uid} ends ({d.Last}) before it starts ({d.First}).", nameof(items));
                    Line(sb, "DTSTART;VALUE=DATE:" + Date(d.First));
                    Line(sb, "DTEND;VALUE=DATE:" + Date(d.Last.AddDays(1)));
                    Line(sb, "TRANSP:TRANSPARENT");
                    break;
                case CalendarWhen.At a:
                    if (a.Length < TimeSpan.Zero) throw new ArgumentException($"Item {item.Uid} has a negative length.", nameof(items));
                    Line(sb, "DTSTART:" + Utc(a.Start));
                    Line(sb, "DTEND:" + Utc(a.Start + a.Length));
                    break;
            }
            Line(sb, "SUMMARY:" + Escape(item.Summary));
            if (item.Description is { Length: > 0 }) Line(sb, "DESCRIPTION:" + Escape(item.Description));
            if (item.Location is { Length: > 0 }) Line(sb, "LOCATION:" + Escape(item.Location));
            if (item.Category is { Length: > 0 }) Line(sb, "CATEGORIES:" + Escape(item.Category));
            if (item.Url is { Length: > 0 }) Line(sb, "URL:" + item.Url);
            if (item.LastModified is { } m) Line(sb, "LAST-MODIFIED:" + Utc(m));
            Line(sb, "STATUS:" + (item.Cancelled ? "CANCELLED" : "CONFIRMED"));
            Line(sb, "END:VEVENT");
        }
        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    /// <summary>TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other control characters are dropped.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case ';': sb.Append(@"\;"); break;
                case ',': sb.Append(@"\,"); break;
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    sb.Append(@"\n");
                    break;
                case '\n': sb.Append(@"\n"); break;
                default:
                    // CONTROL characters other than HTAB are not allowed in TEXT; a lone surrogate cannot be encoded in UTF-8.
                    if ((c < 0x20 && c != '\t') || c == 0x7F) break;
                    if (char.IsSurrogate(c))
                    {
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); }
                        else sb.Append('\uFFFD');
                        break;
                    }
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Appends one content line folded so no physical line exceeds 75 octets of UTF-8 (continuations start with a space).</summary>
    private static void Line(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = MaxOctets;
        for (var i = 0; i < line.Length; i++)
        {
            var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 4 : Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
            if (octets + width > limit)
            {
                sb.Append("\r\n ");
                octets = 0;
                limit = MaxOctets - 1;   // the leading space counts
            }
            sb.Append(line[i]);
            if (width == 4) sb.Append(line[++i]);
            octets += width;
        }
        sb.Append("\r\n");
    }

    private static string Date(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan t)
    {
        var minutes = Math.Max(1, (long)t.TotalMinutes);
        return minutes % 1440 == 0 ? $"P{minutes / 1440}D" : minutes % 60 == 0 ? $"PT{minutes / 60}H" : $"PT{minutes}M";
    }

    /// <summary>Unfolds and splits a calendar back into content lines (for readers and tests): CRLF + space/tab continues a line.</summary>
    public static IReadOnlyList<string> Unfold(string text) =>
        text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
