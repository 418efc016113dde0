namespace Pantau.Web.Infrastructure;

/// <summary>
/// A confirmation after a save that redirects (post/redirect/get): the redirect carries <c>tersimpan=&lt;kind&gt;</c> and the layout
/// shows what was saved (<c>Pages/Shared/_SavedNotice.cshtml</c>, <c>role="status"</c>), in the page's language.
/// </summary>
public static class SavedNotice
{
    public const string Query = "tersimpan";

    /// <summary><paramref name="url"/> with the confirmation of <paramref name="kind"/> (before any <c>#fragment</c>).</summary>
    public static string With(string url, string kind)
    {
        var hash = url.IndexOf('#');
        var (path, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        return path + (path.Contains('?') ? "&" : "?") + Query + "=" + Uri.EscapeDataString(kind) + fragment;
    }

    /// <summary>The sentence for a kind, or null for an unknown one (nothing is shown).</summary>
    public static string? Text(Lang l, string? kind) => kind switch
    {
        "klaim" => l.T("Klaim hoaks tersimpan.", "Hoax claim saved."),
        "putusan" => l.T("Putusan klaim hoaks tersimpan.", "Hoax verdict saved."),
        "keputusan" => l.T("Keputusan rakor dan tindak lanjutnya tersimpan.", "Meeting decision and its actions saved."),
        "notulen" => l.T("Notulen tersimpan.", "Minutes saved."),
        "rakor" => l.T("Rakor tersimpan.", "Meeting saved."),
        "tindak-lanjut" => l.T("Status tindak lanjut tersimpan.", "Action status saved."),
        "instansi" => l.T("Instansi tersimpan.", "Agency saved."),
        "kesepakatan" => l.T("Kesepakatan tersimpan.", "Agreement saved."),
        "laporan" => l.T("Laporan situasi dibuat.", "Situation report generated."),
        _ => null,
    };
}
