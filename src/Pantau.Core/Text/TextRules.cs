namespace Pantau.Core.Text;

/// <summary>
/// The one check of free text before either database sees it: at most a field's documented length, no U+0000 (PostgreSQL refuses it
/// with 22021, SQLite would store it) and no lone UTF-16 surrogate (not encodable as UTF-8). Limits of the fields with no column
/// length of their own are here; the others come from the EF model's <c>HasMaxLength</c> (checked by the DbContext before saving).
/// </summary>
public static class TextRules
{
    /// <summary>An <c>Idempotency-Key</c> (header or field).</summary>
    public const int IdempotencyKey = 100;
    /// <summary>The reason of a correction or an adjudication.</summary>
    public const int Reason = 2000;
    /// <summary>A berita acara reference number.</summary>
    public const int BeritaAcara = 200;
    /// <summary>A person's or an agency's name, a display name.</summary>
    public const int Name = 200;
    /// <summary>A phone number as typed (+62 812-3456-7890).</summary>
    public const int Phone = 32;
    /// <summary>A region code or a TPS code used as an account's scope.</summary>
    public const int ScopeCode = 20;
    /// <summary>A short note on a contest or an agenda item.</summary>
    public const int Note = 2000;
    /// <summary>A paragraph: follow-up details, a rakor decision, an agreement's scope, an incident's description.</summary>
    public const int Details = 4000;
    /// <summary>The minutes (notulen) of a rakor.</summary>
    public const int Minutes = 20_000;

    public const string TooLongCode = "TEXT_TOO_LONG";
    public const string InvalidCode = "TEXT_INVALID";

    /// <summary>The problem with <paramref name="value"/> (stable code, message id, message en), or null when it is fine.</summary>
    public static (string Code, string Id, string En)? Check(ReadOnlySpan<char> value, int max)
    {
        if (value.Length > max) return (TooLongCode, $"maksimal {max} karakter", $"at most {max} characters");
        return HasInvalidChar(value) ? (InvalidCode, "berisi karakter yang tidak sah (U+0000 atau surrogate tunggal)",
            "contains an invalid character (U+0000 or a lone surrogate)") : null;
    }

    /// <summary>U+0000 or a lone UTF-16 surrogate.</summary>
    public static bool HasInvalidChar(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\0') return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return true;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return true;
        }
        return false;
    }

    public static string Message((string Code, string Id, string En) p, string field) => $"{field}: {p.Id} / {p.En}";
}

/// <summary>A text value refused by <see cref="TextRules"/> before it reached the database (answered 400 with <see cref="Code"/>).</summary>
public sealed class TextRejectedException(string field, string code, string messageId, string messageEn)
    : Exception($"{field}: {messageId} / {messageEn}")
{
    public string Field { get; } = field;
    public string Code { get; } = code;
}
