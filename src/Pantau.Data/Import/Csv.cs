using System.Text;

namespace Pantau.Data.Import;

/// <summary>A small RFC 4180 reader (quoted fields, doubled quotes), line by line with line numbers.</summary>
public static class Csv
{
    public sealed record Row(int Line, string[] Fields);

    public static IEnumerable<Row> Read(string path, out string[] header)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0) throw new ImportException([new ImportError(path, 1, "file is empty")]);
        header = Split(lines[0]) ?? [];
        return Rows(lines);
    }

    private static IEnumerable<Row> Rows(string[] lines)
    {
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            yield return new Row(i + 1, Split(lines[i]) ?? [lines[i]]);
        }
    }

    /// <summary>Splits one CSV line; returns null when quotes are unbalanced.</summary>
    public static string[]? Split(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                    else quoted = false;
                }
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        if (quoted) return null;
        fields.Add(sb.ToString());
        return fields.ToArray();
    }
}

public sealed record ImportError(string File, int Line, string Message)
{
    public override string ToString() => $"{Path.GetFileName(File)}:{Line}: {Message}";
}

/// <summary>Raised when source rows are malformed; nothing has been written.</summary>
public sealed class ImportException(IReadOnlyList<ImportError> errors)
    : Exception($"{errors.Count} malformed row(s); nothing was imported. First: {errors.FirstOrDefault()}")
{
    public IReadOnlyList<ImportError> Errors { get; } = errors;
}
