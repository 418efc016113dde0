using System.Globalization;
using System.Text;
using Pantau.Core.Regions;

namespace Pantau.Core.Incidents;

/// <summary>
/// One problem in an imported file, printed as <c>file:line: message</c>: <see cref="ToString"/> gives both languages (API, CLI),
/// <see cref="Text"/> one (a page shows one language).
/// </summary>
public sealed record IkpImportError(string File, int Line, string Message, string MessageEn = "")
{
    public override string ToString() => MessageEn.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Message} / {MessageEn}";

    public string Text(bool english) => $"{File}:{Line}: {(english && MessageEn.Length > 0 ? MessageEn : Message)}";
}

/// <summary>The outcome of parsing: the rows when there is no error; otherwise only the errors (nothing may be written).</summary>
public sealed record IkpImportResult(IReadOnlyList<IkpPublished> Rows, IReadOnlyList<IkpImportError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reads Bawaslu's IKP table per kab/kota or kecamatan as CSV (comma or semicolon separated, UTF-8, a header line).
/// Columns (case-insensitive, any order): <c>kode</c> (required; Kemendagri code, dotted or numeric), <c>nama</c> (optional, for people),
/// <c>skor</c> or <c>ikp</c> (the index, 0–100), <c>kategori</c> (tinggi/sedang/rendah or high/medium/low), one column per dimension key of
/// the edition (0–100), and <c>kategori_DIMENSION</c> for a dimension's band. Decimal comma or point. A row needs at least one value; a band
/// that contradicts its score at the region's level is an error, as are unknown, out-of-scope or repeated regions.
/// </summary>
public static class IkpImport
{
    public static IkpImportResult Parse(string fileName, string text, IkpEdition edition, Func<string, bool> regionExists, Func<string, bool> inScope, string source)
    {
        var errors = new List<IkpImportError>();
        var rows = new List<IkpPublished>();
        void Err(int line, string message, string en) => errors.Add(new IkpImportError(fileName, line, message, en));
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').TrimStart('\uFEFF').Split('\n');
        if (lines.All(string.IsNullOrWhiteSpace)) { Err(1, "berkas kosong", "the file is empty"); return new([], errors); }
        var sep = lines[0].Count(c => c == ';') > lines[0].Count(c => c == ',') ? ';' : ',';
        var header = Split(lines[0], sep)?.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header is null) { Err(1, "tanda kutip tidak seimbang", "unbalanced quotes"); return new([], errors); }

        int codeCol = -1, totalCol = -1, bandCol = -1;
        var dimCols = new Dictionary<int, string>();
        var dimBandCols = new Dictionary<int, string>();
        for (var i = 0; i < header.Length; i++)
        {
            var h = header[i];
            if (h is "kode" or "code" or "kode_wilayah") codeCol = i;
            else if (h is "nama" or "name" or "wilayah") { }
            else if (h is "skor" or "ikp" or "score" or "nilai") totalCol = i;
            else if (h is "kategori" or "band") bandCol = i;
            else if (edition.Dimension(h) is { } d) dimCols[i] = d.Key;
            else if (h.StartsWith("kategori_", StringComparison.Ordinal) && edition.Dimension(h["kategori_".Length..]) is { } bd) dimBandCols[i] = bd.Key;
            else if (h.Length > 0)
                Err(1, $"kolom tidak dikenal '{header[i]}'; kolom {edition.NameId}: kode, nama, skor, kategori, {string.Join(", ", edition.Dimensions.Select(x => x.Key))}, kategori_<dimensi>",
                    $"unknown column '{header[i]}'; the columns of {edition.NameEn}: kode, nama, skor, kategori, {string.Join(", ", edition.Dimensions.Select(x => x.Key))}, kategori_<dimension>");
        }
        if (codeCol < 0) Err(1, "kolom 'kode' wajib ada", "the 'kode' column is required");
        if (errors.Count > 0) return new([], errors);

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 1; n < lines.Length; n++)
        {
            var lineNo = n + 1;
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var f = Split(lines[n], sep);
            if (f is null) { Err(lineNo, "tanda kutip tidak seimbang", "unbalanced quotes"); continue; }
            if (f.Length > header.Length) { Err(lineNo, $"{f.Length} kolom, header punya {header.Length}", $"{f.Length} fields but the header has {header.Length}"); continue; }
            string Field(int i) => i >= 0 && i < f.Length ? f[i].Trim() : "";

            var raw = Field(codeCol);
            var code = raw.Contains('.') ? raw : raw.Length is 2 or 4 or 6 && raw.All(char.IsAsciiDigit) ? RegionCode.FromNumeric(raw) : raw;
            if (!RegionCode.TryGetLevel(code, out var level)) { Err(lineNo, $"'{raw}' bukan kode wilayah", $"'{raw}' is not a region code"); continue; }
            if (level is not (RegionLevel.KabKota or RegionLevel.Kecamatan)) { Err(lineNo, $"{code}: hanya kab/kota atau kecamatan", $"{code}: only regencies/cities or kecamatan"); continue; }
            if (!inScope(code)) { Err(lineNo, $"{code}: di luar cakupan wilayah Anda", $"{code}: outside your region scope"); continue; }
            if (!regionExists(code)) { Err(lineNo, $"{code}: wilayah tidak ada di data wilayah", $"{code}: unknown region"); continue; }
            if (seen.TryGetValue(code, out var first)) { Err(lineNo, $"{code}: sudah ada di baris {first}", $"{code}: repeats line {first}"); continue; }
            seen[code] = lineNo;
            var bands = edition.BandsAt((IkpLevel)(int)level);
            var rowOk = true;

            double? Number(int col, string what)
            {
                var s = Field(col);
                if (s.Length == 0) return null;
                if (!double.TryParse(s.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) || v is < 0 or > 100 || double.IsNaN(v))
                { Err(lineNo, $"{code}: {what} '{s}' harus angka 0–100", $"{code}: {what} '{s}' must be a number 0–100"); rowOk = false; return null; }
                return v;
            }
            KerawananBand? Band(int col, string what)
            {
                var s = Field(col).ToLowerInvariant();
                if (s.Length == 0) return null;
                KerawananBand? b = s switch { "tinggi" or "high" or "rawan tinggi" => KerawananBand.High, "sedang" or "medium" or "rawan sedang" => KerawananBand.Medium, "rendah" or "low" or "rawan rendah" => KerawananBand.Low, _ => null };
                if (b is null) { Err(lineNo, $"{code}: {what} '{Field(col)}' harus tinggi, sedang atau rendah", $"{code}: {what} '{Field(col)}' must be tinggi, sedang or rendah (high, medium, low)"); rowOk = false; }
                return b;
            }
            void Consistent(double? v, KerawananBand? b, string what)
            {
                if (v is null || b is null || bands.Of(v.Value) == b) return;
                Err(lineNo, $"{code}: {what} {Kerawanan.Num(v.Value, true)} termasuk '{BandId(bands.Of(v.Value))}' pada tingkat {LevelId((IkpLevel)(int)level)} (tinggi ≥ {Kerawanan.Num(bands.High, true)}, sedang ≥ {Kerawanan.Num(bands.Medium, true)}), bukan '{BandId(b.Value)}'", $"{code}: {what} {Kerawanan.Num(v.Value, false)} is '{bands.Of(v.Value).ToString().ToLowerInvariant()}' at {IkpBands.LevelEn((IkpLevel)(int)level)} level (high ≥ {Kerawanan.Num(bands.High, false)}, medium ≥ {Kerawanan.Num(bands.Medium, false)}), not '{b.Value.ToString().ToLowerInvariant()}'");
                rowOk = false;
            }

            var total = totalCol >= 0 ? Number(totalCol, "skor") : null;
            var band = bandCol >= 0 ? Band(bandCol, "kategori") : null;
            Consistent(total, band, "skor");
            var dims = new Dictionary<string, double>();
            foreach (var (col, key) in dimCols) if (Number(col, key) is { } v) dims[key] = v;
            var dimBands = new Dictionary<string, KerawananBand>();
            foreach (var (col, key) in dimBandCols) if (Band(col, "kategori_" + key) is { } b) dimBands[key] = b;
            foreach (var (key, b) in dimBands) Consistent(dims.TryGetValue(key, out var dv) ? dv : null, b, key);
            if (!rowOk) continue;
            var row = new IkpPublished(code, total, band, dims, dimBands, source, Imported: true);
            if (!row.HasAnything) { Err(lineNo, $"{code}: baris tanpa nilai", $"{code}: the row has no value"); continue; }
            rows.Add(row);
        }
        if (errors.Count == 0 && rows.Count == 0) Err(1, "tidak ada baris data", "no data rows");
        return errors.Count > 0 ? new([], errors) : new(rows, []);
    }

    public static string BandId(KerawananBand b) => b switch { KerawananBand.High => "tinggi", KerawananBand.Medium => "sedang", _ => "rendah" };

    public static string LevelId(IkpLevel l) => l switch
    {
        IkpLevel.Provinsi => "provinsi", IkpLevel.KabKota => "kab/kota", IkpLevel.Kecamatan => "kecamatan", IkpLevel.Desa => "desa/kelurahan", _ => "TPS",
    };

    /// <summary>Splits one CSV line (RFC 4180 quotes); null when quotes are unbalanced.</summary>
    public static string[]? Split(string line, char sep)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') sb.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == sep) { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        if (quoted) return null;
        fields.Add(sb.ToString());
        return fields.ToArray();
    }
}
