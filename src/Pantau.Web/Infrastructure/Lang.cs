using System.Globalization;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Bahasa Indonesia first, English on request (cookie <c>pantau-lang=en</c> or <c>?lang=en</c>).
/// Texts are written inline in both languages: <c>L.T("Beranda", "Home")</c>.
/// </summary>
public sealed class Lang(IHttpContextAccessor http)
{
    public const string Cookie = "pantau-lang";
    public static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    public bool IsEnglish
    {
        get
        {
            var req = http.HttpContext?.Request;
            if (req is null) return false;
            if (req.Query.TryGetValue("lang", out var q)) return q == "en";
            // An error page re-executed for a status code has lost the query: the original one still says which language.
            if (http.HttpContext!.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalQueryString is { Length: > 1 } original
                && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(original).TryGetValue("lang", out var oq)) return oq == "en";
            return req.Cookies.TryGetValue(Cookie, out var c) && c == "en";
        }
    }

    public string Code => IsEnglish ? "en" : "id";
    public string T(string id, string en) => IsEnglish ? en : id;

    /// <summary>
    /// One language of a server message written <c>"Indonesia / English"</c> (the API's problem details), so that a page never shows
    /// both; a message without the separator is returned as it is.
    /// </summary>
    public string One(string? bilingual)
    {
        if (string.IsNullOrEmpty(bilingual)) return "";
        var i = bilingual.IndexOf(" / ", StringComparison.Ordinal);
        return i < 0 ? bilingual : IsEnglish ? bilingual[(i + 3)..].Trim() : bilingual[..i].Trim();
    }

    /// <summary>Numbers are always formatted the Indonesian way (1.234.567; 12,5).</summary>
    public static string N(long value) => value.ToString("N0", Indonesian);
    public static string N(double value, int decimals = 1) => value.ToString("N" + decimals, Indonesian);
    public static string Pct(double fraction, int decimals = 1) => (fraction * 100).ToString("N" + decimals, Indonesian) + "%";

    /// <summary>Indonesian time zones by province code: WIT for Maluku/Papua, WITA for Bali/NT/Kalimantan (parts)/Sulawesi, WIB otherwise.</summary>
    public static (TimeSpan Offset, string Label) ZoneFor(string? regionCode)
    {
        var p = regionCode is { Length: >= 2 } ? regionCode[..2] : "16";
        return p switch
        {
            "81" or "82" or "91" or "92" or "93" or "94" or "95" or "96" => (TimeSpan.FromHours(9), "WIT"),
            "51" or "52" or "53" or "63" or "64" or "65" or "71" or "72" or "73" or "74" or "75" or "76" => (TimeSpan.FromHours(8), "WITA"),
            _ => (TimeSpan.FromHours(7), "WIB"),
        };
    }

    public string Date(DateTimeOffset at, string? regionCode = null, bool withTime = true)
    {
        var (offset, label) = ZoneFor(regionCode);
        var local = at.ToOffset(offset);
        var culture = IsEnglish ? CultureInfo.GetCultureInfo("en-GB") : Indonesian;
        return withTime ? $"{local.ToString("d MMM yyyy HH:mm", culture)} {label}" : local.ToString("d MMM yyyy", culture);
    }

    public string Date(DateOnly date) => date.ToString("d MMM yyyy", IsEnglish ? CultureInfo.GetCultureInfo("en-GB") : Indonesian);
}
