using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Pantau.Core.Tally;
using Pantau.Core.Text;

namespace Pantau.Web.Tally;

/// <summary>
/// Reads sheets from the flat field shape shared by the JSON API, the CSV batch format and the HTML form:
/// <c>contest</c>, <c>tps</c>, votes as <c>p1</c>, <c>p2</c> ... (<c>p0</c> = kolom kosong) or a <c>votes</c> object in JSON,
/// the numeric fields of <see cref="SheetFields.Numeric"/>, and <c>idempotencyKey</c>, <c>reason</c>, <c>beritaAcara</c>, <c>photoId</c>.
/// </summary>
public static class SheetParser
{
    /// <param name="Contest">The contest as sent (also when the sheet could not be read), for the per-item answer.</param>
    public sealed record Parsed(SheetInput? Input, Dictionary<string, string[]> Errors, string Contest = "", string Tps = "");

    /// <param name="rejectUnknown">An unknown or misspelled field (e.g. <c>suara_sah</c>) is an error naming it (the API and CSV);
    /// the HTML form ignores the page's own fields.</param>
    public static Parsed FromPairs(IEnumerable<KeyValuePair<string, string?>> pairs, bool isCorrection = false, string? idempotencyKey = null,
        bool rejectUnknown = false, bool emptyVoteIsAbsent = false)
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
            if (!isVote && SheetFields.Find(name) is null)
            {
                if (rejectUnknown) errors[Safe(name)] = [$"kolom '{Safe(name)}' tidak dikenal / unknown field '{Safe(name)}'"];
                continue;
            }
            if (value.Length == 0) { if (isVote && !emptyVoteIsAbsent) errors[name] = [$"{SheetFields.Label(name).Id} belum diisi / {SheetFields.Label(name).En} is missing"]; continue; }
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
        CheckText(errors, "idempotencyKey", key, TextRules.IdempotencyKey);
        CheckText(errors, "reason", reason, TextRules.Reason);
        CheckText(errors, "beritaAcara", ba, TextRules.BeritaAcara);
        if (errors.Count > 0) return new Parsed(null, errors, Safe(contest), Safe(tps));
        var sheet = SheetFields.FromNamed(contest, tps, votes, fields);
        if (TallyGrammar.Check(sheet) is { } bad) return new Parsed(null, new() { [bad.Field] = [$"{bad.Id} / {bad.En}"] }, Safe(contest), Safe(tps));
        return new Parsed(new SheetInput(sheet, key, reason, ba, photo, isCorrection), errors, contest, tps);
    }

    /// <summary>A name safe to echo in an error (no control characters or lone surrogates, at most 40 characters).</summary>
    private static string Safe(string name)
    {
        var clean = new string([.. name.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
        return name.Length > 40 ? clean + "…" : clean;
    }

    private static void CheckText(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && TextRules.Check(value, max) is { } p) errors[field] = [$"{p.Id} / {p.En}"];
    }

    public static Parsed FromJson(JsonElement e, bool isCorrection = false, string? idempotencyKey = null)
    {
        if (e.ValueKind != JsonValueKind.Object) return new Parsed(null, new() { ["$"] = ["harus objek JSON / must be a JSON object"] });
        if (idempotencyKey is not null && TextRules.Check(idempotencyKey, TextRules.IdempotencyKey) is { } bad)
            return new Parsed(null, new() { ["Idempotency-Key"] = [$"{bad.Id} / {bad.En}"] });
        try
        {
            return ReadJson(e, isCorrection, idempotencyKey);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException || ex.Message.Contains("UTF", StringComparison.OrdinalIgnoreCase))
        {
            // A string (name or value) with a lone UTF-16 surrogate escape cannot be read as text.
            return new Parsed(null, new() { ["$"] = ["teks JSON berisi surrogate UTF-16 tunggal / a JSON string holds a lone UTF-16 surrogate"] });
        }
    }

    private static Parsed ReadJson(JsonElement e, bool isCorrection, string? idempotencyKey)
    {
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
        return FromPairs(pairs, isCorrection, idempotencyKey, rejectUnknown: true);
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
        var values = new long?[SheetFields.Numeric.Count];
        for (var i = 0; i < SheetFields.V1Count; i++) values[i] = 0; // version 1 fields default to 0, the form's later rows to absent
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
        if (key is not null && TextRules.HasInvalidChar(key)) return null;
        var sheet = SheetFields.Build(contest, tps, votes.ToImmutable(), values);
        if (TallyGrammar.Check(sheet) is not null) return null; // the field reader names the field
        return new Parsed(new SheetInput(sheet, key, null, null, null, isCorrection), NoErrors);
    }

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Null => null,
        _ => "?",
    };

    /// <summary>The header of a CSV batch: its separator and column names, or the problem with it.</summary>
    public sealed record CsvHeader(char Separator, List<string> Names, string? Error, string? ErrorCode);

    /// <summary>Reads and checks the header row: every column must be a field of the sheet (an unknown or misspelled column, such as
    /// <c>suara_sah</c>, is refused with its name instead of being ignored and the sheet stored with 0).</summary>
    public static CsvHeader ReadCsvHeader(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header is null || header.Trim().Length == 0)
            return new(',', [], "Berkas CSV kosong / the CSV file is empty.", "EMPTY_BATCH");
        var sep = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        var names = Split(header.TrimStart('\uFEFF'), sep).ConvertAll(n => n.Trim());
        var unknown = names.Where(n => !IsKnownColumn(n)).Select(n => $"'{Safe(n)}'").ToList();
        if (unknown.Count > 0)
            return new(sep, names, $"Kolom tidak dikenal: {string.Join(", ", unknown)} / unknown columns: {string.Join(", ", unknown)}", "CSV_UNKNOWN_COLUMN");
        var dup = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return new(sep, names, $"Kolom '{Safe(dup.Key)}' ganda / column '{Safe(dup.Key)}' appears twice", "CSV_DUPLICATE_COLUMN");
        return new(sep, names, null, null);
    }

    private static bool IsKnownColumn(string name) =>
        name.ToLowerInvariant() is "contest" or "tps" or "idempotencykey" or "reason" or "beritaacara" or "photoid" ||
        SheetFields.Find(name) is not null || (SheetFields.TryParseVoteField(name, out var n) && TallyGrammar.IsBallotNumber(n));

    /// <summary>The data rows after <see cref="ReadCsvHeader"/>, one at a time (line numbers count the header as line 1). An empty
    /// vote cell means the column is not on this sheet (one file with p1..p4 carries a 2-paslon contest too).</summary>
    public static IEnumerable<(int Line, Parsed Parsed)> FromCsv(TextReader reader, CsvHeader header)
    {
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = Split(text, header.Separator);
            var pairs = header.Names.Select((n, i) => new KeyValuePair<string, string?>(n, i < cells.Count ? cells[i] : null));
            yield return (line, FromPairs(pairs, rejectUnknown: true, emptyVoteIsAbsent: true));
        }
    }

    /// <summary>CSV with a header row of field names (comma or semicolon separated, RFC 4180 quotes); nothing when the header is refused.</summary>
    public static IEnumerable<(int Line, Parsed Parsed)> FromCsv(TextReader reader)
    {
        var header = ReadCsvHeader(reader);
        return header.Error is null ? FromCsv(reader, header) : [];
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
        foreach (var f in SheetFields.Numeric) if (f.Value(s) is { } v) d[f.Name] = v;
        return d;
    }

    public static ImmutableSortedDictionary<int, long> NoVotes => ImmutableSortedDictionary<int, long>.Empty;
}
