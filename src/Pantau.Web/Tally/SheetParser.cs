using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Pantau.Core.Tally;

namespace Pantau.Web.Tally;

/// <summary>
/// Reads sheets from the flat field shape shared by the JSON API, the CSV batch format and the HTML form:
/// <c>contest</c>, <c>tps</c>, votes as <c>p1</c>, <c>p2</c> ... (<c>p0</c> = kolom kosong) or a <c>votes</c> object in JSON,
/// the numeric fields of <see cref="SheetFields.Numeric"/>, and <c>idempotencyKey</c>, <c>reason</c>, <c>beritaAcara</c>, <c>photoId</c>.
/// </summary>
public static class SheetParser
{
    public sealed record Parsed(SheetInput? Input, Dictionary<string, string[]> Errors);

    public static Parsed FromPairs(IEnumerable<KeyValuePair<string, string?>> pairs, bool isCorrection = false, string? idempotencyKey = null)
    {
        var errors = new Dictionary<string, string[]>();
        string contest = "", tps = "";
        string? key = idempotencyKey, reason = null, ba = null;
        Guid? photo = null;
        var votes = new SortedDictionary<int, long>();
        var fields = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, rawValue) in pairs)
        {
            var name = rawName.Trim();
            var value = rawValue?.Trim() ?? "";
            switch (name.ToLowerInvariant())
            {
                case "contest": contest = value; continue;
                case "tps": tps = value; continue;
                case "idempotencykey": if (value.Length > 0) key ??= value; continue;
                case "reason": reason = value.Length > 0 ? value : null; continue;
                case "beritaacara": ba = value.Length > 0 ? value : null; continue;
                case "photoid":
                    if (value.Length > 0) { if (Guid.TryParse(value, out var pid)) photo = pid; else errors[name] = ["photoId bukan id berkas / photoId is not a file id"]; }
                    continue;
                case "__requestverificationtoken" or "handler": continue;
            }
            var isVote = SheetFields.TryParseVoteField(name, out var number);
            if (!isVote && SheetFields.Find(name) is null) continue; // unknown columns are ignored
            if (value.Length == 0) { if (isVote) errors[name] = [$"{SheetFields.Label(name).Id} belum diisi / {SheetFields.Label(name).En} is missing"]; continue; }
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                var (id, en) = SheetFields.Label(name);
                errors[name] = [$"{id} harus bilangan bulat / {en} must be a whole number"];
                continue;
            }
            if (isVote) votes[number] = n;
            else fields[SheetFields.Find(name)!.Name] = n;
        }
        if (contest.Length == 0) errors["contest"] = ["pemilihan wajib diisi / contest is required"];
        if (tps.Length == 0) errors["tps"] = ["kode TPS wajib diisi / TPS code is required"];
        if (key is { Length: > 100 }) errors["idempotencyKey"] = ["maksimal 100 karakter / at most 100 characters"];
        if (errors.Count > 0) return new Parsed(null, errors);
        var sheet = SheetFields.FromNamed(contest, tps, votes, fields);
        return new Parsed(new SheetInput(sheet, key, reason, ba, photo, isCorrection), errors);
    }

    public static Parsed FromJson(JsonElement e, bool isCorrection = false, string? idempotencyKey = null)
    {
        if (e.ValueKind != JsonValueKind.Object) return new Parsed(null, new() { ["$"] = ["harus objek JSON / must be a JSON object"] });
        if (TryFast(e, isCorrection, idempotencyKey) is { } fast) return fast;
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var p in e.EnumerateObject())
        {
            if (p.NameEquals("votes") && p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var v in p.Value.EnumerateObject())
                    pairs.Add(new((v.Name.StartsWith('p') ? v.Name : "p" + v.Name), Scalar(v.Value)));
                continue;
            }
            pairs.Add(new(p.Name, Scalar(p.Value)));
        }
        return FromPairs(pairs, isCorrection, idempotencyKey);
    }

    private static readonly Dictionary<string, string[]> NoErrors = [];

    private static readonly byte[][] FieldNames = [.. SheetFields.Numeric.Select(f => System.Text.Encoding.UTF8.GetBytes(f.Name))];
    private static readonly byte[][] VoteNames = [.. Enumerable.Range(0, 64).Select(n => System.Text.Encoding.UTF8.GetBytes("p" + n.ToString(CultureInfo.InvariantCulture)))];
    private static readonly byte[][] BareVoteNames = [.. Enumerable.Range(0, 64).Select(n => System.Text.Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture)))];

    /// <summary>The index of a numeric field, compared on the JSON's own bytes (no string per property); a name written in another
    /// letter case falls back to the case-insensitive lookup.</summary>
    private static int FieldIndex(JsonProperty p, int hint)
    {
        if (hint < FieldNames.Length && p.NameEquals(FieldNames[hint])) return hint;
        for (var i = 0; i < FieldNames.Length; i++)
            if (p.NameEquals(FieldNames[i])) return i;
        return SheetFields.IndexOf(p.Name);
    }

    /// <summary>The ballot number of a <c>votes</c> entry named <c>p2</c> or <c>2</c>, or -1.</summary>
    private static int VoteNumber(JsonProperty vote)
    {
        for (var n = 0; n < VoteNames.Length; n++)
            if (vote.NameEquals(VoteNames[n]) || vote.NameEquals(BareVoteNames[n])) return n;
        var name = vote.Name; // an unusual name (a leading zero, a large number): parsed as before
        return int.TryParse(name.AsSpan(name.StartsWith('p') ? 1 : 0), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
    }

    /// <summary>
    /// The common case of a bulk import, read straight from the JSON numbers without the string round trip: plain numbers, a
    /// <c>votes</c> object, contest, TPS and an idempotency key. Anything else (strings for numbers, photo, reason, nulls, odd names)
    /// returns null and goes through <see cref="FromPairs"/>, which gives the same result with field-level errors.
    /// </summary>
    private static Parsed? TryFast(JsonElement e, bool isCorrection, string? idempotencyKey)
    {
        string? contest = null, tps = null, key = idempotencyKey;
        var values = new long[SheetFields.Numeric.Count];
        var votes = ImmutableSortedDictionary.CreateBuilder<int, long>();
        var hint = 0; // fields usually come in their canonical order: the next one is tried first
        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            if (p.NameEquals("contest")) { if (v.ValueKind != JsonValueKind.String) return null; contest = v.GetString()!.Trim(); continue; }
            if (p.NameEquals("tps")) { if (v.ValueKind != JsonValueKind.String) return null; tps = v.GetString()!.Trim(); continue; }
            if (p.NameEquals("idempotencyKey"))
            {
                if (v.ValueKind != JsonValueKind.String) return null;
                var k = v.GetString()!.Trim();
                if (k.Length > 100) return null;
                if (k.Length > 0) key ??= k;
                continue;
            }
            if (p.NameEquals("votes"))
            {
                if (v.ValueKind != JsonValueKind.Object) return null;
                foreach (var vote in v.EnumerateObject())
                {
                    var number = VoteNumber(vote);
                    if (number < 0 || vote.Value.ValueKind != JsonValueKind.Number || !vote.Value.TryGetInt64(out var count)) return null;
                    votes[number] = count;
                }
                continue;
            }
            var index = FieldIndex(p, hint);
            if (index < 0 || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) return null;
            values[index] = n;
            hint = index + 1;
        }
        if (string.IsNullOrEmpty(contest) || string.IsNullOrEmpty(tps)) return null;
        return new Parsed(new SheetInput(SheetFields.Build(contest, tps, votes.ToImmutable(), values), key, null, null, null, isCorrection), NoErrors);
    }

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Null => null,
        _ => "?",
    };

    /// <summary>CSV with a header row of field names (comma or semicolon separated, RFC 4180 quotes).</summary>
    public static IEnumerable<(int Line, Parsed Parsed)> FromCsv(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header is null) yield break;
        var sep = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        var names = Split(header.TrimStart('\uFEFF'), sep);
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = Split(text, sep);
            var pairs = names.Select((n, i) => new KeyValuePair<string, string?>(n, i < cells.Count ? cells[i] : null));
            yield return (line, FromPairs(pairs));
        }
    }

    private static List<string> Split(string line, char sep)
    {
        var cells = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == sep) { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells;
    }

    /// <summary>The flat field values of a sheet (for the form and exports).</summary>
    public static Dictionary<string, long> ToNamed(CHasilSheet s)
    {
        var d = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (n, v) in s.Votes) d[SheetFields.VoteField(n)] = v;
        foreach (var f in SheetFields.Numeric) d[f.Name] = f.Get(s);
        return d;
    }

    public static ImmutableSortedDictionary<int, long> NoVotes => ImmutableSortedDictionary<int, long>.Empty;
}
