using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 24.6: every page, in Indonesian and in English, shows no raw enum name (a code such as <c>InTransit</c> or
/// <c>DeskKabKota</c>), no JSON, no server message in both languages at once ("Indonesia / English"), and in Indonesian no
/// single-word English status either; the English pages carry no common Indonesian words of the interface.
/// </summary>
public partial class PageLanguageTests
{
    /// <summary>Every enum member name of Pantau's assemblies, split into compound names (two capitals or more: never a word
    /// a person reads) and single English words (fine in English, a leak in Indonesian).</summary>
    private static (HashSet<string> Compound, HashSet<string> Single) EnumNames()
    {
        var asms = new[] { typeof(Role).Assembly, typeof(Pantau.Data.PantauDbContext).Assembly, typeof(Pantau.Web.Infrastructure.Lang).Assembly };
        var names = asms.SelectMany(a => a.GetTypes()).Where(t => t.IsEnum && t.Namespace?.StartsWith("Pantau", StringComparison.Ordinal) == true)
            .Where(t => t.Name is not ("DatabaseProvider" or "FileKinds" or "MaskReason" or "Outcome" or "ActionOutcome"))
            .SelectMany(Enum.GetNames).ToHashSet();
        var compound = names.Where(n => n.Count(char.IsUpper) >= 2 && n.Any(char.IsLower)).ToHashSet();
        var single = names.Except(compound).Where(n => n.All(char.IsLetter) && n.Skip(1).All(char.IsLower)).ToHashSet();
        return (compound, single);
    }

    // Official terms and proper names that are also enum members (read as such by people): allowed.
    private static readonly HashSet<string> IndonesianWords = ["Provinsi", "Kecamatan", "Desa", "Tps", "Camat", "Bawaslu", "Panwascam", "Hoaks", "Benar",
        "Disinformasi", "Misinformasi", "Ppk", "Pps", "Kpps", "Pilgub", "Pilbup", "Pilwalkot", "Polri", "Kpu", "Admin", "Bupati", "Gubernur", "Walikota",
        "Kabupaten", "Kota", "Kelurahan", "Polsek", "Polres", "Kodim", "Koramil", "Tni", "Kominfo", "Kesbangpol", "Diskominfo",
        "Pilkada", "Pemilu", "Psu", "Presiden"]; // the kinds of election and the PPWP race (docs/elections.md)

    [GeneratedRegex("<(script|style)\\b[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();
    [GeneratedRegex("\\b(?:title|aria-label|placeholder|alt)=\"([^\"]*)\"")]
    private static partial Regex ReadAttributes();
    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();
    [GeneratedRegex("(?:[\\p{L}\\d]+ ){1,6}[\\p{L}\\d]+[.!]? / (?:[\\p{L}\\d]+ ){1,6}[\\p{L}\\d]+")]
    private static partial Regex Bilingual();
    [GeneratedRegex("\\b(?:yang|tidak|belum|harus|dan|atau|di|ke|dari|untuk|bukan|sudah|wilayah|minimal|ini|itu|sah|kode|pilih)\\b", RegexOptions.IgnoreCase)]
    private static partial Regex IdWords();
    [GeneratedRegex("\\b(?:the|is|are|not|must|an?|of|to|for|at|least|only|no|or|and|be|was|this|your|valid|code|choose)\\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnWords();
    [GeneratedRegex("\\{\"[A-Za-z]+\":")]
    private static partial Regex Json();

    /// <summary>What a person reads on the page: the text and the titles, labels and placeholders.</summary>
    internal static string Readable(string html)
    {
        html = ScriptOrStyle().Replace(html, " ");
        var attrs = string.Join(" ", ReadAttributes().Matches(html).Select(m => m.Groups[1].Value));
        var text = AnyTag().Replace(html.Replace("<option", " <option"), " ");
        return WebUtility.HtmlDecode(text + " " + attrs);
    }

    [Fact]
    public async Task Every_page_reads_in_one_language_without_raw_codes()
    {
        await using var app = await PantauApp.StartAsync(settings: PageTour.Settings);
        var tour = await PageTour.PrepareAsync(app);
        Assert.True(tour.Stops.Count >= 35, $"only {tour.Stops.Count} pages");
        var (compound, single) = EnumNames();
        var problems = new List<string>();
        var clients = new Dictionary<(Role, string), HttpClient>();
        foreach (var stop in tour.Stops)
        {
            if (!clients.TryGetValue((stop.Role, stop.Scope), out var client))
                clients[(stop.Role, stop.Scope)] = client = stop.Role == Role.Public ? app.AnonymousClient() : await app.ClientForAsync(stop.Role, stop.Scope);
            foreach (var en in new[] { false, true })
            {
                var url = stop.Path + (stop.Path.Contains('?') ? "&" : "?") + "lang=" + (en ? "en" : "id");
                var res = await client.GetAsync(url);
                var html = await res.Content.ReadAsStringAsync();
                var text = Readable(html);
                var where = $"{url} ({stop.Role})";
                foreach (Match w in WordRegex().Matches(text))
                {
                    var word = w.Value;
                    if (compound.Contains(word)) problems.Add($"{where}: raw enum name '{word}' in «{Around(text, w.Index)}»");
                    else if (!en && single.Contains(word) && !IndonesianWords.Contains(word)) problems.Add($"{where}: English status '{word}' in «{Around(text, w.Index)}»");
                }
                foreach (Match m in Bilingual().Matches(text))
                {
                    var halves = m.Value.Split(" / ");
                    if (IdWords().IsMatch(halves[0]) && EnWords().IsMatch(halves[1])) problems.Add($"{where}: two languages at once «{m.Value}»");
                }
                foreach (Match m in Json().Matches(text)) problems.Add($"{where}: JSON «{Around(text, m.Index)}»");
                if (en)
                    foreach (Match m in IndonesianRegex().Matches(text)) problems.Add($"{where}: Indonesian in the English page «{Around(text, m.Index)}»");
            }
        }
        // What the pages say instead, from the activity the tour recorded.
        var admin = clients.TryGetValue((Role.Admin, "16"), out var a) ? a : await app.ClientForAsync(Role.Admin, "16");
        var audit = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/audit?lang=id"));
        Assert.Contains("Laporan insiden", audit);
        Assert.Contains("Baru</span> <span aria-label=\"menjadi\">→</span> <span class=\"after\">Terverifikasi", audit);
        Assert.Contains("Berita acara serah terima logistik", audit);
        Assert.Contains("Surat suara (PILGUB-16)", audit);
        var desk = clients[(Role.DeskProvinsi, "16")];
        var incident = tour.Stops.Single(s => s.Path.StartsWith("/insiden/", StringComparison.Ordinal) && s.Path.Count(c => c == '-') == 4).Path;
        var detail = WebUtility.HtmlDecode(await desk.GetStringAsync(incident + "?lang=id"));
        var history = detail[detail.IndexOf("id=\"hist\"", StringComparison.Ordinal)..];
        Assert.Matches("diverifikasi\\s+<span>→ Terverifikasi</span>", history);
        Assert.Matches("dilaporkan\\s+<span>→ Baru</span>", history);
        Assert.Contains("(Desk Pilkada kab/kota)", detail);
        var logistics = WebUtility.HtmlDecode(await desk.GetStringAsync("/kesiapan/logistik/16.71?lang=id"));
        Assert.Contains("Diterima tidak sama dengan dikirim", logistics);
        Assert.Contains("Surat suara (PILGUB-16): diterima 990 ≠ dikirim 1.000", logistics);

        var distinct = problems.GroupBy(p => p[..p.IndexOf('«')]).Select(g => g.First()).ToList();
        Assert.True(distinct.Count == 0, $"{distinct.Count} problems:\n" + string.Join("\n", distinct.Take(300)));
    }

    private static string Around(string text, int at)
    {
        var from = Math.Max(0, at - 40);
        return Regex.Replace(text.Substring(from, Math.Min(100, text.Length - from)), "\\s+", " ").Trim();
    }

    [GeneratedRegex("\\b[A-Za-z]+\\b")]
    private static partial Regex WordRegex();
    // Words of the interface (not names, not user content): the English page must not show them.
    [GeneratedRegex("\\b(?:yang|dan|untuk|dengan|belum|tidak|sudah|atau|Simpan|Kirim|Unduh|Cari|Tampilkan|Semua|Wilayah)\\b")]
    private static partial Regex IndonesianRegex();
}
