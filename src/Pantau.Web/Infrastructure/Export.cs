using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Pantau.Web.Infrastructure;

/// <summary>CSV (RFC 4180, UTF-8 with BOM so Excel opens it right) and Excel (.xlsx via MiniExcel) downloads.</summary>
public static class Export
{
    public static string ToCsv<T>(IEnumerable<T> rows, IReadOnlyList<(string Header, Func<T, object?> Value)> columns)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', columns.Select(c => Quote(c.Header))).Append("\r\n");
        foreach (var row in rows)
            sb.AppendJoin(',', columns.Select(c => Quote(Format(c.Value(row))))).Append("\r\n");
        return sb.ToString();
    }

    public static IResult Csv<T>(IEnumerable<T> rows, IReadOnlyList<(string Header, Func<T, object?> Value)> columns, string fileName) =>
        TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ToCsv(rows, columns))).ToArray(), "text/csv; charset=utf-8", fileName);

    /// <summary>One workbook, one sheet per entry; each sheet is a list of rows (column name → value).</summary>
    public static byte[] ToXlsx(IReadOnlyDictionary<string, IEnumerable<IDictionary<string, object?>>> sheets)
    {
        using var ms = new MemoryStream();
        var data = sheets.ToDictionary(s => SheetName(s.Key), s => (object)s.Value.ToList());
        ms.SaveAs(data);
        return ms.ToArray();
    }

    public static IResult Xlsx(IReadOnlyDictionary<string, IEnumerable<IDictionary<string, object?>>> sheets, string fileName) =>
        TypedResults.File(ToXlsx(sheets), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);

    private static string SheetName(string s)
    {
        var clean = new string(s.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private static string Format(object? v) => v switch
    {
        null => "",
        DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Quote(string s)
    {
        // Neutralise spreadsheet formulas in user-supplied text (CSV injection).
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) s = "'" + s;
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
